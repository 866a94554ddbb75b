/**
 * What both hosts share (the production one-process host, main.ts, and `vite dev`'s plugin,
 * dev.ts): open the database once and hand it to the web app, seed the demo on an empty database,
 * start the sync server on the same handle.
 */
import { createDb, DatabaseUnavailableError, DbConfigError, type DbHandle } from '@concord/db';
import { seedDemo, type SeedResult } from '@concord/db/seed';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, startSyncServer, type SyncServer } from '@concord/sync-server';
import { DEFAULT_SYNC_PORT as SYNC_PORT } from '@concord/sync-protocol';

/** Where src/lib/server/db.ts looks for an already-open database. */
const DB_GLOBAL_KEY = Symbol.for('concord.db');
/** Where the web app finds the in-process sync hub (to recheck access at once). */
const SYNC_GLOBAL_KEY = Symbol.for('concord.sync');

export const DEFAULT_SYNC_PORT = String(SYNC_PORT);

/** A problem the person starting Concord can fix (bad environment, database unreachable). */
export class HostError extends Error {
  override name = 'HostError';
}

async function seedIfEmpty(db: DbHandle): Promise<SeedResult | null> {
  const mode = process.env.DEMO_SEED ?? 'auto';
  if (mode === 'off') return null;
  if (mode !== 'auto') throw new HostError(`DEMO_SEED must be "auto" or "off" (got "${mode}").`);
  const [row] = await db.sql.query<{ n: number }>({
    name: 'concord_host_user_count',
    text: 'select count(*)::int as n from users',
  });
  if ((row?.n ?? 0) > 0) {
    // Not empty: keep the demo sign-ins visible if the demo is there, never create it.
    const existing = await db.sql.query<{ n: number }>({
      name: 'concord_host_demo_exists',
      text: `select count(*)::int as n from users where email like '%@demo.concord.test'`,
    });
    return (existing[0]?.n ?? 0) > 0 ? seedDemo(db) : null;
  }
  return seedDemo(db);
}

export interface Backend {
  db: DbHandle;
  sync: SyncServer;
  /** The demo's sign-ins when the demo exists, else null. */
  seeded: SeedResult | null;
  stop(): Promise<void>;
}

export async function startBackend(host: string, syncPort: string): Promise<Backend> {
  // The web app signs sync tickets and the sync server checks them; in one process they simply
  // share one secret, made up here when none is given.
  process.env.SYNC_TICKET_SECRET ??= randomBytes(32).toString('base64url');
  let config;
  try {
    config = loadConfig({ ...process.env, HOST: host, PORT: syncPort });
  } catch (e) {
    if (e instanceof ConfigError) throw new HostError(e.message);
    throw e;
  }
  let db: DbHandle;
  try {
    db = await createDb(config.db);
  } catch (e) {
    if (e instanceof DatabaseUnavailableError || e instanceof DbConfigError) {
      throw new HostError(e.message);
    }
    throw e;
  }
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(db);
  const seeded = await seedIfEmpty(db);
  const sync = await startSyncServer(config, db);
  (globalThis as Record<symbol, unknown>)[SYNC_GLOBAL_KEY] = sync.app.sync;
  return {
    db,
    sync,
    seeded,
    stop: async () => {
      await sync.stop();
      await db.close();
    },
  };
}
