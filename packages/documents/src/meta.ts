/**
 * The `meta` map every document starts with: which schema version wrote it, what kind of
 * document it is, and the template it is an instance of. Written once by the create functions;
 * readMeta tells a loader what it has in hand.
 */
import type * as Y from 'yjs';
import { refuse } from './errors.js';
import { DOCUMENT_KINDS, META, ROOT, SCHEMA_VERSION, type DocumentKind } from './schema.js';
import { asId, asOneOf, rootMap } from './values.js';

export interface DocumentMeta {
  schemaVersion: number;
  kind: DocumentKind;
  templateId: string | null;
  templateVersion: number | null;
}

/** The document's meta, or null when it has none that makes sense (not created by us). */
export function readMeta(doc: Y.Doc): DocumentMeta | null {
  const meta = rootMap(doc, ROOT.meta);
  if (!meta) return null;
  const kind = asOneOf(meta.get(META.kind), DOCUMENT_KINDS);
  const version = meta.get(META.schemaVersion);
  if (!kind || typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return null;
  }
  const templateId = asId(meta.get(META.templateId)) ?? null;
  const templateVersion = meta.get(META.templateVersion);
  return {
    schemaVersion: version,
    kind,
    templateId,
    templateVersion:
      templateId !== null &&
      typeof templateVersion === 'number' &&
      Number.isInteger(templateVersion)
        ? templateVersion
        : null,
  };
}

/**
 * Writes the meta map (inside the caller's transaction). Refuses a document that already has
 * one: creating again would replace its texts, and with them everyone's edits.
 */
export function writeMeta(
  doc: Y.Doc,
  kind: DocumentKind,
  template: { id: string; version: number } | null,
): void {
  const meta = doc.getMap(ROOT.meta);
  refuse([
    meta.has(META.kind) &&
      `document: is already a ${String(meta.get(META.kind))} document; load it instead of creating it again`,
  ]);
  meta.set(META.schemaVersion, SCHEMA_VERSION);
  meta.set(META.kind, kind);
  if (template) {
    meta.set(META.templateId, template.id);
    meta.set(META.templateVersion, template.version);
  }
}
