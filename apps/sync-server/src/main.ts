/**
 * Process entry: load config, open the database (PGlite or PostgreSQL), wire the document
 * store, the one group committer and the app, start listening; on SIGTERM/SIGINT stop
 * gracefully: drain the hub (accepted updates stored and acknowledged, clients closed with 1012),
 * flush the committer, close the database.
 */
import {
  createDb,
  createDocumentStore,
  DatabaseUnavailableError,
  DbConfigError,
  describeDbConfig,
  GroupCommitter,
} from '@concord/db';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { SHUTDOWN_FLUSH_TIMEOUT_MS } from './limits.js';

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
  const store = createDocumentStore(db);
  const committer = new GroupCommitter(store);
  const app = buildApp({
    logLevel: config.logLevel,
    store,
    committer,
    ticketSecret: config.ticketSecret,
    limits: config.limits,
  });
  app.log.info({ database: describeDbConfig(config.db) }, 'database ready');
  if (config.ticketSecretGenerated) {
    app.log.warn(
      'SYNC_TICKET_SECRET is not set: using a random secret for this process, so tickets from the web app will not verify (set it in both; required in production)',
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_FLUSH_TIMEOUT_MS + SHUTDOWN_GRACE_MS).unref();
    await app.close();
    await committer.close();
    await db.close();
    app.log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

await main();
