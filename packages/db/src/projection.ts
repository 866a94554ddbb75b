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
  instrumentState,
  type ConsensusRow,
  type RatingRow,
  type InstrumentRows,
  type InstrumentStateRow,
  type SectionScoreRow,
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
  /** The document's head_seq when this was read (what a projection from now on covers). */
  headSeq: number;
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
    select t.* from jsonb_to_recordset($4::jsonb)
      as t(indicator_id text, rater_id uuid, round_id text, value int)
    join users u on u.id = t.rater_id
  ),
  s_in as (
    select * from jsonb_to_record($5::jsonb) as t(
      items_total int, items_agreed int, items_in_discussion int, round_number int,
      round_open boolean, round_items int, round_revealed int, round_raters int,
      round_raters_done int, readiness text, barriers int, section_scores jsonb)
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
    insert into ratings as r (workspace_id, document_id, indicator_id, rater_id, round_id, value,
      note)
    select $2::uuid, $1::uuid, i.indicator_id, i.rater_id, i.round_id, i.value, null
    from r_in i
    where exists (select 1 from doc)
    on conflict (document_id, indicator_id, rater_id, round_id) do update set
      workspace_id = excluded.workspace_id, value = excluded.value, note = null,
      updated_at = now()
    where (r.workspace_id, r.value, r.note) is distinct from
      (excluded.workspace_id, excluded.value, excluded.note)
    returning 1
  ),
  r_del as (
    delete from ratings r where r.document_id = $1::uuid
      and not exists (
        select 1 from r_in i where i.indicator_id = r.indicator_id and i.rater_id = r.rater_id
          and i.round_id = r.round_id)
    returning 1
  ),
  s_up as (
    insert into instrument_states as s (document_id, workspace_id, items_total, items_agreed,
      items_in_discussion, round_number, round_open, round_items, round_revealed, round_raters,
      round_raters_done, readiness, barriers, section_scores, projected_seq)
    select $1::uuid, $2::uuid, i.items_total, i.items_agreed, i.items_in_discussion,
      i.round_number, i.round_open, i.round_items, i.round_revealed, i.round_raters,
      i.round_raters_done, i.readiness, i.barriers, i.section_scores, $6::bigint
    from s_in i
    where exists (select 1 from doc)
    on conflict (document_id) do update set
      workspace_id = excluded.workspace_id, items_total = excluded.items_total,
      items_agreed = excluded.items_agreed, items_in_discussion = excluded.items_in_discussion,
      round_number = excluded.round_number, round_open = excluded.round_open,
      round_items = excluded.round_items, round_revealed = excluded.round_revealed,
      round_raters = excluded.round_raters, round_raters_done = excluded.round_raters_done,
      readiness = excluded.readiness, barriers = excluded.barriers,
      section_scores = excluded.section_scores, projected_seq = excluded.projected_seq,
      updated_at = case
        when (s.workspace_id, s.items_total, s.items_agreed, s.items_in_discussion,
          s.round_number, s.round_open, s.round_items, s.round_revealed, s.round_raters,
          s.round_raters_done, s.readiness, s.barriers, s.section_scores)
          is distinct from (excluded.workspace_id, excluded.items_total, excluded.items_agreed,
            excluded.items_in_discussion, excluded.round_number, excluded.round_open,
            excluded.round_items, excluded.round_revealed, excluded.round_raters,
            excluded.round_raters_done, excluded.readiness, excluded.barriers,
            excluded.section_scores)
        then now() else s.updated_at end
    where (s.workspace_id, s.items_total, s.items_agreed, s.items_in_discussion, s.round_number,
        s.round_open, s.round_items, s.round_revealed, s.round_raters, s.round_raters_done,
        s.readiness, s.barriers, s.section_scores, s.projected_seq)
      is distinct from (excluded.workspace_id, excluded.items_total, excluded.items_agreed,
        excluded.items_in_discussion, excluded.round_number, excluded.round_open,
        excluded.round_items, excluded.round_revealed, excluded.round_raters,
        excluded.round_raters_done, excluded.readiness, excluded.barriers,
        excluded.section_scores, excluded.projected_seq)
    returning 1
  )
