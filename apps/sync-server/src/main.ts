/**
 * Process entry: load config, open the database (PGlite or PostgreSQL), start the sync server
 * on it (server.ts); on SIGTERM/SIGINT stop gracefully (accepted updates stored and
 * acknowledged, clients closed with 1012), then close the database.
 */
import { createDb, DatabaseUnavailableError, DbConfigError } from '@concord/db';
import { ConfigError, loadConfig } from './config.js';
import { SHUTDOWN_FLUSH_TIMEOUT_MS } from './limits.js';
import { startSyncServer } from './server.js';

/** Beyond the flush timeout, how long the rest of shutdown may take before the process exits
 * anyway (a stuck socket or database must not keep a restart waiting). */
const SHUTDOWN_GRACE_MS = 5_000;

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }

  let db;
  try {
    db = await createDb(config.db);
  } catch (e) {
    if (e instanceof DatabaseUnavailableError || e instanceof DbConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const server = await startSyncServer(config, db);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    // Which step a stop that takes too long is stuck in, for the log.
    let step = 'starting';
    setTimeout(() => {
      server.app.log.error({ step }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_FLUSH_TIMEOUT_MS + SHUTDOWN_GRACE_MS).unref();
    await server.stop((next) => (step = next));
    step = 'closing the database';
    await db.close();
    server.app.log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

await main();
