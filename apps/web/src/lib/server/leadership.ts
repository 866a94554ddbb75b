/**
 * The leadership view's data (issue 25): for every workspace a person is a member of, what its
 * instruments say (readiness by section, barriers, items agreed: instrument_states) and where its
 * plan stands (goals by status, every owner and phase; overdue goals and actions; outcome
 * metrics over time per subgroup: goals, goal_owners, action_steps, metrics, metric_values), and
 * across the workspaces of a district (its assessment cycles) how each section's readiness
 * moved; all from the query tables the sync server keeps in step with the documents, so the page
 * is a handful of SQL queries, whatever the number of workspaces. Membership is part of every
 * query (the workspace ids come from the person's memberships).
 */
import { planTemplate, type SectionScoreRow } from '@concord/db/projection';
import { readinessCycles, type CycleComparison } from '$lib/leadership/cycles';
import { metricTrends, type MetricTrend } from '$lib/leadership/trends';
import { leveledTemplate } from './instrument-documents.js';
import { statement, type SqlSession } from './sql-statement.js';

/** Overdue goals and actions listed per workspace; the rest are counted (the plan lists them
 * all): fifty workspaces' every overdue item would be a wall nobody reads, and the page's weight
 * (P11). */
export const OVERDUE_SHOWN = 5;

function scaleMax(templateId: string | null, templateVersion: number | null): number {
  const template = leveledTemplate(templateId, templateVersion);
  return template ? Math.max(...template.scale.levels.map((l) => l.value)) : 4;
}

export interface InstrumentSummary {
  documentId: string;
  title: string;
  school: string | null;
  kind: string;
  /** The highest level of the template's scale (a chart's full length). */
  scaleMax: number;
  itemsTotal: number;
  itemsAgreed: number;
  readiness: 'ready' | 'blocked' | 'incomplete' | null;
  barriers: number | null;
  sections: SectionScoreRow[];
}

export interface GoalSummary {
  goalId: string;
  planId: string;
  title: string;
  status: string;
  /** Every owner, in the goal's order: display names of users, names typed in. */
  owners: string[];
  phaseYear: number | null;
  dueDate: string | null;
}

export interface OverdueAction {
  kind: 'goal' | 'step';
  id: string;
  planId: string;
  goalId: string;
  title: string;
  owner: string | null;
  dueDate: string;
}

/** One owner's goals in a workspace (a goal with three owners counts for each of them). */
export interface OwnerSummary {
  owner: string;
  /** The owner's user id, or null for a name typed in. */
  userId: string | null;
  goals: number;
  /** At risk or off track. */
  atRisk: number;
  complete: number;
  /** Not complete, due before today. */
  overdue: number;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  districtName: string;
  schoolYear: string;
  instruments: InstrumentSummary[];
  goals: GoalSummary[];
  byOwner: OwnerSummary[];
  /** The first OVERDUE_SHOWN overdue goals and actions, soonest due first. */
  overdue: OverdueAction[];
  /** How many are overdue in all. */
  overdueCount: number;
  metrics: MetricTrend[];
}

export interface LeadershipView {
  workspaces: WorkspaceSummary[];
  /** Readiness across the cycles (school years) of a district's workspaces. */
  cycles: CycleComparison[];
}

const WORKSPACES = statement(
  'leadership_workspaces',
  `select w.id::text as id, w.name, w.school_year, d.name as district_name,
          d.id::text as district_id
   from memberships m join workspaces w on w.id = m.workspace_id
   join districts d on d.id = w.district_id
   where m.user_id = $1::uuid order by w.name, w.id`,
);

const INSTRUMENTS = statement(
  'leadership_instruments',
  `select st.workspace_id::text as workspace_id, doc.id::text as document_id, doc.title,
          doc.kind, doc.template_id, doc.template_version, doc.school_id::text as school_id,
          to_char(doc.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
          s.name as school, st.items_total, st.items_agreed, st.readiness, st.barriers,
          st.section_scores
   from instrument_states st join documents doc on doc.id = st.document_id
   left join schools s on s.id = doc.school_id
   where st.workspace_id = any($1::uuid[])
   order by doc.created_at, doc.title, doc.id`,
);

/** A goal's owners in its order (goal_owners' primary key is (document_id, goal_id, position)). */
const OWNERS_OF_GOAL = `coalesce((select array_agg(coalesce(u.display_name, o.name) order by o.position)
     from goal_owners o left join users u on u.id = o.user_id
     where o.document_id = g.document_id and o.goal_id = g.goal_id), '{}')`;

const GOALS = statement(
  'leadership_goals',
  `select g.workspace_id::text as workspace_id, g.goal_id, g.document_id::text as plan_id,
          g.title, g.status, ${OWNERS_OF_GOAL} as owners, g.phase_year,
          g.due_date::text as due_date
   from goals g
   where g.workspace_id = any($1::uuid[])
   order by g.phase_year nulls last, g.due_date nulls last, g.title`,
);

