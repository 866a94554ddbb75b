/**
 * Rating rounds: who each rater key of a round stands for. The round itself (settings, progress,
 * revealed snapshots) lives in the instrument's Yjs document (@concord/documents round.ts), which
 * every participant syncs; in an anonymised round the document names raters "A", "B", … and only
 * this table, which facilitators' pages read, says who is who. In a named round the key is the
 * user id, kept here too so one query answers "which key is mine" for both.
 */
import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt } from './columns.js';
import { documents } from './documents.js';

export const roundRaters = pgTable(
  'round_raters',
  {
    /** The checklist or assessment the round rates. */
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The round's id in the document ("r1", "r2", …). */
    roundId: text('round_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The key the round's document uses for this rater. */
    raterKey: text('rater_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'round_raters_pkey', columns: [t.documentId, t.roundId, t.userId] }),
    unique('round_raters_key_unique').on(t.documentId, t.roundId, t.raterKey),
    check('round_raters_round_id', sql`${t.roundId} ~ '^r[0-9]{1,6}$'`),
  ],
);
