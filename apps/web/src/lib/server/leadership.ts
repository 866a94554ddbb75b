/**
 * The leadership view's data (issue 25): for every workspace a person is a member of, what its
 * instruments say (readiness by section, barriers, items agreed: instrument_states) and where its
 * plan stands (goals by status, owner and phase; overdue goals and actions: goals, action_steps),
 * all from the query tables the sync server keeps in step with the documents, so the page is a
 * handful of SQL queries, whatever the number of workspaces. Membership is part of every query.
 */
import type { SectionScoreRow } from '@concord/db/projection';
import { leveledTemplate } from './instrument-documents.js';
import { statement, type SqlSession } from './sql-statement.js';

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
  owner: string | null;
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

export interface WorkspaceSummary {
  id: string;
  name: string;
  districtName: string;
  schoolYear: string;
  instruments: InstrumentSummary[];
  goals: GoalSummary[];
  overdue: OverdueAction[];
}

const WORKSPACES = statement(
  'leadership_workspaces',
  `select w.id::text as id, w.name, w.school_year, d.name as district_name
   from memberships m join workspaces w on w.id = m.workspace_id
   join districts d on d.id = w.district_id
   where m.user_id = $1::uuid order by w.name, w.id`,
);

const INSTRUMENTS = statement(
  'leadership_instruments',
  `select st.workspace_id::text as workspace_id, doc.id::text as document_id, doc.title,
          doc.kind, doc.template_id, doc.template_version, s.name as school, st.items_total, st.items_agreed, st.readiness, st.barriers,
          st.section_scores
   from instrument_states st join documents doc on doc.id = st.document_id
   left join schools s on s.id = doc.school_id
   where st.workspace_id = any($1::uuid[])
   order by doc.created_at, doc.title, doc.id`,
);

const GOALS = statement(
  'leadership_goals',
  `select g.workspace_id::text as workspace_id, g.goal_id, g.document_id::text as plan_id,
          g.title, g.status, coalesce(u.display_name, g.owner_name) as owner, g.phase_year,
          g.due_date::text as due_date
   from goals g left join users u on u.id = g.owner_id
   where g.workspace_id = any($1::uuid[])
   order by g.phase_year nulls last, g.due_date nulls last, g.title`,
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
          coalesce(u.display_name, g.owner_name), g.due_date::text
   from goals g left join users u on u.id = g.owner_id
   where g.workspace_id = any($1::uuid[]) and g.status <> 'complete' and g.due_date < $2::date
   order by due_date, title`,
);

/** Every workspace `userId` is a member of, summarised; `today` is YYYY-MM-DD. */
export async function leadershipView(
  db: SqlSession,
  userId: string,
  today: string,
): Promise<WorkspaceSummary[]> {
  const workspaces = await db.query<{
    id: string;
    name: string;
    school_year: string;
    district_name: string;
  }>(WORKSPACES, [userId]);
  if (workspaces.length === 0) return [];
  const ids = workspaces.map((w) => w.id);
  const [instruments, goals, overdue] = await Promise.all([
    db.query<{
      workspace_id: string;
      document_id: string;
      title: string;
      kind: string;
      template_id: string | null;
      template_version: number | null;
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
      owner: string | null;
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
  ]);
  return workspaces.map((w) => ({
    id: w.id,
    name: w.name,
    districtName: w.district_name,
    schoolYear: w.school_year,
    instruments: instruments
      .filter((r) => r.workspace_id === w.id)
      .map((r) => ({
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
        sections:
          typeof r.section_scores === 'string'
            ? (JSON.parse(r.section_scores) as SectionScoreRow[])
            : r.section_scores,
      })),
    goals: goals
      .filter((g) => g.workspace_id === w.id)
      .map((g) => ({
        goalId: g.goal_id,
        planId: g.plan_id,
        title: g.title,
        status: g.status,
        owner: g.owner,
        phaseYear: g.phase_year === null ? null : Number(g.phase_year),
        dueDate: g.due_date,
      })),
    overdue: overdue
      .filter((o) => o.workspace_id === w.id)
      .map((o) => ({
        kind: o.kind,
        id: o.id,
        planId: o.plan_id,
        goalId: o.goal_id,
        title: o.title,
        owner: o.owner,
        dueDate: o.due_date,
      })),
  }));
}
