// @ts-check
/**
 * `@hocuspocus/server` 3.4.4 with its defaults (debounce 2 s, maxDebounce 10 s, no auth), for the
 * side-by-side. With HOCUSPOCUS_STORE_DIR set it persists through `@hocuspocus/extension-database`
 * into one file per document (the whole document state, rewritten on each store, as the SQLite
 * extension stores one row per document); without it, documents live in memory only, as
 * Hocuspocus ships.
 *
 * Why not `@hocuspocus/extension-sqlite`: it needs the native `sqlite3` module, whose build script
 * pnpm does not run here (no prebuilt binary), so the extension cannot load.
 *
 * Plain JavaScript on purpose: every benchmark server runs as plain `node` (no TypeScript loader
 * in the process), so the RSS and CPU the benchmarks sample are the server's own.
 *
 *   PORT=1234 [HOCUSPOCUS_STORE_DIR=dir] node bench/servers/hocuspocus.mjs
 *   prints {"listening":port} when ready; SIGTERM stores open documents and exits.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';

const storeDir = process.env.HOCUSPOCUS_STORE_DIR;

/** @param {string} documentName */
const fileOf = (documentName) =>
  join(/** @type {string} */ (storeDir), encodeURIComponent(documentName));

const extensions = storeDir
  ? [
      new Database({
        fetch: async ({ documentName }) => {
          try {
            return new Uint8Array(await readFile(fileOf(documentName)));
          } catch (e) {
            if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return null;
            throw e;
          }
        },
        store: async ({ documentName, state }) => {
          // Write then rename, so a reader never sees half a file.
          const file = fileOf(documentName);
          await writeFile(`${file}.tmp`, state);
          await rename(`${file}.tmp`, file);
        },
      }),
    ]
  : [];

const server = new Server({
  port: Number(process.env.PORT ?? 1234),
  address: '127.0.0.1',
  quiet: true,
  extensions,
});
await server.listen();
console.log(JSON.stringify({ listening: server.address.port }));
