/**
 * Migrations on PostgreSQL: two processes starting at once against one fresh database must not
 * both migrate (the advisory lock in migrate.ts), and an unreachable server is a clear error.
 */
import { describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';
import { DatabaseUnavailableError } from './errors.js';
import { scratchPostgres } from './test-fixtures.js';

describe('migrate on PostgreSQL', () => {
  const db = scratchPostgres();

  it('lets only one of several concurrent createDb calls migrate a fresh database', async () => {
    const opened = await Promise.all(
      Array.from({ length: 3 }, () => createDb({ databaseUrl: db.url(), poolMax: 2 })),
    );
    db.keep(...opened);
    const first = opened[0]!;
    if (first.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const { rows } = await first.pool.query<{ n: string }>(
      'select count(*) as n from drizzle.__drizzle_migrations',
    );
    const { rows: tables } = await first.pool.query<{ n: string }>(
      `select count(*) as n from information_schema.tables where table_schema = 'public'`,
    );
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    // Each migration recorded once: a second migrator would have re-applied or failed.
    const { rows: distinct } = await first.pool.query<{ n: string }>(
      'select count(distinct hash) as n from drizzle.__drizzle_migrations',
    );
    expect(rows[0]!.n).toBe(distinct[0]!.n);
    expect(Number(tables[0]!.n)).toBe(27);
  });

  it('says clearly when the server cannot be reached', async () => {
    const error = await createDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/concord' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(
      /Could not reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/concord: .*ECONNREFUSED.*DATABASE_URL/,
    );
  });
});