/** Goals by owner: every owner of every goal (goal_owners, by its workspace index), counted. */
const BY_OWNER = statement(
  'leadership_by_owner',
  `select o.workspace_id::text as workspace_id, o.user_id::text as user_id,
          coalesce(u.display_name, o.name) as owner, count(*)::int as goals,
          count(*) filter (where g.status in ('at-risk', 'off-track'))::int as at_risk,
          count(*) filter (where g.status = 'complete')::int as complete,
          count(*) filter (where g.status <> 'complete' and g.due_date < $2::date)::int as overdue
   from goal_owners o
   join goals g on g.document_id = o.document_id and g.goal_id = o.goal_id
   left join users u on u.id = o.user_id
   where o.workspace_id = any($1::uuid[])
   group by o.workspace_id, o.user_id, coalesce(u.display_name, o.name)
   order by count(*) desc, coalesce(u.display_name, o.name)`,
);

const METRICS = statement(
  'leadership_metrics',
  `select m.workspace_id::text as workspace_id, m.document_id::text as plan_id, m.metric_id,
          m.subgroup, m.name, m.unit, m.baseline, m.target, d.template_id, d.template_version
   from metrics m join documents d on d.id = m.document_id
   where m.workspace_id = any($1::uuid[])
   order by m.workspace_id, m.name, m.metric_id, m.subgroup`,
);

const METRIC_VALUES = statement(
  'leadership_metric_values',
  `select v.workspace_id::text as workspace_id, v.document_id::text as plan_id, v.metric_id,
          v.subgroup, v.measured_on::text as measured_on, v.value
   from metric_values v
   where v.workspace_id = any($1::uuid[])`,
);

const OVERDUE = statement(
  'leadership_overdue',
  `select a.workspace_id::text as workspace_id, 'step' as kind, a.step_id as id,
          a.document_id::text as plan_id, a.goal_id, a.title,
          coalesce(u.display_name, a.owner_name) as owner, a.due_date::text as due_date
   from action_steps a left join users u on u.id = a.owner_id
   where a.workspace_id = any($1::uuid[]) and a.status <> 'done' and a.due_date < $2::date
   union all
   select g.workspace_id::text, 'goal', g.goal_id, g.document_id::text, g.goal_id, g.title,
          nullif(array_to_string(${OWNERS_OF_GOAL}, ', '), ''), g.due_date::text
   from goals g
   where g.workspace_id = any($1::uuid[]) and g.status <> 'complete' and g.due_date < $2::date
   order by due_date, title`,
);

/** Subgroup labels of a plan template ("english-language-learners" → its label). */
function subgroupLabels(templateId: string | null, templateVersion: number | null) {
  const template = planTemplate(templateId, templateVersion);
  return new Map((template?.subgroups ?? []).map((s) => [s.id, s.label]));
}

