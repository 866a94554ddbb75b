/**
 * The one process-wide database handle for the web app.
 *
 * On PGlite only one process may open the data directory, so a host process that runs the web app
 * and the sync server together opens the database itself and hands it over by setting
 * `globalThis[Symbol.for('concord.db')]` to a `Promise<Db>` before the first request. Otherwise
 * the first call opens it with `createDb()` (DATABASE_URL, else PGlite in PGLITE_DATA_DIR) and
 * caches the promise in the same slot, so every module shares one pool.
 */
import { createDb, type DbHandle } from '@concord/db';

/** The database handle: `db.db` is drizzle over the schema, `db.sql` raw SQL, `db.close()`. */
export type Db = DbHandle;

/** Where a host process puts its already-open database (a Promise<Db>). */
export const DB_GLOBAL_KEY = Symbol.for('concord.db');

type DbSlot = { [DB_GLOBAL_KEY]?: Promise<Db> };

export function getDb(): Promise<Db> {
  const slot = globalThis as DbSlot;
  let db = slot[DB_GLOBAL_KEY];
  if (db === undefined) {
    db = createDb();
    // A failed open (bad DATABASE_URL, PostgreSQL down) is not cached: the next request retries.
    db.catch(() => {
      if (slot[DB_GLOBAL_KEY] === db) delete slot[DB_GLOBAL_KEY];
    });
    slot[DB_GLOBAL_KEY] = db;
  }
  return db;
}
