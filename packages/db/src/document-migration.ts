/**
 * The one-time migration of stored documents to document schema v2 (@concord/documents'
 * migrateDocument: rich text fields from Y.Text to Y.XmlFragment). migrate.ts runs it at start,
 * after the SQL migrations and under the same lock, so of several processes starting at once one
 * does the work and the others find the marker.
 *
 * Each document with rich text (prerequisites, assessment, ratings, plan) is loaded through the
 * document store, migrated in memory, and what the migration wrote is appended as one update
 * through the store's normal write path: history keeps it like any edit, and clients that load
 * the document receive it. Document by document, not one long transaction: an append locks the
 * document's row, which a running server's appends wait on. A crash half-way is safe because
 * migrateDocument leaves a v2 document alone, so the next start carries on where this one
 * stopped. The marker row (data_migrations) is written when every document has been done; a
 * document that cannot be read or migrated is reported, and the marker is then not written, so
 * the next start tries again.
 */
import { migrateDocument } from '@concord/documents';
import * as Y from 'yjs';
import type { SqlRunner, Statement } from './sql-runner.js';
import { createDocumentStore } from './sql-store.js';

/** The marker's name in data_migrations. */
export const DOCUMENTS_SCHEMA_2 = 'documents-schema-2';

/** The kinds that hold rich text; comments documents have none, so they are not rewritten. */
const MIGRATED_KINDS = ['prerequisites', 'assessment', 'ratings', 'plan'] as const;

export interface StoredDocumentsMigration {
  /** False when the marker says it is done: nothing was read. */
  ran: boolean;
  /** Documents loaded. */
  scanned: number;
  /** Documents an update was appended to. */
  migrated: number;
  /** Documents that could not be read or migrated (left as they are; the next start retries). */
  failed: string[];
}

const sql = (name: string, text: string): Statement => ({ name: `concord_${name}`, text });

const IS_DONE = sql(
  'data_migration_done',
  'select 1 as done from data_migrations where name = $1::text',
);

const MARK_DONE = sql(
  'data_migration_mark',
  'insert into data_migrations (name) values ($1::text) on conflict (name) do nothing',
);

/** Documents with content, in a stable order. */
const DOCUMENTS = sql(
  'data_migration_documents',
  `select id::text as id from documents
   where kind = any($1::text[]) and head_seq > 0 order by id`,
);

/**
 * Migrates every stored v1 document with rich text to schema v2, unless the marker says this was
 * done. The caller serialises runs (migrate.ts holds the migration lock); two runs at once would
 * each append a migration (merging to the same text, but twice the history).
 */
export async function migrateStoredDocuments(runner: SqlRunner): Promise<StoredDocumentsMigration> {
  const [done] = await runner.query(IS_DONE, [DOCUMENTS_SCHEMA_2]);
  if (done) return { ran: false, scanned: 0, migrated: 0, failed: [] };
  const store = createDocumentStore({ sql: runner });
  const rows = await runner.query<{ id: string }>(DOCUMENTS, [MIGRATED_KINDS]);
  const report: StoredDocumentsMigration = { ran: true, scanned: 0, migrated: 0, failed: [] };
  for (const { id } of rows) {
    report.scanned++;
    const { state } = await store.load(id);
    let update: Uint8Array | null;
    try {
      update = migrationUpdate(state);
    } catch {
      // Stored bytes Yjs cannot apply (they passed the store's check when appended, so this is
      // damage, not input): not this migration's to repair.
      report.failed.push(id);
      continue;
    }
    if (!update) continue;
    // No author: the system made this change, not a person.
    await store.append([{ documentId: id, update, author: null }]);
    report.migrated++;
  }
  if (report.failed.length === 0) await runner.query(MARK_DONE, [DOCUMENTS_SCHEMA_2]);
  return report;
}

/** What migrateDocument writes to the stored state, as one update; null when nothing. */
function migrationUpdate(state: Uint8Array): Uint8Array | null {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const before = Y.encodeStateVector(doc);
    if (!migrateDocument(doc).changed) return null;
    return Y.encodeStateAsUpdate(doc, before);
  } finally {
    doc.destroy();
  }
}
