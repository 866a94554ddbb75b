/**
 * Column types and constraint helpers shared by every table: `bytea` (drizzle has no built-in
 * one), the project rule that every timestamp is `timestamp with time zone`, and enumeration
 * checks built from the lists in enums.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { customType, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Binary column. Both drivers hand back a Uint8Array (node-postgres a Buffer, which is one). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
});

/** A `timestamp with time zone` column read as a Date. */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

/** `created_at timestamptz not null default now()`. */
export function createdAt() {
  return timestamptz('created_at').notNull().defaultNow();
}

/** `column in ('a', 'b', ...)` for a check constraint, from one of the lists in enums.ts. */
export function oneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return sql`${column} in (${sql.raw(list)})`;
}
