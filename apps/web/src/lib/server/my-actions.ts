/**
 * "My actions" (issue 25): everything assigned to me across the workspaces I am a member of, from
 * the query tables the sync server keeps in step with the plans: the action steps I own and the
 * goals I am one of the owners of (goal_owners: a goal with three owners is on each one's
 * list), not done, soonest due first (no due date last). Membership is checked in the query: a workspace I have left shows nothing.
 */
import { statement, type SqlSession } from './sql-statement.js';

export interface MyAction {
  kind: 'step' | 'goal';
  /** The step's or goal's id in the plan. */
  id: string;
  title: string;
  /** For a step, its goal's title; for a goal, null. */
  goalTitle: string | null;
  goalId: string;
  /** YYYY-MM-DD, or null. */
  dueDate: string | null;
  status: string;
  workspaceId: string;
  workspaceName: string;
  planId: string;
}

const MINE = statement(
  'my_actions',
  `select 'step' as kind, a.step_id as id, a.title, g.title as goal_title, a.goal_id,
          a.due_date::text as due_date, a.status, a.workspace_id::text as workspace_id,
          w.name as workspace_name, a.document_id::text as plan_id
   from action_steps a
   join goals g on g.document_id = a.document_id and g.goal_id = a.goal_id
   join workspaces w on w.id = a.workspace_id
   join memberships m on m.workspace_id = a.workspace_id and m.user_id = $1::uuid
   where a.owner_id = $1::uuid and a.status <> 'done'
   union all
   select 'goal', g.goal_id, g.title, null, g.goal_id, g.due_date::text, g.status,
          g.workspace_id::text, w.name, g.document_id::text
   from goal_owners o
   join goals g on g.document_id = o.document_id and g.goal_id = o.goal_id
   join workspaces w on w.id = g.workspace_id
   join memberships m on m.workspace_id = g.workspace_id and m.user_id = $1::uuid
   where o.user_id = $1::uuid and g.status <> 'complete'
   order by due_date nulls last, workspace_name, title`,
);

export async function myActions(db: SqlSession, userId: string): Promise<MyAction[]> {
  const rows = await db.query<{
    kind: 'step' | 'goal';
    id: string;
    title: string;
    goal_title: string | null;
    goal_id: string;
    due_date: string | null;
    status: string;
    workspace_id: string;
    workspace_name: string;
    plan_id: string;
  }>(MINE, [userId]);
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    title: r.title,
    goalTitle: r.goal_title,
    goalId: r.goal_id,
    dueDate: r.due_date,
    status: r.status,
    workspaceId: r.workspace_id,
    workspaceName: r.workspace_name,
    planId: r.plan_id,
  }));
}
