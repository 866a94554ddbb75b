/**
 * The instrument documents a document page opens: the instrument itself (a Prerequisites
 * checklist or a rubric assessment, with its template) and, for a rater, their private ratings
 * document for it, made on first visit. A ratings document is a child row (kind `ratings`,
 * parent = the instrument, owner = the rater) with its initial Yjs layout, created in one
 * transaction; two first visits at once (two tabs) meet the one-per-rater unique index and
 * both end with the same document. The instrument's comments document (kind `comments`, one
 * per instrument, shared) is made the same way by whoever opens the page first.
 */
import { createDocumentStore, readAccessFacts, savepointRunner } from '@concord/db';
import { createComments, createRatings } from '@concord/documents';
import type { LeveledTemplate } from '@concord/rubric-core';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import * as Y from 'yjs';
import type { Db } from './db.js';
import { statement, type SqlSession } from './sql-statement.js';
import { audit } from './workspaces.js';

export interface InstrumentDocument {
  id: string;
  kind: 'prerequisites' | 'assessment';
  title: string;
  template: LeveledTemplate;
  /** A per-school copy's school (its name is in the workspace's document list). */
  schoolId: string | null;
  revealed: boolean;
}

/**
 * The checklist or rubric template a document was made from, when this build has that version
 * (null for a plan, an unknown template or another version: nothing is read against the wrong
 * items).
 */
export function leveledTemplate(
  templateId: string | null,
  templateVersion: number | null,
): LeveledTemplate | null {
  const template = templateId ? getBuiltinTemplate(templateId) : undefined;
  if (!template || template.kind === 'plan' || template.version !== templateVersion) return null;
  return template;
}

/**
 * The checklist or assessment with its template, or null (not in this workspace, not an
 * instrument, or a template this build does not have). Read with @concord/db's
 * `readAccessFacts`, the sync server's read; the page's layout has already checked membership.
 */
export async function loadInstrument(
  db: SqlSession,
  workspaceId: string,
  documentId: string,
  userId: string,
): Promise<InstrumentDocument | null> {
  const facts = await readAccessFacts(db, documentId, userId);
  if (facts === null) return null;
  const doc = facts.document;
  if (doc.workspaceId !== workspaceId.toLowerCase() || doc.parentId !== null) return null;
  if (doc.kind !== 'prerequisites' && doc.kind !== 'assessment') return null;
  const template = leveledTemplate(doc.templateId, doc.templateVersion);
  if (!template) return null;
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    template,
    schoolId: doc.schoolId,
    revealed: doc.revealed,
  };
}

const FIND_RATINGS = statement(
  'find_ratings_document',
  `select id from documents where parent_id = $1::uuid and owner_id = $2::uuid and kind = 'ratings'`,
);

const INSERT_RATINGS = statement(
  'insert_ratings_document',
  `insert into documents (workspace_id, kind, parent_id, owner_id, template_id, template_version,
                          title, created_by)
   values ($1::uuid, 'ratings', $2::uuid, $3::uuid, $4, $5::int, $6, $3::uuid)
   on conflict (parent_id, owner_id) where kind = 'ratings' do nothing
   returning id`,
);

const FIND_COMMENTS = statement(
  'find_comments_document',
  `select id from documents where parent_id = $1::uuid and kind = 'comments'`,
);

const INSERT_COMMENTS = statement(
  'insert_comments_document',
  `insert into documents (workspace_id, kind, parent_id, title, created_by)
   values ($1::uuid, 'comments', $2::uuid, $3, $4::uuid)
   on conflict (parent_id) where kind = 'comments' do nothing
   returning id`,
);

interface ChildInput {
  workspaceId: string;
  /** The parent: an instrument, or (for comments) a plan. */
  instrument: { id: string; title: string };
  userId: string;
}

/**
 * A child document of the instrument, made with its Yjs layout when `find` has none. Two first
 * visits at once meet a unique index: one inserts, the other finds its row afterwards.
 */
async function ensureChild(
  db: Db,
  input: ChildInput & {
    kind: 'ratings' | 'comments';
    find: () => Promise<string | undefined>;
    insert: (tx: SqlSession) => Promise<string | undefined>;
    layout: (doc: Y.Doc) => void;
  },
): Promise<string> {
  const found = await input.find();
  if (found) return found;
  const made = await db.sql.transaction(async (tx) => {
    const id = await input.insert(tx);
    if (!id) return null; // made by a concurrent first visit
    const ydoc = new Y.Doc();
    input.layout(ydoc);
    const update = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    const store = createDocumentStore({ sql: savepointRunner(tx, 'web_child_store') });
    await store.append([{ documentId: id, update, author: input.userId }]);
    await audit(tx, {
      workspaceId: input.workspaceId,
      actorId: input.userId,
      action: 'document.create',
      target: `document:${id}`,
      data: {
        kind: input.kind,
        parentId: input.instrument.id,
        ...(input.kind === 'ratings' ? { ownerId: input.userId } : {}),
      },
    });
    return id;
  });
  if (made) return made;
  const again = await input.find();
  if (!again) throw new Error(`${input.kind} document vanished after a concurrent create`);
  return again;
}

/** The rater's ratings document for `instrument`, made (with its layout) when missing. */
export async function ensureRatingsDocument(
  db: Db,
  input: ChildInput & { instrument: InstrumentDocument; userName: string },
): Promise<string> {
  const { instrument } = input;
  return ensureChild(db, {
    ...input,
    kind: 'ratings',
    find: async () =>
      (await db.sql.query<{ id: string }>(FIND_RATINGS, [instrument.id, input.userId]))[0]?.id,
    insert: async (tx) =>
      (
        await tx.query<{ id: string }>(INSERT_RATINGS, [
          input.workspaceId,
          instrument.id,
          input.userId,
          instrument.template.id,
          instrument.template.version,
          `${instrument.title}: ${input.userName}`.slice(0, 300),
        ])
      )[0]?.id,
    layout: (doc) => createRatings(doc, instrument.template),
  });
}

/**
 * The comments document of an instrument or a plan (one, shared by the workspace), made when
 * missing.
 */
export async function ensureCommentsDocument(db: Db, input: ChildInput): Promise<string> {
  const { instrument } = input;
  return ensureChild(db, {
    ...input,
    kind: 'comments',
    find: async () => (await db.sql.query<{ id: string }>(FIND_COMMENTS, [instrument.id]))[0]?.id,
    insert: async (tx) =>
      (
        await tx.query<{ id: string }>(INSERT_COMMENTS, [
          input.workspaceId,
          instrument.id,
          `Comments on ${instrument.title}`.slice(0, 300),
          input.userId,
        ])
      )[0]?.id,
    layout: createComments,
  });
}