/** Every workspace `userId` is a member of, summarised; `today` is YYYY-MM-DD. */
export async function leadershipView(
  db: SqlSession,
  userId: string,
  today: string,
): Promise<LeadershipView> {
  const workspaces = await db.query<{
    id: string;
    name: string;
    school_year: string;
    district_name: string;
    district_id: string;
  }>(WORKSPACES, [userId]);
  if (workspaces.length === 0) return { workspaces: [], cycles: [] };
  const ids = workspaces.map((w) => w.id);
  const [instruments, goals, overdue, byOwner, metrics, values] = await Promise.all([
    db.query<{
      workspace_id: string;
      document_id: string;
      title: string;
      kind: string;
      template_id: string | null;
      template_version: number | null;
      school_id: string | null;
      created_at: string;
      school: string | null;
      items_total: number;
      items_agreed: number;
      readiness: InstrumentSummary['readiness'];
      barriers: number | null;
      section_scores: SectionScoreRow[] | string;
    }>(INSTRUMENTS, [ids]),
    db.query<{
      workspace_id: string;
      goal_id: string;
      plan_id: string;
      title: string;
      status: string;
      owners: string[];
      phase_year: number | null;
      due_date: string | null;
    }>(GOALS, [ids]),
    db.query<{
      workspace_id: string;
      kind: 'goal' | 'step';
      id: string;
      plan_id: string;
      goal_id: string;
      title: string;
      owner: string | null;
      due_date: string;
    }>(OVERDUE, [ids, today]),
    db.query<{
      workspace_id: string;
      user_id: string | null;
      owner: string;
      goals: number;
      at_risk: number;
      complete: number;
      overdue: number;
    }>(BY_OWNER, [ids, today]),
    db.query<{
      workspace_id: string;
      plan_id: string;
      metric_id: string;
      subgroup: string;
      name: string;
      unit: string | null;
      baseline: number | null;
      target: number | null;
      template_id: string | null;
      template_version: number | null;
    }>(METRICS, [ids]),
    db.query<{
      workspace_id: string;
      plan_id: string;
      metric_id: string;
      subgroup: string;
      measured_on: string;
      value: number;
    }>(METRIC_VALUES, [ids]),
  ]);
  const instrumentsOf = new Map<string, (InstrumentSummary & { row: (typeof instruments)[0] })[]>();
  for (const r of instruments) {
    const list = instrumentsOf.get(r.workspace_id) ?? [];
    list.push({
      documentId: r.document_id,
      title: r.title,
      school: r.school,
      kind: r.kind,
      scaleMax: scaleMax(r.template_id, r.template_version),
      itemsTotal: Number(r.items_total),
      itemsAgreed: Number(r.items_agreed),
      readiness: r.readiness,
      barriers: r.barriers === null ? null : Number(r.barriers),
      // PGlite hands jsonb back parsed; node-postgres too, but a string is read the same.
      // Only what the page shows (top-level sections on the template's scale): the page's data
      // is sent along with it, for 50 workspaces.
      sections: (typeof r.section_scores === 'string'
        ? (JSON.parse(r.section_scores) as SectionScoreRow[])
        : r.section_scores
      ).filter((x) => x.depth === 0 && !x.ownScale),
      row: r,
    });
    instrumentsOf.set(r.workspace_id, list);
  }
  const cycles = readinessCycles(
    workspaces.flatMap((w) =>
      (instrumentsOf.get(w.id) ?? []).map((i) => ({
        documentId: i.documentId,
        workspaceId: w.id,
        workspaceName: w.name,
        districtId: w.district_id,
        districtName: w.district_name,
        schoolYear: w.school_year,
        templateId: i.row.template_id,
        schoolId: i.row.school_id,
        school: i.school,
        title: i.title,
        kind: i.kind,
        createdAt: i.row.created_at,
        scaleMax: i.scaleMax,
        sections: i.sections,
      })),
    ),
  );
  const summaries = workspaces.map((w) => ({
    id: w.id,
    name: w.name,
    districtName: w.district_name,
    schoolYear: w.school_year,
    instruments: (instrumentsOf.get(w.id) ?? []).map(({ row: _, ...i }) => i),
    goals: goals
      .filter((g) => g.workspace_id === w.id)
      .map((g) => ({
        goalId: g.goal_id,
        planId: g.plan_id,
        title: g.title,
        status: g.status,
        owners: g.owners,
        phaseYear: g.phase_year === null ? null : Number(g.phase_year),
        dueDate: g.due_date,
      })),
    overdueCount: overdue.filter((o) => o.workspace_id === w.id).length,
    overdue: overdue
      .filter((o) => o.workspace_id === w.id)
      .slice(0, OVERDUE_SHOWN)
      .map((o) => ({
        kind: o.kind,
        id: o.id,
        planId: o.plan_id,
        goalId: o.goal_id,
        title: o.title,
        owner: o.owner,
        dueDate: o.due_date,
      })),
    byOwner: byOwner
      .filter((o) => o.workspace_id === w.id)
      .map((o) => ({
        owner: o.owner,
        userId: o.user_id,
        goals: Number(o.goals),
        atRisk: Number(o.at_risk),
        complete: Number(o.complete),
        overdue: Number(o.overdue),
      })),
    metrics: trendsOf(
      metrics.filter((m) => m.workspace_id === w.id),
      values.filter((v) => v.workspace_id === w.id),
    ),
  }));
  return { workspaces: summaries, cycles };
}

function trendsOf(
  metrics: readonly {
    plan_id: string;
    metric_id: string;
    subgroup: string;
    name: string;
    unit: string | null;
    baseline: number | null;
    target: number | null;
    template_id: string | null;
    template_version: number | null;
  }[],
  values: readonly {
    plan_id: string;
    metric_id: string;
    subgroup: string;
    measured_on: string;
    value: number;
  }[],
): MetricTrend[] {
  if (metrics.length === 0) return [];
  const first = metrics[0]!;
  const num = (n: number | string | null) => (n === null ? null : Number(n));
  return metricTrends(
    metrics.map((m) => ({
      planId: m.plan_id,
      metricId: m.metric_id,
      subgroup: m.subgroup,
      name: m.name,
      unit: m.unit,
      baseline: num(m.baseline),
      target: num(m.target),
    })),
    values.map((v) => ({
      planId: v.plan_id,
      metricId: v.metric_id,
      subgroup: v.subgroup,
      date: v.measured_on,
      value: Number(v.value),
    })),
    subgroupLabels(
      first.template_id,
      first.template_version === null ? null : Number(first.template_version),
    ),
  );
}
