/**
 * Documents and their history. A document is a Yjs document stored as an append-only log of
 * updates (document_updates, seq gap-free per document), folded now and then into checkpoints
 * (document_checkpoints) by compaction. Versions are marks on that log (document_versions); a
 * checkpoint is kept at every version's seq so any version can be read after compaction.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { bytea, createdAt, oneOf, timestamptz } from './columns.js';
import { CHILD_DOCUMENT_KINDS, DOCUMENT_KINDS, VERSION_KINDS } from './enums.js';
import { schools, workspaces } from './organisations.js';

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
    /** The document this one belongs to: the assessment a rater's private ratings are for, the
     * document a comments document annotates. */
    parentId: uuid('parent_id').references((): AnyPgColumn => documents.id, {
      onDelete: 'cascade',
    }),
    /** Rubric, checklist or plan template (built-in id or custom_templates.id) and version. */
    templateId: text('template_id'),
    templateVersion: integer('template_version'),
    title: text('title').notNull(),
    /** Set for a per-school document (e.g. a School Planning Tool assessment). */
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'restrict' }),
    /** Set only for a private document (a rater's blind ratings); restrict, so deleting a user
     * never silently drops or, worse, un-privates their ratings. */
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'restrict' }),
    /** When the facilitator revealed the raters' ratings of this document (blind until then). */
    revealedAt: timestamptz('revealed_at'),
    /** Seq of the last update appended; the store's per-document counter (gap-free seqs). */
    headSeq: bigint('head_seq', { mode: 'number' }).notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('documents_kind', oneOf(t.kind, DOCUMENT_KINDS)),
    check('documents_title_not_blank', sql`length(btrim(${t.title})) > 0`),
    check('documents_head_seq_non_negative', sql`${t.headSeq} >= 0`),
    check(
      'documents_template_pair',
      sql`(${t.templateId} is null) = (${t.templateVersion} is null) and coalesce(${t.templateVersion}, 1) > 0`,
    ),
    // Private (owned) documents are exactly the ratings documents.
    check('documents_owner_iff_ratings', sql`(${t.kind} = 'ratings') = (${t.ownerId} is not null)`),
    check(
      'documents_parent_iff_child_kind',
      sql`(${oneOf(t.kind, CHILD_DOCUMENT_KINDS)}) = (${t.parentId} is not null)`,
    ),
    // Lets dashboard tables require that their document is in their workspace.
    unique('documents_id_workspace_key').on(t.id, t.workspaceId),
    // One private ratings document per rater per rated document.
    uniqueIndex('documents_one_ratings_per_rater')
      .on(t.parentId, t.ownerId)
      .where(sql`${t.kind} = 'ratings'`),
    // One comments document per annotated document (made on first visit, by whoever comes).
    uniqueIndex('documents_one_comments_per_parent')
      .on(t.parentId)
      .where(sql`${t.kind} = 'comments'`),
    index('documents_workspace_idx').on(t.workspaceId),
    index('documents_parent_idx').on(t.parentId),
  ],
);

export const documentUpdates = pgTable(
  'document_updates',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** One Yjs update (v1 encoding), exactly as received. */
    update: bytea('update').notNull(),
    /** SHA-256 of `update`: a re-delivered identical update is recognised, not stored twice. */
    updateHash: bytea('update_hash').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'document_updates_pkey', columns: [t.documentId, t.seq] }),
    unique('document_updates_document_hash_key').on(t.documentId, t.updateHash),
    check('document_updates_seq_positive', sql`${t.seq} > 0`),
    check('document_updates_not_empty', sql`octet_length(${t.update}) > 0`),
    check('document_updates_hash_sha256', sql`octet_length(${t.updateHash}) = 32`),
  ],
);

export const documentCheckpoints = pgTable(
  'document_checkpoints',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The checkpoint holds every update with seq <= this one, merged into one Yjs update. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    state: bytea('state').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'document_checkpoints_pkey', columns: [t.documentId, t.seq] }),
    check('document_checkpoints_seq_positive', sql`${t.seq} > 0`),
  ],
);

export const documentVersions = pgTable(
  'document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The version is the document as of this seq (0 = empty). */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    label: text('label'),
    kind: text('kind', { enum: VERSION_KINDS }).notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('document_versions_kind', oneOf(t.kind, VERSION_KINDS)),
    check('document_versions_seq_non_negative', sql`${t.seq} >= 0`),
    check(
      'document_versions_named_has_label',
      sql`${t.kind} <> 'named' or length(btrim(coalesce(${t.label}, ''))) > 0`,
    ),
    index('document_versions_document_seq_idx').on(t.documentId, t.seq),
  ],
);

export const customTemplates = pgTable(
  'custom_templates',
  {
    /** The template's own id (rubric-core templates keep their id across versions). */
    id: text('id').notNull(),
    version: integer('version').notNull(),
    /** The template as validated by rubric-core's importTemplate. */
    template: jsonb('template').notNull(),
    importedBy: uuid('imported_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'custom_templates_pkey', columns: [t.id, t.version] }),
    check('custom_templates_version_positive', sql`${t.version} > 0`),
    // The row's key must be the template's own id and version, so the two cannot disagree.
    check(
      'custom_templates_key_matches_json',
      sql`${t.template} ->> 'id' = ${t.id} and ${t.template} ->> 'version' = ${t.version}::text`,
    ),
  ],
);