select (select count(*) from c_up)::int as consensus_written,
  (select count(*) from c_del)::int as consensus_deleted,
  (select count(*) from r_up)::int as ratings_written,
  (select count(*) from r_del)::int as ratings_deleted,
  -- The state's figures changed (not only projected_seq): every CTE and this select see the
  -- table as it was before the statement.
  (select count(*) from s_in i where exists (select 1 from doc) and not exists (
    select 1 from instrument_states o where o.document_id = $1::uuid
      and (o.workspace_id, o.items_total, o.items_agreed, o.items_in_discussion, o.round_number,
        o.round_open, o.round_items, o.round_revealed, o.round_raters, o.round_raters_done,
        o.readiness, o.barriers, o.section_scores)
      is not distinct from ($2::uuid, i.items_total, i.items_agreed, i.items_in_discussion,
        i.round_number, i.round_open, i.round_items, i.round_revealed, i.round_raters,
        i.round_raters_done, i.readiness, i.barriers, i.section_scores)))::int as state_written,
  (select count(*) from s_up)::int as state_touched`,
};

export interface ProjectionWrite {
  /** Rows inserted or changed. */
  consensusWritten: number;
  consensusDeleted: number;
  ratingsWritten: number;
  ratingsDeleted: number;
  /** 1 when the instrument's state row was inserted or its figures changed. */
  stateWritten: number;
}

/**
 * Makes the query tables hold exactly `rows` for the document (one statement), and records the
 * document's `headSeq` as projected: read it before the document state the rows come from, so
 * a change the rows may not hold leaves the projection behind (and caught up later), never
 * ahead.
 */
export async function writeProjection(
  sql: SqlSession,
  target: { documentId: string; workspaceId: string; headSeq: number },
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
    round_id: r.roundId,
    value: r.value,
  }));
  const st = rows.state;
  const state = {
    items_total: st.itemsTotal,
    items_agreed: st.itemsAgreed,
    items_in_discussion: st.itemsInDiscussion,
    round_number: st.roundNumber,
    round_open: st.roundOpen,
    round_items: st.roundItems,
    round_revealed: st.roundRevealed,
    round_raters: st.roundRaters,
    round_raters_done: st.roundRatersDone,
    readiness: st.readiness,
    barriers: st.barriers,
    section_scores: st.sectionScores,
  };
  const [row] = await sql.query<{
    consensus_written: number;
    consensus_deleted: number;
    ratings_written: number;
    ratings_deleted: number;
    state_written: number;
  }>(PROJECT, [
    target.documentId,
    target.workspaceId,
    JSON.stringify(consensus),
    JSON.stringify(ratings),
    JSON.stringify(state),
    target.headSeq,
  ]);
  return {
    consensusWritten: Number(row?.consensus_written ?? 0),
    consensusDeleted: Number(row?.consensus_deleted ?? 0),
    ratingsWritten: Number(row?.ratings_written ?? 0),
    ratingsDeleted: Number(row?.ratings_deleted ?? 0),
    stateWritten: Number(row?.state_written ?? 0),
  };
}

const PROJECTED_DOCUMENT: Statement = {
  name: 'concord_projection_document',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version, head_seq
    from documents where id = $1::uuid and kind in ('prerequisites', 'assessment')`,
};

/** Instruments whose stored head is ahead of their projection, or never projected. */
const BEHIND: Statement = {
  name: 'concord_projection_behind',
  text: `select d.id::text as id, d.workspace_id::text as workspace_id, d.kind, d.template_id,
      d.template_version, d.head_seq
    from documents d left join instrument_states s on s.document_id = d.id
    where d.kind in ('prerequisites', 'assessment')
      and (s.document_id is null or d.head_seq > s.projected_seq)
    order by d.id limit $1`,
};

const PROJECTED_DOCUMENTS: Statement = {
  name: 'concord_projection_documents',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version, head_seq
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
  head_seq: number | string;
};

function projected(r: DocumentRow): ProjectedDocument {
  return {
    documentId: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind,
    templateId: r.template_id,
    templateVersion: r.template_version === null ? null : Number(r.template_version),
    headSeq: Number(r.head_seq),
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

/**
 * Instruments the query tables are behind on (changed after their last projection: a crash
 * between a document write and its projection, an import, a migration), at most `limit`.
 */
export async function projectionsBehind(
  sql: SqlSession,
  limit = 1_000,
): Promise<ProjectedDocument[]> {
  const rows = await sql.query<DocumentRow>(BEHIND, [limit]);
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

/** The rows of a document as the store holds it; null when its template is not known here. */
export async function storedInstrumentRows(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<InstrumentRows | null> {
  const template = instrumentTemplate(document.templateId, document.templateVersion);
  if (!template) return null;
  const [{ state }, raters] = await Promise.all([
    store.load(document.documentId),
    raterUsers(sql, document.documentId),
  ]);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return instrumentRows(doc, template, raters);
  } finally {
    doc.destroy();
  }
}

/** Projects one document from its stored state; null when its template is not known here. */
export async function projectStoredDocument(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<{ rows: InstrumentRows; write: ProjectionWrite } | null> {
  const rows = await storedInstrumentRows(sql, store, document);
  if (!rows) return null;
  return { rows, write: await writeProjection(sql, document, rows) };
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
    result.changed +=
      w.consensusWritten +
      w.consensusDeleted +
      w.ratingsWritten +
      w.ratingsDeleted +
      w.stateWritten;
  }
  const [strays] = await sql.query<{ deleted: number }>(DELETE_STRAYS, [
    options.workspaceId ?? null,
  ]);
  result.changed += Number(strays?.deleted ?? 0);
  result.ms = performance.now() - started;
  return result;
}
