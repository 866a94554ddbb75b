/**
 * The query tables kept in step with the documents (issue 39): what the sync server's projector
 * and the rebuild command (`concord-project`, projection-cli.ts) write, one statement each, the
 * same on PGlite and PostgreSQL.
 *
 * A projection of a document is idempotent: one statement upserts the document's current rows
 * of `consensus` and `ratings` (projection-rows.ts maps the document to them), deletes the rows
 * it no longer has, and leaves a row that did not change untouched (its updated_at stays), so
 * projecting twice, or a rebuild after the live projection, changes nothing. The documents stay
 * the source of truth; any row can be rebuilt from them.
 *
 * What `ratings` holds: only ratings a round has revealed (the instrument's round snapshots),
 * never a rater's private ratings document, so no value is readable through the table before
 * the team has seen it (docs/ARCHITECTURE.md, "Query tables").
 */
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import type { LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { instrumentRows, type InstrumentRows, type RaterUsers } from './projection-rows.js';
import { documentRoundRaters } from './rounds.js';
import type { SqlSession, Statement } from './sql-runner.js';
import type { DocumentStore } from './store.js';

export {
  instrumentRows,
  consensusRows,
  revealedRatingRows,
  type ConsensusRow,
  type RatingRow,
  type InstrumentRows,
  type RaterUsers,
} from './projection-rows.js';

/** The document kinds projected today (plans come with the plan tables). */
export const PROJECTED_KINDS = ['prerequisites', 'assessment'] as const;

export interface ProjectedDocument {
  documentId: string;
  workspaceId: string;
  kind: (typeof PROJECTED_KINDS)[number];
  templateId: string | null;
  templateVersion: number | null;
}

/** The leveled template of an instrument when this build has that version, else null. */
export function instrumentTemplate(
  templateId: string | null,
  templateVersion: number | null,
): LeveledTemplate | null {
  const template = templateId ? getBuiltinTemplate(templateId) : undefined;
  if (!template || template.kind === 'plan' || template.version !== templateVersion) return null;
  return template;
}

/** Who each rater key of every round of a document stands for (round_raters). */
export async function raterUsers(sql: SqlSession, documentId: string): Promise<RaterUsers> {
  const byRound = await documentRoundRaters(sql, documentId);
  return Object.fromEntries(
    Object.entries(byRound).map(([round, raters]) => [
      round,
      Object.fromEntries(raters.map((r) => [r.raterKey, r.userId])),
    ]),
  );
}

/**
 * Upserts and deletes in one statement (data-modifying CTEs), so a document's rows change
 * together. Rows are written only while the document exists in that workspace (a document
 * deleted meanwhile takes its rows with it); a decision or rating naming a user who no longer
 * exists keeps the decision without its author, and drops the rating.
 */
const PROJECT: Statement = {
  name: 'concord_projection_write',
  text: `with
  doc as (select 1 from documents where id = $1::uuid and workspace_id = $2::uuid),
  c_in as (
    select * from jsonb_to_recordset($3::jsonb) as t(
      indicator_id text, value int, rationale text, status text, decided_by uuid,
      decided_at timestamptz)
  ),
  r_in as (
    select t.* from jsonb_to_recordset($4::jsonb) as t(indicator_id text, rater_id uuid, value int)
    join users u on u.id = t.rater_id
  ),
  c_up as (
    insert into consensus as c (workspace_id, document_id, indicator_id, value, rationale,
      status, decided_by, decided_at)
    select $2::uuid, $1::uuid, i.indicator_id, i.value, i.rationale, i.status, u.id, i.decided_at
    from c_in i left join users u on u.id = i.decided_by
    where exists (select 1 from doc)
    on conflict (document_id, indicator_id) do update set
      workspace_id = excluded.workspace_id, value = excluded.value,
      rationale = excluded.rationale, status = excluded.status,
      decided_by = excluded.decided_by, decided_at = excluded.decided_at, updated_at = now()
    where (c.workspace_id, c.value, c.rationale, c.status, c.decided_by, c.decided_at)
      is distinct from (excluded.workspace_id, excluded.value, excluded.rationale,
        excluded.status, excluded.decided_by, excluded.decided_at)
    returning 1
  ),
  c_del as (
    delete from consensus c where c.document_id = $1::uuid
      and not exists (select 1 from c_in i where i.indicator_id = c.indicator_id)
    returning 1
  ),
  r_up as (
    insert into ratings as r (workspace_id, document_id, indicator_id, rater_id, value, note)
    select $2::uuid, $1::uuid, i.indicator_id, i.rater_id, i.value, null
    from r_in i
    where exists (select 1 from doc)
    on conflict (document_id, indicator_id, rater_id) do update set
      workspace_id = excluded.workspace_id, value = excluded.value, note = null,
      updated_at = now()
    where (r.workspace_id, r.value, r.note) is distinct from
      (excluded.workspace_id, excluded.value, excluded.note)
    returning 1
  ),
  r_del as (
    delete from ratings r where r.document_id = $1::uuid
      and not exists (
        select 1 from r_in i where i.indicator_id = r.indicator_id and i.rater_id = r.rater_id)
    returning 1
  )
select (select count(*) from c_up)::int as consensus_written,
  (select count(*) from c_del)::int as consensus_deleted,
  (select count(*) from r_up)::int as ratings_written,
  (select count(*) from r_del)::int as ratings_deleted`,
};

export interface ProjectionWrite {
  /** Rows inserted or changed. */
  consensusWritten: number;
  consensusDeleted: number;
  ratingsWritten: number;
  ratingsDeleted: number;
}

/** Makes the query tables hold exactly `rows` for the document (one statement). */
export async function writeProjection(
  sql: SqlSession,
  target: { documentId: string; workspaceId: string },
  rows: InstrumentRows,
): Promise<ProjectionWrite> {
  const consensus = rows.consensus.map((r) => ({
    indicator_id: r.indicatorId,
    value: r.value,
    rationale: r.rationale,
    status: r.status,
    decided_by: r.decidedBy,
    decided_at: r.decidedAt,
  }));
  const ratings = rows.ratings.map((r) => ({
    indicator_id: r.indicatorId,
    rater_id: r.raterId,
    value: r.value,
  }));
  const [row] = await sql.query<{
    consensus_written: number;
    consensus_deleted: number;
    ratings_written: number;
    ratings_deleted: number;
  }>(PROJECT, [
    target.documentId,
    target.workspaceId,
    JSON.stringify(consensus),
    JSON.stringify(ratings),
  ]);
  return {
    consensusWritten: Number(row?.consensus_written ?? 0),
    consensusDeleted: Number(row?.consensus_deleted ?? 0),
    ratingsWritten: Number(row?.ratings_written ?? 0),
    ratingsDeleted: Number(row?.ratings_deleted ?? 0),
  };
}

const PROJECTED_DOCUMENT: Statement = {
  name: 'concord_projection_document',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version
    from documents where id = $1::uuid and kind in ('prerequisites', 'assessment')`,
};

const PROJECTED_DOCUMENTS: Statement = {
  name: 'concord_projection_documents',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version
    from documents
    where kind in ('prerequisites', 'assessment')
      and ($1::uuid is null or workspace_id = $1::uuid)
    order by workspace_id, id`,
};

type DocumentRow = {
  id: string;
  workspace_id: string;
  kind: ProjectedDocument['kind'];
  template_id: string | null;
  template_version: number | string | null;
};

function projected(r: DocumentRow): ProjectedDocument {
  return {
    documentId: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind,
    templateId: r.template_id,
    templateVersion: r.template_version === null ? null : Number(r.template_version),
  };
}

/** The document when it is one the projection follows (a checklist or assessment), else null. */
export async function projectedDocument(
  sql: SqlSession,
  documentId: string,
): Promise<ProjectedDocument | null> {
  const [row] = await sql.query<DocumentRow>(PROJECTED_DOCUMENT, [documentId]);
  return row ? projected(row) : null;
}

/** Every projected document, of one workspace or of all. */
export async function projectedDocuments(
  sql: SqlSession,
  workspaceId: string | null = null,
): Promise<ProjectedDocument[]> {
  const rows = await sql.query<DocumentRow>(PROJECTED_DOCUMENTS, [workspaceId]);
  return rows.map(projected);
}

/** Rows of documents that are not projected (a plan, ratings, a document of no known kind). */
const DELETE_STRAYS: Statement = {
  name: 'concord_projection_strays',
  text: `with
  c as (delete from consensus t using documents d
    where d.id = t.document_id and d.kind not in ('prerequisites', 'assessment')
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  r as (delete from ratings t using documents d
    where d.id = t.document_id and d.kind not in ('prerequisites', 'assessment')
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1)
select (select count(*) from c)::int + (select count(*) from r)::int as deleted`,
};

/** Projects one document from its stored state; false when its template is not known here. */
export async function projectStoredDocument(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<{ rows: InstrumentRows; write: ProjectionWrite } | null> {
  const template = instrumentTemplate(document.templateId, document.templateVersion);
  if (!template) return null;
  const [{ state }, raters] = await Promise.all([
    store.load(document.documentId),
    raterUsers(sql, document.documentId),
  ]);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const rows = instrumentRows(doc, template, raters);
    const write = await writeProjection(sql, document, rows);
    return { rows, write };
  } finally {
    doc.destroy();
  }
}

export interface RebuildResult {
  /** Documents projected. */
  documents: number;
  /** Documents left as they were: their template (id and version) is not one this build has. */
  skipped: { documentId: string; templateId: string | null; templateVersion: number | null }[];
  consensusRows: number;
  ratingsRows: number;
  /** Rows inserted, changed or deleted (0 when the tables were already in step). */
  changed: number;
  ms: number;
}

/**
 * Rebuilds `consensus` and `ratings` from the stored documents: every checklist and assessment
 * (of one workspace, or all) is projected as the server projects it, and rows of documents that
 * are not projected are deleted. Idempotent; safe while the server runs (a document edited
 * meanwhile is projected again by the server after the edit).
 */
export async function rebuildProjections(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  options: { workspaceId?: string | null; onDocument?: (documentId: string) => void } = {},
): Promise<RebuildResult> {
  const started = performance.now();
  const documents = await projectedDocuments(sql, options.workspaceId ?? null);
  const result: RebuildResult = {
    documents: 0,
    skipped: [],
    consensusRows: 0,
    ratingsRows: 0,
    changed: 0,
    ms: 0,
  };
  for (const document of documents) {
    const done = await projectStoredDocument(sql, store, document);
    options.onDocument?.(document.documentId);
    if (!done) {
      result.skipped.push({
        documentId: document.documentId,
        templateId: document.templateId,
        templateVersion: document.templateVersion,
      });
      continue;
    }
    result.documents++;
    result.consensusRows += done.rows.consensus.length;
    result.ratingsRows += done.rows.ratings.length;
    const w = done.write;
    result.changed += w.consensusWritten + w.consensusDeleted + w.ratingsWritten + w.ratingsDeleted;
  }
  const [strays] = await sql.query<{ deleted: number }>(DELETE_STRAYS, [
    options.workspaceId ?? null,
  ]);
  result.changed += Number(strays?.deleted ?? 0);
  result.ms = performance.now() - started;
  return result;
}
