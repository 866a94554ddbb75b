/**
 * What the home page and the workspace page count about instruments, and only what is true now.
 *
 * The query tables are kept in step with the documents by the sync server now, but they hold
 * only what the team may see (decisions, statuses and revealed ratings, never a rater's private
 * ones), so a rater's own progress is read from their own document. The pages show:
 * - to a rater, their own progress on each instrument, read from their own ratings document
 *   (kind `ratings`, owned by them, parent = the instrument) as the document store holds it:
 *   one load per instrument that has one; an instrument they never opened has no ratings
 *   document and nothing rated;
 * - to everyone, the instrument's size from its template ("8 categories", "34 items: 28
 *   indicators and 6 Required Areas of Autonomy and Flexibility"), which never changes.
 * Nothing is loaded for anyone who is not a rater there.
 */
import { createDocumentStore } from '@concord/db';
import { readRatings } from '@concord/documents';
import { outline } from '@concord/rubric-core';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import { itemCounts } from '$lib/catalogue';
import * as Y from 'yjs';
import type { Db } from './db.js';
import { leveledTemplate } from './instrument-documents.js';
import { statement } from './sql-statement.js';

export interface InstrumentSize {
  /** Everything a rater rates (a rater's progress counts the same). */
  count: number;
  /** Already pluralised for `count`: "categories", "indicator", "plan areas", or "items". */
  noun: string;
  /**
   * When the items are of more than one kind, each in the template's terms, the words the
   * catalogue card uses: "28 indicators and 6 Required Areas of Autonomy and Flexibility".
   */
  detail: string | null;
}

const plural = (count: number, one: string, many: string): InstrumentSize => ({
  count,
  noun: count === 1 ? one : many,
  detail: null,
});

/**
 * How many items an instrument has: a checklist's categories and a rubric's indicators (the
 * items a rater rates, as the document page's outline counts them), a plan's areas. Null when
 * this build does not have the template's version.
 */
export function instrumentSize(
  templateId: string | null,
  templateVersion: number | null,
): InstrumentSize | null {
  const leveled = leveledTemplate(templateId, templateVersion);
  if (leveled) {
    const items = outline(leveled).entries.length;
    const parts = itemCounts(leveled);
    if (parts.length === 1) return { ...parts[0]!, detail: null };
    return {
      ...plural(items, 'item', 'items'),
      detail: parts
        .map((p) => `${p.count} ${p.noun}`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' and $1'),
    };
  }
  const template = templateId ? getBuiltinTemplate(templateId) : undefined;
  if (template?.kind === 'plan' && template.version === templateVersion) {
    return plural(template.areas.length, 'plan area', 'plan areas');
  }
  return null;
}

export interface MyProgress {
  workspaceId: string;
  instrumentId: string;
  /** Items the person has rated in their own ratings document. */
  rated: number;
  /** Items the instrument has (its template's active indicators or categories). */
  total: number;
}

/**
 * Each checklist and rubric of the workspaces where the person is a rater (all of them, or the
 * one named), with their own ratings document when they have one. No rows for other roles.
 */
const MY_RATINGS_DOCUMENTS = statement(
  'my_ratings_documents',
  `select i.workspace_id, i.id as instrument_id, i.template_id, i.template_version,
          r.id as ratings_id
   from memberships m
   join documents i on i.workspace_id = m.workspace_id and i.parent_id is null
                    and i.kind in ('prerequisites', 'assessment')
   left join documents r on r.parent_id = i.id and r.kind = 'ratings' and r.owner_id = m.user_id
   where m.user_id = $1::uuid and m.role = 'rater'
     and ($2::uuid is null or m.workspace_id = $2::uuid)
   order by i.workspace_id, i.created_at, i.id`,
);

/** At most this many ratings documents are loaded at once (one person's page, a few each). */
const LOAD_CONCURRENCY = 4;

/**
 * The person's own progress on each checklist and rubric of the workspace (or of every
 * workspace when `workspaceId` is null) where they are a rater; an empty list for any other
 * role, without loading anything. Reads what the document store holds: what the sync server
 * has saved.
 */
export async function myRatingProgress(
  db: Pick<Db, 'sql'>,
  userId: string,
  workspaceId: string | null,
): Promise<MyProgress[]> {
  const rows = await db.sql.query<{
    workspace_id: string;
    instrument_id: string;
    template_id: string | null;
    template_version: number | null;
    ratings_id: string | null;
  }>(MY_RATINGS_DOCUMENTS, [userId, workspaceId]);
  const store = createDocumentStore(db);
  const out: (MyProgress | null)[] = Array.from({ length: rows.length }, () => null);
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next;
      next += 1;
      const row = rows[i]!;
      const template = leveledTemplate(row.template_id, row.template_version);
      if (!template) continue;
      let rated = 0;
      if (row.ratings_id !== null) {
        const { state } = await store.load(row.ratings_id);
        const doc = new Y.Doc();
        try {
          Y.applyUpdate(doc, state);
          rated = Object.values(readRatings(doc, template)).filter((v) => v !== null).length;
        } finally {
          doc.destroy();
        }
      }
      out[i] = {
        workspaceId: row.workspace_id,
        instrumentId: row.instrument_id,
        rated,
        total: outline(template).entries.length,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, rows.length) }, worker));
  return out.filter((p): p is MyProgress => p !== null);
}

/** Progress summed per workspace (the home page's one line per workspace card). */
export function progressByWorkspace(
  progress: readonly MyProgress[],
): Map<string, { rated: number; total: number }> {
  const sums = new Map<string, { rated: number; total: number }>();
  for (const p of progress) {
    const sum = sums.get(p.workspaceId) ?? { rated: 0, total: 0 };
    sum.rated += p.rated;
    sum.total += p.total;
    sums.set(p.workspaceId, sum);
  }
  return sums;
}
