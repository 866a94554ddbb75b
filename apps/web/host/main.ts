/**
 * The one-process host behind `npm start`: opens the database once, seeds the demo workspace on
 * an empty database, starts the sync server, then the web app (adapter-node's build) in this
 * same process, and prints where everything is and how to sign in.
 *
 * Why one process: on PGlite (the default, embedded database) only one process may open the data
 * directory, so the web app and the sync server must share one handle. The web app picks it up
 * from `globalThis[Symbol.for('concord.db')]` (see src/lib/server/db.ts). On PostgreSQL the two
 * may also run apart (`node apps/sync-server/dist/main.js`, `node apps/web/build/index.js`).
 *
 * Environment: PORT (web, default 3000), SYNC_PORT (default 1234), HOST (default 127.0.0.1),
 * DEMO_SEED (`auto`: seed when the database has no users, the default; `off`), plus the
 * database's and the sync server's own variables.
 */
import { createDb, DatabaseUnavailableError, DbConfigError, type DbHandle } from '@concord/db';
import { formatSignIns, seedDemo, type SeedResult } from '@concord/db/seed';
import { ConfigError, loadConfig, startSyncServer } from '@concord/sync-server';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where src/lib/server/db.ts looks for an already-open database. */
const DB_GLOBAL_KEY = Symbol.for('concord.db');
/** Where the web app finds the in-process sync hub (to recheck access at once). */
const SYNC_GLOBAL_KEY = Symbol.for('concord.sync');

const DEFAULT_WEB_PORT = '3000';
const DEFAULT_SYNC_PORT = '1234';
/** How long stopping may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function seedIfEmpty(db: DbHandle): Promise<SeedResult | null> {
  const mode = process.env.DEMO_SEED ?? 'auto';
  if (mode === 'off') return null;
  if (mode !== 'auto') fail(`DEMO_SEED must be "auto" or "off" (got "${mode}").`);
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

async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const webPort = process.env.PORT ?? DEFAULT_WEB_PORT;
  const syncPort = process.env.SYNC_PORT ?? DEFAULT_SYNC_PORT;

  let config;
  try {
    config = loadConfig({ ...process.env, HOST: host, PORT: syncPort });
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  let db: DbHandle;
  try {
    db = await createDb(config.db);
  } catch (e) {
    if (e instanceof DatabaseUnavailableError || e instanceof DbConfigError) fail(e.message);
    throw e;
  }
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(db);

  const seeded = await seedIfEmpty(db);
  const sync = await startSyncServer(config, db);
  (globalThis as Record<symbol, unknown>)[SYNC_GLOBAL_KEY] = sync.app.sync;

  // adapter-node's server reads PORT and HOST when it is imported, and stops on SIGTERM/SIGINT.
  process.env.PORT = webPort;
  process.env.HOST = host;
  process.env.ORIGIN ??= `http://${host}:${webPort}`;
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  await import(pathToFileURL(join(buildDir, 'index.js')).href);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    await sync.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());

  const url = process.env.ORIGIN;
  console.log(`
Concord is running.
  Web app:      ${url}
  Sync server:  ${sync.url}/health
  Rubrics:      ${url}/templates`);
  if (seeded !== null) {
    console.log(
      `\n${seeded.created ? 'Demo workspace created.' : 'Demo workspace:'} Sign in with any of these:\n${formatSignIns(seeded.signIns)}`,
    );
  }
  console.log('\nPress Ctrl+C to stop.');
}

await main();
