/**
 * The one-process host behind `npm start`: opens the database once, seeds the demo workspace on
 * an empty database, starts the sync server, then the web app (adapter-node's build) in this
 * same process, and prints where everything is and how to sign in.
 *
 * Why one process: on PGlite (the default, embedded database) only one process may open the data
 * directory, so the web app and the sync server must share one handle. The web app picks it up
 * from `globalThis[Symbol.for('concord.db')]` (see src/lib/server/db.ts). On PostgreSQL the two
 * may also run apart (`pnpm --filter @concord/sync-server start`, `node apps/web/build/index.js`).
 *
 * Environment: PORT (web, default 3000), SYNC_PORT (default 1234), HOST (default 127.0.0.1),
 * DEMO_SEED (`auto`: seed when the database has no users, the default; `off`), plus the
 * database's and the sync server's own variables.
 */
import { formatSignIns } from '@concord/db/seed';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_SYNC_PORT, HostError, startBackend } from './backend.js';

const DEFAULT_WEB_PORT = '3000';
/** How long stopping may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Imports adapter-node's server (it listens when imported) and waits until it listens, so the
 * banner below comes last; its own "Listening on …" line is left out: the banner says where, and
 * more. A port already in use rejects here with the server's error.
 */
async function startWebApp(): Promise<void> {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Listening on ')) return;
    log(...args);
  };
  try {
    const web = (await import(pathToFileURL(join(buildDir, 'index.js')).href)) as {
      server: { server: Server };
    };
    if (!web.server.server.listening) await once(web.server.server, 'listening');
  } finally {
    console.log = log;
  }
}

async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const webPort = process.env.PORT ?? DEFAULT_WEB_PORT;
  const syncPort = process.env.SYNC_PORT ?? DEFAULT_SYNC_PORT;

  let backend;
  try {
    backend = await startBackend(host, syncPort);
  } catch (e) {
    if (e instanceof HostError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const { sync, seeded } = backend;
  // The web app's tickets point browsers at this port (PUBLIC_SYNC_URL unset): the one actually
  // listened on, also when SYNC_PORT=0 asked for any free one.
  process.env.SYNC_PORT = new URL(sync.url).port;

  // adapter-node's server reads PORT and HOST when it is imported, and stops on SIGTERM/SIGINT.
  process.env.PORT = webPort;
  process.env.HOST = host;
  process.env.ORIGIN ??= `http://${host}:${webPort}`;
  await startWebApp();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    await backend.stop();
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
