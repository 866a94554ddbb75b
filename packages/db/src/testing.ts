/**
 * Scratch PostgreSQL databases for tests and benchmarks (`@concord/db/testing`): each test file
 * creates its own database and drops it when done, so files run in parallel without sharing
 * state. Uses PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/test), a database the
 * role may connect to and create databases from.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ScratchDatabase {
  /** e.g. "concord_t_3f9a1c2b". */
  name: string;
  /** Connection URL for DATABASE_URL / createDb({ databaseUrl }). */
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(
  prefix = 'concord_t',
  adminUrl = process.env.PG_ADMIN_URL || DEFAULT_PG_ADMIN_URL,
): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new Error(
      `prefix "${prefix}" must be a lower-case SQL identifier of at most 40 characters`,
    );
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdmin(adminUrl: string, fn: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
