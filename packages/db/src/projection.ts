/**
 * The query tables kept in step with the documents (issue 39): what the sync server's projector
 * and the rebuild command (`concord-project`, projection-cli.ts) write, one statement each, the
 * same on PGlite and PostgreSQL.
 *
 * A projection of a document is idempotent: one statement upserts the document's current rows
 * (an instrument's `consensus`, `ratings` and `instrument_states`, mapped by projection-rows.ts;
 * a plan's `goals`, `goal_owners`, `action_steps`, `metrics` and `metric_values`, mapped by
 * projection-plan-rows.ts), deletes
 * the rows it no longer has, and leaves a row that did not change untouched (its updated_at
 * stays), so projecting twice, or a rebuild after the live projection, changes nothing. Each
 * projection records the document's head_seq it covers (instrument_states.projected_seq,
 * plan_states.projected_seq), so what was stored but not projected is found and caught up. The
 * documents stay the source of truth; any row can be rebuilt from them.
 *
 * What `ratings` holds: only ratings a round has revealed (the instrument's round snapshots),
 * never a rater's private ratings document, so no value is readable through the table before
 * the team has seen it (docs/ARCHITECTURE.md, "Query tables").
 */
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import type { LeveledTemplate, PlanTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { planRows, type PlanRows } from './projection-plan-rows.js';
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
export {
  planRows,
  planSnapshotRows,
  type PlanRows,
  type GoalRow,
  type GoalOwnerRow,
  type ActionStepRow,
  type MetricRow,
  type MetricValueRow,
} from './projection-plan-rows.js';

/** The document kinds projected: the instruments, and plans. */
export const PROJECTED_KINDS = ['prerequisites', 'assessment', 'plan'] as const;

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

/** The plan template of a plan when this build has that version, else null. */
export function planTemplate(
  templateId: string | null,
  templateVersion: number | null,
): PlanTemplate | null {
  const template = templateId ? getBuiltinTemplate(templateId) : undefined;
  if (!template || template.kind !== 'plan' || template.version !== templateVersion) return null;
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

/**
 * A plan's rows, as PROJECT does an instrument's: goals and their owners, action steps, metrics
 * and their measurements upserted and deleted in one statement (foreign keys are checked at its
 * end, so a new goal and its steps and owners go in together), only while the document exists
 * in that workspace; an owner naming a user who no longer exists is left out. plan_states records the head_seq covered, and its updated_at
 * moves only when a row changed.
 */
const PROJECT_PLAN: Statement = {
  name: 'concord_projection_plan_write',
  text: `with
  doc as (select 1 from documents where id = $1::uuid and workspace_id = $2::uuid),
  g_in as (
    select * from jsonb_to_recordset($3::jsonb) as t(
      goal_id text, area_id text, title text, owner_id uuid, owner_name text, phase_year int,
      start_date date, due_date date, status text, confidence text, indicator_ids text[])
  ),
  a_in as (
    select * from jsonb_to_recordset($4::jsonb) as t(
      step_id text, goal_id text, title text, owner_id uuid, owner_name text, due_date date,
      status text)
  ),
  m_in as (
    select * from jsonb_to_recordset($5::jsonb) as t(
      metric_id text, subgroup text, goal_id text, name text, source text, unit text,
      baseline float8, target float8, current float8)
  ),
  o_in as (
    select t.* from jsonb_to_recordset($7::jsonb)
      as t(goal_id text, position int, user_id uuid, name text)
    where t.user_id is null or exists (select 1 from users u where u.id = t.user_id)
  ),
  v_in as (
    select * from jsonb_to_recordset($8::jsonb)
      as t(metric_id text, subgroup text, measured_on date, value float8)
  ),
  g_up as (
    insert into goals as g (workspace_id, document_id, goal_id, area_id, title, owner_id,
      owner_name, phase_year, start_date, due_date, status, confidence, indicator_ids)
    select $2::uuid, $1::uuid, i.goal_id, i.area_id, i.title, u.id, i.owner_name, i.phase_year,
      i.start_date, i.due_date, i.status, i.confidence, coalesce(i.indicator_ids, '{}')
    from g_in i left join users u on u.id = i.owner_id
    where exists (select 1 from doc)
    on conflict (document_id, goal_id) do update set
      workspace_id = excluded.workspace_id, area_id = excluded.area_id, title = excluded.title,
      owner_id = excluded.owner_id, owner_name = excluded.owner_name,
      phase_year = excluded.phase_year, start_date = excluded.start_date,
      due_date = excluded.due_date, status = excluded.status, confidence = excluded.confidence,
      indicator_ids = excluded.indicator_ids, updated_at = now()
    where (g.workspace_id, g.area_id, g.title, g.owner_id, g.owner_name, g.phase_year,
        g.start_date, g.due_date, g.status, g.confidence, g.indicator_ids)
      is distinct from (excluded.workspace_id, excluded.area_id, excluded.title,
        excluded.owner_id, excluded.owner_name, excluded.phase_year, excluded.start_date,
        excluded.due_date, excluded.status, excluded.confidence, excluded.indicator_ids)
    returning 1
  ),
  g_del as (
    delete from goals g where g.document_id = $1::uuid
      and not exists (select 1 from g_in i where i.goal_id = g.goal_id)
    returning 1
  ),
  a_up as (
    insert into action_steps as a (workspace_id, document_id, step_id, goal_id, title, owner_id,
      owner_name, due_date, status)
    select $2::uuid, $1::uuid, i.step_id, i.goal_id, i.title, u.id, i.owner_name, i.due_date,
      i.status
    from a_in i left join users u on u.id = i.owner_id
    where exists (select 1 from doc)
    on conflict (document_id, step_id) do update set
      workspace_id = excluded.workspace_id, goal_id = excluded.goal_id, title = excluded.title,
      owner_id = excluded.owner_id, owner_name = excluded.owner_name,
      due_date = excluded.due_date, status = excluded.status, updated_at = now()
    where (a.workspace_id, a.goal_id, a.title, a.owner_id, a.owner_name, a.due_date, a.status)
      is distinct from (excluded.workspace_id, excluded.goal_id, excluded.title,
        excluded.owner_id, excluded.owner_name, excluded.due_date, excluded.status)
    returning 1
  ),
  a_del as (
    delete from action_steps a where a.document_id = $1::uuid
      and not exists (select 1 from a_in i where i.step_id = a.step_id)
    returning 1
  ),
  m_up as (
    insert into metrics as m (workspace_id, document_id, metric_id, subgroup, goal_id, name,
      source, unit, baseline, target, current)
    select $2::uuid, $1::uuid, i.metric_id, i.subgroup, i.goal_id, i.name, i.source, i.unit,
      i.baseline, i.target, i.current
    from m_in i
    where exists (select 1 from doc)
    on conflict (document_id, metric_id, subgroup) do update set
      workspace_id = excluded.workspace_id, goal_id = excluded.goal_id, name = excluded.name,
      source = excluded.source, unit = excluded.unit, baseline = excluded.baseline,
      target = excluded.target, current = excluded.current, updated_at = now()
    where (m.workspace_id, m.goal_id, m.name, m.source, m.unit, m.baseline, m.target, m.current)
      is distinct from (excluded.workspace_id, excluded.goal_id, excluded.name, excluded.source,
        excluded.unit, excluded.baseline, excluded.target, excluded.current)
    returning 1
  ),
  m_del as (
    delete from metrics m where m.document_id = $1::uuid
      and not exists (
        select 1 from m_in i where i.metric_id = m.metric_id and i.subgroup = m.subgroup)
    returning 1
  ),
  o_up as (
    insert into goal_owners as o (workspace_id, document_id, goal_id, position, user_id, name)
    select $2::uuid, $1::uuid, i.goal_id, i.position, i.user_id, i.name
    from o_in i
    where exists (select 1 from doc)
    on conflict (document_id, goal_id, position) do update set
      workspace_id = excluded.workspace_id, user_id = excluded.user_id, name = excluded.name,
      updated_at = now()
    where (o.workspace_id, o.user_id, o.name)
      is distinct from (excluded.workspace_id, excluded.user_id, excluded.name)
    returning 1
  ),
  o_del as (
    delete from goal_owners o where o.document_id = $1::uuid
      and not exists (
        select 1 from o_in i where i.goal_id = o.goal_id and i.position = o.position)
    returning 1
  ),
  v_up as (
    insert into metric_values as v (workspace_id, document_id, metric_id, subgroup, measured_on,
      value)
    select $2::uuid, $1::uuid, i.metric_id, i.subgroup, i.measured_on, i.value
    from v_in i
    where exists (select 1 from doc)
    on conflict (document_id, metric_id, subgroup, measured_on) do update set
      workspace_id = excluded.workspace_id, value = excluded.value, updated_at = now()
    where (v.workspace_id, v.value) is distinct from (excluded.workspace_id, excluded.value)
    returning 1
  ),
  v_del as (
    delete from metric_values v where v.document_id = $1::uuid
      and not exists (
        select 1 from v_in i where i.metric_id = v.metric_id and i.subgroup = v.subgroup
          and i.measured_on = v.measured_on)
    returning 1
  ),
  counts as (
    select (select count(*) from g_up)::int as goals_written,
      (select count(*) from g_del)::int as goals_deleted,
      (select count(*) from a_up)::int as steps_written,
      (select count(*) from a_del)::int as steps_deleted,
      (select count(*) from m_up)::int as metrics_written,
      (select count(*) from m_del)::int as metrics_deleted,
      (select count(*) from o_up)::int as owners_written,
      (select count(*) from o_del)::int as owners_deleted,
      (select count(*) from v_up)::int as values_written,
      (select count(*) from v_del)::int as values_deleted
  ),
  s_up as (
    insert into plan_states as s (document_id, workspace_id, projected_seq, updated_at)
    select $1::uuid, $2::uuid, $6::bigint,
      case when o.document_id is null or c.goals_written + c.goals_deleted + c.steps_written
          + c.steps_deleted + c.metrics_written + c.metrics_deleted + c.owners_written
          + c.owners_deleted + c.values_written + c.values_deleted > 0
        then now() else o.updated_at end
    from counts c left join plan_states o on o.document_id = $1::uuid
    where exists (select 1 from doc)
    on conflict (document_id) do update set
      workspace_id = excluded.workspace_id, projected_seq = excluded.projected_seq,
      updated_at = excluded.updated_at
    where (s.workspace_id, s.projected_seq, s.updated_at)
      is distinct from (excluded.workspace_id, excluded.projected_seq, excluded.updated_at)
    returning 1
  )
select c.*, (select count(*) from s_up)::int as state_touched from counts c`,
};

export interface PlanProjectionWrite {
  /** Rows inserted or changed, and deleted. */
  goalsWritten: number;
  goalsDeleted: number;
  stepsWritten: number;
  stepsDeleted: number;
  metricsWritten: number;
  metricsDeleted: number;
  ownersWritten: number;
  ownersDeleted: number;
  valuesWritten: number;
  valuesDeleted: number;
}

/**
 * Makes `goals`, `goal_owners`, `action_steps`, `metrics` and `metric_values` hold exactly `rows`
 * for the plan (one statement),
 * and records `headSeq` as projected (read it before the document state, as writeProjection).
 */
export async function writePlanProjection(
  sql: SqlSession,
  target: { documentId: string; workspaceId: string; headSeq: number },
  rows: PlanRows,
): Promise<PlanProjectionWrite> {
  const goals = rows.goals.map((g) => ({
    goal_id: g.goalId,
    area_id: g.areaId,
    title: g.title,
    owner_id: g.ownerId,
    owner_name: g.ownerName,
    phase_year: g.phaseYear,
    start_date: g.startDate,
    due_date: g.dueDate,
    status: g.status,
    confidence: g.confidence,
    indicator_ids: g.indicatorIds,
  }));
  const steps = rows.actionSteps.map((a) => ({
    step_id: a.stepId,
    goal_id: a.goalId,
    title: a.title,
    owner_id: a.ownerId,
    owner_name: a.ownerName,
    due_date: a.dueDate,
    status: a.status,
  }));
  const metrics = rows.metrics.map((m) => ({
    metric_id: m.metricId,
    subgroup: m.subgroup,
    goal_id: m.goalId,
    name: m.name,
    source: m.source,
    unit: m.unit,
    baseline: m.baseline,
    target: m.target,
    current: m.current,
  }));
  const owners = rows.goalOwners.map((o) => ({
    goal_id: o.goalId,
    position: o.position,
    user_id: o.userId,
    name: o.name,
  }));
  const values = rows.metricValues.map((v) => ({
    metric_id: v.metricId,
    subgroup: v.subgroup,
    measured_on: v.measuredOn,
    value: v.value,
  }));
  const [row] = await sql.query<{
    goals_written: number;
    goals_deleted: number;
    steps_written: number;
    steps_deleted: number;
    metrics_written: number;
    metrics_deleted: number;
    owners_written: number;
    owners_deleted: number;
    values_written: number;
    values_deleted: number;
  }>(PROJECT_PLAN, [
    target.documentId,
    target.workspaceId,
    JSON.stringify(goals),
    JSON.stringify(steps),
    JSON.stringify(metrics),
    target.headSeq,
    JSON.stringify(owners),
    JSON.stringify(values),
  ]);
  return {
    goalsWritten: Number(row?.goals_written ?? 0),
    goalsDeleted: Number(row?.goals_deleted ?? 0),
    stepsWritten: Number(row?.steps_written ?? 0),
    stepsDeleted: Number(row?.steps_deleted ?? 0),
    metricsWritten: Number(row?.metrics_written ?? 0),
    metricsDeleted: Number(row?.metrics_deleted ?? 0),
    ownersWritten: Number(row?.owners_written ?? 0),
    ownersDeleted: Number(row?.owners_deleted ?? 0),
    valuesWritten: Number(row?.values_written ?? 0),
    valuesDeleted: Number(row?.values_deleted ?? 0),
  };
}

const PROJECTED_DOCUMENT: Statement = {
  name: 'concord_projection_document',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version, head_seq
    from documents where id = $1::uuid and kind in ('prerequisites', 'assessment', 'plan')`,
};

/** Projected documents whose stored head is ahead of their projection, or never projected. */
const BEHIND: Statement = {
  name: 'concord_projection_behind',
  text: `select d.id::text as id, d.workspace_id::text as workspace_id, d.kind, d.template_id,
      d.template_version, d.head_seq
    from documents d
      left join instrument_states s on s.document_id = d.id
      left join plan_states p on p.document_id = d.id
    where (d.kind in ('prerequisites', 'assessment')
        and (s.document_id is null or d.head_seq > s.projected_seq))
      or (d.kind = 'plan' and (p.document_id is null or d.head_seq > p.projected_seq))
    order by d.id limit $1`,
};

const PROJECTED_DOCUMENTS: Statement = {
  name: 'concord_projection_documents',
  text: `select id::text as id, workspace_id::text as workspace_id, kind, template_id,
      template_version, head_seq
    from documents
    where kind in ('prerequisites', 'assessment', 'plan')
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

/** The document when it is one the projection follows (a checklist, assessment or plan), else
 * null. */
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
 * Documents the query tables are behind on (changed after their last projection: a crash
 * between a document write and its projection, an import, a migration), at most `limit`.
 */
export async function projectionsBehind(
  sql: SqlSession,
  limit = 1_000,
): Promise<ProjectedDocument[]> {
  const rows = await sql.query<DocumentRow>(BEHIND, [limit]);
  return rows.map(projected);
}

/** Rows on documents whose kind that table does not project from (instrument rows on a plan,
 * plan rows on an instrument, any on ratings or comments). */
const DELETE_STRAYS: Statement = {
  name: 'concord_projection_strays',
  text: `with
  c as (delete from consensus t using documents d
    where d.id = t.document_id and d.kind not in ('prerequisites', 'assessment')
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  r as (delete from ratings t using documents d
    where d.id = t.document_id and d.kind not in ('prerequisites', 'assessment')
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  a as (delete from action_steps t using documents d
    where d.id = t.document_id and d.kind <> 'plan'
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  o as (delete from goal_owners t using documents d
    where d.id = t.document_id and d.kind <> 'plan'
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  v as (delete from metric_values t using documents d
    where d.id = t.document_id and d.kind <> 'plan'
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  m as (delete from metrics t using documents d
    where d.id = t.document_id and d.kind <> 'plan'
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1),
  g as (delete from goals t using documents d
    where d.id = t.document_id and d.kind <> 'plan'
      and ($1::uuid is null or t.workspace_id = $1::uuid) returning 1)
select (select count(*) from c)::int + (select count(*) from r)::int
  + (select count(*) from a)::int + (select count(*) from m)::int
  + (select count(*) from g)::int + (select count(*) from o)::int
  + (select count(*) from v)::int as deleted`,
};

/** The rows of an instrument as the store holds it; null when its template is not known here
 * (or it is not an instrument). */
export async function storedInstrumentRows(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<InstrumentRows | null> {
  if (document.kind === 'plan') return null;
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

/** The rows of a plan as the store holds it; null when its template is not known here (or it
 * is not a plan). */
export async function storedPlanRows(
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<PlanRows | null> {
  if (document.kind !== 'plan') return null;
  const template = planTemplate(document.templateId, document.templateVersion);
  if (!template) return null;
  const { state } = await store.load(document.documentId);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return planRows(doc, template);
  } finally {
    doc.destroy();
  }
}

/** What projecting one document wrote: an instrument's rows or a plan's. */
export type StoredProjection =
  | { kind: 'instrument'; rows: InstrumentRows; write: ProjectionWrite }
  | { kind: 'plan'; rows: PlanRows; write: PlanProjectionWrite };

/** Projects one document from its stored state; null when its template is not known here. */
export async function projectStoredDocument(
  sql: SqlSession,
  store: Pick<DocumentStore, 'load'>,
  document: ProjectedDocument,
): Promise<StoredProjection | null> {
  if (document.kind === 'plan') {
    const rows = await storedPlanRows(store, document);
    if (!rows) return null;
    return { kind: 'plan', rows, write: await writePlanProjection(sql, document, rows) };
  }
  const rows = await storedInstrumentRows(sql, store, document);
  if (!rows) return null;
  return { kind: 'instrument', rows, write: await writeProjection(sql, document, rows) };
}

export interface RebuildResult {
  /** Documents projected. */
  documents: number;
  /** Documents left as they were: their template (id and version) is not one this build has. */
  skipped: { documentId: string; templateId: string | null; templateVersion: number | null }[];
  consensusRows: number;
  ratingsRows: number;
  goalRows: number;
  goalOwnerRows: number;
  actionStepRows: number;
  metricRows: number;
  metricValueRows: number;
  /** Rows inserted, changed or deleted (0 when the tables were already in step). */
  changed: number;
  ms: number;
}

/**
 * Rebuilds the query tables from the stored documents: every checklist, assessment and plan (of
 * one workspace, or all) is projected as the server projects it, and rows of documents that a
 * table does not project from are deleted. Idempotent; safe while the server runs (a document edited
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
    goalRows: 0,
    goalOwnerRows: 0,
    actionStepRows: 0,
    metricRows: 0,
    metricValueRows: 0,
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
    if (done.kind === 'plan') {
      result.goalRows += done.rows.goals.length;
      result.actionStepRows += done.rows.actionSteps.length;
      result.metricRows += done.rows.metrics.length;
      result.goalOwnerRows += done.rows.goalOwners.length;
      result.metricValueRows += done.rows.metricValues.length;
      const w = done.write;
      result.changed +=
        w.goalsWritten +
        w.goalsDeleted +
        w.stepsWritten +
        w.stepsDeleted +
        w.metricsWritten +
        w.metricsDeleted +
        w.ownersWritten +
        w.ownersDeleted +
        w.valuesWritten +
        w.valuesDeleted;
    } else {
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
  }
  const [strays] = await sql.query<{ deleted: number }>(DELETE_STRAYS, [
    options.workspaceId ?? null,
  ]);
  result.changed += Number(strays?.deleted ?? 0);
  result.ms = performance.now() - started;
  return result;
}
