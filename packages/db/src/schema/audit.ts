/**
 * The audit log: who changed access, revealed ratings or rewound history in a workspace, when,
 * and with what details. Append-only by convention; document edits themselves are attributed in
 * document_updates, not here.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt, oneOf } from './columns.js';
import { AUDIT_ACTIONS } from './enums.js';
import { workspaces } from './organisations.js';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Null when the actor's account was since deleted, or for the system itself. */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    /** What was acted on, as "<kind>:<id>", e.g. "user:…", "document:…", "version:…". */
    target: text('target'),
    data: jsonb('data')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    check('audit_log_action', oneOf(t.action, AUDIT_ACTIONS)),
    check('audit_log_data_object', sql`jsonb_typeof(${t.data}) = 'object'`),
    index('audit_log_workspace_created_idx').on(t.workspaceId, t.createdAt),
  ],
);
