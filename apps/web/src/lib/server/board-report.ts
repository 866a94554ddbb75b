/**
 * The board report's SQL (issue 25): one plan's goals, action steps and metrics, and its
 * workspace's instruments (instrument_states) and recorded team ratings (consensus), all from the
 * query tables the sync server keeps in step with the documents (never a Yjs document decoded
 * here). Which plan, and whether the person may see it, is the plan page's guard (loadPlan and
 * the workspace layout's membership check); $lib/plan/board-report.ts (pure)
 * turns the rows into the report.
 */
import type { SectionScoreRow } from '@concord/db/projection';
import type { PlanTemplate } from '@concord/rubric-core';
import {
  boardReport,
  type BoardReport,
  type DecisionInput,
  type GoalInput,
  type InstrumentInput,
  type MetricInput,
  type StepInput,
} from '../plan/board-report.js';
import { leveledTemplate } from './instrument-documents.js';
import { statement, type SqlSession } from './sql-statement.js';

const INSTRUMENTS = statement(
  'board_report_instruments',
  `select doc.id::text as document_id, doc.title, doc.kind, doc.template_id, doc.template_version,
          s.name as school, st.items_total, st.items_agreed, st.readiness, st.section_scores
   from instrument_states st join documents doc on doc.id = st.document_id
   left join schools s on s.id = doc.school_id
   where st.workspace_id = $1::uuid
   order by doc.created_at, doc.title, doc.id`,
);

const DECISIONS = statement(
  'board_report_decisions',
  `select c.document_id::text as document_id, c.indicator_id, c.value
   from consensus c join documents d on d.id = c.document_id
   where c.workspace_id = $1::uuid and c.value is not null and d.kind = 'prerequisites'`,
);

const GOALS = statement(
  'board_report_goals',
  `select g.goal_id, g.area_id, g.title,
          coalesce((select array_agg(coalesce(u.display_name, o.name) order by o.position)
                    from goal_owners o left join users u on u.id = o.user_id
                    where o.document_id = g.document_id and o.goal_id = g.goal_id), '{}') as owners,
          g.phase_year, g.due_date::text as due_date, g.status
   from goals g
   where g.document_id = $1::uuid and g.workspace_id = $2::uuid`,
);

const STEPS = statement(
  'board_report_steps',
  `select a.step_id, a.goal_id, a.title, u.display_name as owner_user, a.owner_name,
          a.due_date::text as due_date, a.status
   from action_steps a left join users u on u.id = a.owner_id
   where a.document_id = $1::uuid and a.workspace_id = $2::uuid`,
);

const METRICS = statement(
  'board_report_metrics',
  `select metric_id, subgroup, goal_id, name, source, unit, baseline, target, current
   from metrics where document_id = $1::uuid and workspace_id = $2::uuid`,
);

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The report of plan `planId` in workspace `workspaceId`; `today` is YYYY-MM-DD. */
export async function loadBoardReport(
  db: SqlSession,
  workspaceId: string,
  planId: string,
  template: PlanTemplate,
  today: string,
): Promise<BoardReport> {
  const [instruments, decisions, goals, steps, metrics] = await Promise.all([
    db.query<{
      document_id: string;
      title: string;
      kind: string;
      template_id: string | null;
      template_version: number | null;
      school: string | null;
      items_total: number;
      items_agreed: number;
      readiness: InstrumentInput['readiness'];
      section_scores: SectionScoreRow[] | string;
    }>(INSTRUMENTS, [workspaceId]),
    db.query<{ document_id: string; indicator_id: string; value: number }>(DECISIONS, [
      workspaceId,
    ]),
    db.query<{
      goal_id: string;
      area_id: string;
      title: string;
      owners: string[];
      phase_year: number | null;
      due_date: string | null;
      status: string;
    }>(GOALS, [planId, workspaceId]),
    db.query<{
      step_id: string;
      goal_id: string;
      title: string;
      owner_user: string | null;
      owner_name: string | null;
      due_date: string | null;
      status: string;
    }>(STEPS, [planId, workspaceId]),
    db.query<{
      metric_id: string;
      subgroup: string;
      goal_id: string | null;
      name: string;
      source: string | null;
      unit: string | null;
      baseline: number | null;
      target: number | null;
      current: number | null;
    }>(METRICS, [planId, workspaceId]),
  ]);
  return boardReport({
    template,
    today,
    instruments: instruments.map((r): InstrumentInput => ({
      documentId: r.document_id,
      title: r.title,
      kind: r.kind,
      school: r.school,
      template: leveledTemplate(r.template_id, r.template_version),
      itemsTotal: Number(r.items_total),
      itemsAgreed: Number(r.items_agreed),
      readiness: r.readiness,
      // PGlite hands jsonb back parsed; node-postgres too, but a string is read the same.
      sections:
        typeof r.section_scores === 'string'
          ? (JSON.parse(r.section_scores) as SectionScoreRow[])
          : r.section_scores,
    })),
    decisions: decisions.map((r): DecisionInput => ({
      documentId: r.document_id,
      indicatorId: r.indicator_id,
      value: Number(r.value),
    })),
    goals: goals.map((r): GoalInput => ({
      goalId: r.goal_id,
      areaId: r.area_id,
      title: r.title,
      owners: r.owners,
      phaseYear: num(r.phase_year),
      dueDate: r.due_date,
      status: r.status,
    })),
    steps: steps.map((r): StepInput => ({
      stepId: r.step_id,
      goalId: r.goal_id,
      title: r.title,
      ownerUser: r.owner_user,
      ownerName: r.owner_name,
      dueDate: r.due_date,
      status: r.status,
    })),
    metrics: metrics.map((r): MetricInput => ({
      metricId: r.metric_id,
      subgroup: r.subgroup,
      goalId: r.goal_id,
      name: r.name,
      source: r.source,
      unit: r.unit,
      baseline: num(r.baseline),
      target: num(r.target),
      current: num(r.current),
    })),
  });
}
