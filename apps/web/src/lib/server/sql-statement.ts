/**
 * The SQL seam the workspace modules use: named statements (PostgreSQL plans each once per
 * connection) run on the database handle or inside one of its transactions.
 */
import type { Db } from './db.js';

/** Something that runs a statement: the handle's `sql`, or a transaction inside it. */
export type SqlSession = Pick<Db['sql'], 'query'>;

/** A transaction body's session (what `db.sql.transaction(fn)` hands to `fn`). */
export type SqlTx = Parameters<Parameters<Db['sql']['transaction']>[0]>[0];

/** A named statement; `name` is prefixed so it cannot collide with other modules' names. */
export function statement(name: string, text: string): { name: string; text: string } {
  return { name: `web_ws_${name}`, text };
}

/** PostgreSQL's uuid text form; anything else in a URL is simply "not found". */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
