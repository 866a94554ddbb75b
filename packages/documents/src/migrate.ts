/**
 * Migrating a document to the current schema (SCHEMA_VERSION), in place: pure, on a Y.Doc, so
 * the database's start-up migration, an import or a test can run it alike.
 *
 * v1 → v2: every rich text field (leveled items' evidence and rationale, ratings notes, a goal's
 * statement) that holds a Y.Text is replaced by a Y.XmlFragment holding the same text as
 * paragraphs; the plan's vision moves from the v1 root `vision` (emptied) to `visionRich`; then
 * `meta.schemaVersion` becomes 2. Anything that is not a Y.Text where text belongs (junk a client
 * wrote) is left as it is: the accessors replace it when an editor first binds to the field.
 *
 * One transaction with origin MIGRATION_ORIGIN, so an observer can tell it from an edit; running
 * it again changes nothing.
 */
import * as Y from 'yjs';
import { fragmentOf, replaceRichText } from './rich-text.js';
import { DOCUMENT_KINDS, GOAL, ITEM, META, ROOT, SCHEMA_VERSION } from './schema.js';
import { asMap, asOneOf, rootFragment, rootMap, rootText, textOf } from './values.js';

/** The transaction origin of a migration. */
export const MIGRATION_ORIGIN = 'concord:migrate';

export interface MigrationResult {
  /** The schema version the document had (a known kind without a version counts as 1; 0 when
   * the document has no known kind, which is then left alone). */
  from: number;
  /** The version it has now. */
  to: number;
  /** Whether anything was written. */
  changed: boolean;
}

/** Brings `doc` to SCHEMA_VERSION; a document already there, newer, or not ours is untouched. */
export function migrateDocument(doc: Y.Doc): MigrationResult {
  const meta = rootMap(doc, ROOT.meta);
  const kind = asOneOf(meta?.get(META.kind), DOCUMENT_KINDS);
  if (!meta || !kind) return { from: 0, to: 0, changed: false };
  const stored = meta.get(META.schemaVersion);
  const from =
    stored === undefined ? 1 : typeof stored === 'number' && Number.isInteger(stored) ? stored : 0;
  // 0: a version that is not a number. Guessing at such a document could destroy it.
  if (from === 0 || from >= SCHEMA_VERSION) return { from, to: from, changed: false };
  doc.transact(() => {
    if (kind === 'prerequisites' || kind === 'assessment') {
      for (const item of rootMap(doc, ROOT.items)?.values() ?? []) {
        const map = asMap(item);
        if (!map) continue;
        toFragment(map, ITEM.evidence);
        toFragment(map, ITEM.rationale);
      }
    } else if (kind === 'ratings') {
      const notes = rootMap(doc, ROOT.notes);
      for (const id of notes ? [...notes.keys()] : []) toFragment(notes!, id);
    } else if (kind === 'plan') {
      for (const goal of rootMap(doc, ROOT.goals)?.values() ?? []) {
        const map = asMap(goal);
        if (map) toFragment(map, GOAL.statement);
      }
      moveVision(doc);
    }
    // comments: no text fields; only the version changes.
    meta.set(META.schemaVersion, SCHEMA_VERSION);
  }, MIGRATION_ORIGIN);
  return { from, to: SCHEMA_VERSION, changed: true };
}

/** Replaces a Y.Text under `key` with a fragment of the same text. */
function toFragment(map: Y.Map<unknown>, key: string): void {
  const value = map.get(key);
  if (value instanceof Y.Text) map.set(key, fragmentOf(textOf(value)));
}

/** Moves the vision's text from the v1 root into the v2 one, unless the v2 one has text. */
function moveVision(doc: Y.Doc): void {
  const legacy = rootText(doc, ROOT.vision);
  const fragment = rootFragment(doc, ROOT.visionRich);
  if (!legacy || !fragment || legacy.length === 0) return;
  // Both hold text only if a v1 client wrote the old root after a move: readers show the
  // fragment then, and the old text is kept rather than destroyed.
  if (fragment.length > 0) return;
  replaceRichText(fragment, textOf(legacy));
  legacy.delete(0, legacy.length);
}
