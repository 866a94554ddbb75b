/**
 * Test-only: a scratch PostgreSQL database per test file (migrated, dropped at the end), people
 * to act as, and a workspace made through the real wizard code. Used by the workspace, member and
 * invitation unit tests.
 */
import { createDb } from '@concord/db';
import { createScratchDatabase, type ScratchDatabase } from '@concord/db/testing';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from './db.js';
import { statement } from './sql-statement.js';
import { createWorkspace, WizardSchema, type WizardInput } from './workspaces.js';

/** Registers beforeAll/afterAll hooks; call the returned function inside tests for the handle. */
export function useScratchDb(): () => Db {
  let scratch: ScratchDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase('concord_web_ws');
    db = await createDb({ databaseUrl: scratch.url, poolMax: 4 });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });
  return () => {
    if (!db) throw new Error('the scratch database is not open yet');
    return db;
  };
}

const INSERT_USER = statement(
  'test_insert_user',
  `insert into users (email, display_name) values ($1, $2) returning id`,
);

let people = 0;

/** A new person (no password: these tests never sign in). */
export async function addPerson(db: Db, name = 'Person'): Promise<{ id: string; email: string }> {
  people += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${people}.${Date.now()}@example.org`;
  const [row] = await db.sql.query<{ id: string }>(INSERT_USER, [email, name]);
  return { id: row!.id, email };
}

/** The wizard's fields for a new district with two schools and every instrument. */
export function wizardValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Revere Public Schools — PL readiness 2026-27',
    schoolYear: '2026-27',
    district: 'new',
    districtName: 'Revere Public Schools',
    districtState: 'MA',
    newSchools: 'Garfield Elementary\nRevere High School',
    instruments: ['prerequisites', 'district-conditions', 'fundamental-practices', 'plan'],
    planningSchools: ['Garfield Elementary'],
    ...overrides,
  };
}

/** A workspace owned by `ownerId`, made by createWorkspace. */
export async function addWorkspace(
  db: Db,
  ownerId: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; documentIds: string[] }> {
  const input: WizardInput = WizardSchema.parse(wizardValues(overrides));
  const result = await createWorkspace(db, ownerId, input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.workspace;
}

/** Row count of a table (names come from the test itself, never from input). */
export async function countRows(db: Db, table: string): Promise<number> {
  const [row] = await db.sql.query<{ n: number }>(
    statement(`test_count_${table}`, `select count(*)::int as n from ${table}`),
  );
  return row!.n;
}
