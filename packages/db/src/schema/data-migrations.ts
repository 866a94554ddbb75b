/**
 * Data migrations done: one row per one-time change to stored content (not to the tables, which
 * drizzle's own journal tracks), written when the change has been made, in the same transaction.
 * Start-up looks its name up here and skips a migration that is done instead of rescanning every
 * document at every start (src/document-migration.ts).
 */
import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';

export const dataMigrations = pgTable(
  'data_migrations',
  {
    /** The migration's fixed name, e.g. "documents-schema-2". */
    name: text('name').primaryKey(),
    /** When it completed. */
    createdAt: createdAt(),
  },
  (t) => [check('data_migrations_name_not_blank', sql`length(btrim(${t.name})) > 0`)],
);
