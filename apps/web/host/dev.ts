/**
 * `vite dev` hosts the sync server too, for the same reason `npm start` runs one process: on
 * PGlite only one process may open the data directory. The plugin starts the backend (database,
 * demo seed, sync server) when the dev server starts and stops it with the dev server.
 * `CONCORD_DEV_BACKEND=off` leaves it out (when a sync server runs on its own against PostgreSQL).
 */
import type { Plugin } from 'vite';
import type { Backend } from './backend.js';

export function concordDevBackend(): Plugin {
  let backend: Promise<Backend> | undefined;
  return {
    name: 'concord-dev-backend',
    apply: 'serve',
    async configureServer(server) {
      if (process.env.CONCORD_DEV_BACKEND === 'off' || process.env.VITEST) return;
      process.env.LOG_LEVEL ??= 'warn';
      // Imported here, not at the top: loading vite.config must not need the built packages.
      const { DEFAULT_SYNC_PORT, startBackend } = await import('./backend.js');
      const { formatSignIns } = await import('@concord/db/seed');
      backend ??= startBackend('127.0.0.1', process.env.SYNC_PORT ?? DEFAULT_SYNC_PORT);
      const { sync, seeded } = await backend;
      // Tickets point browsers at the port actually listened on (see main.ts).
      process.env.SYNC_PORT = new URL(sync.url).port;
      server.config.logger.info(`  Sync server: ${sync.url}/health`);
      if (seeded !== null) server.config.logger.info(formatSignIns(seeded.signIns));
      server.httpServer?.once('close', () => void backend?.then((b) => b.stop()));
    },
  };
}
