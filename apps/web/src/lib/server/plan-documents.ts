/**
 * The strategic plan a plan page opens: the document (kind `plan`, top level, in this
 * workspace) with its plan template, read through @concord/db's `readAccessFacts` like the
 * instruments (the page's layout has already checked membership); the workspace's rated
 * items the plan links its goals to; and, the other way, the goals each item is addressed by.
 */
import { readAccessFacts } from '@concord/db';
import { planTemplate } from '@concord/db/projection';
import type { PlanTemplate } from '@concord/rubric-core';
import { ratedItems, type AddressingGoal, type DecidedRow, type RatedItem } from '../plan/gaps.js';
import { leveledTemplate } from './instrument-documents.js';
import { statement, type SqlSession } from './sql-statement.js';

export interface PlanDocument {
  id: string;
  title: string;
  template: PlanTemplate;
}

/** The plan, or null (not in this workspace, not a plan, or a template this build lacks). */
export async function loadPlan(
  db: SqlSession,
  workspaceId: string,
  documentId: string,
  userId: string,
): Promise<PlanDocument | null> {
  const facts = await readAccessFacts(db, documentId, userId);
  if (facts === null) return null;
  const doc = facts.document;
  if (doc.workspaceId !== workspaceId.toLowerCase() || doc.parentId !== null) return null;
  if (doc.kind !== 'plan') return null;
  const template = planTemplate(doc.templateId, doc.templateVersion);
  return template ? { id: doc.id, title: doc.title, template } : null;
}

const DECIDED = statement(
  'plan_decided_items',
  `select c.document_id::text as document_id, c.indicator_id, c.value, d.title,
          d.template_id, d.template_version, s.name as school
   from consensus c join documents d on d.id = c.document_id
   left join schools s on s.id = d.school_id
   where c.workspace_id = $1::uuid and c.value is not null
   order by d.created_at, d.title, d.id`,
);

/**
 * Every item of the workspace's checklists and assessments with a recorded team rating, read
 * from the query tables (kept in step with the documents by the sync server), as the plan page
 * shows and links them (gaps.ts).
 */
export async function workspaceRatedItems(
  db: SqlSession,
  workspaceId: string,
): Promise<RatedItem[]> {
  const rows = await db.query<{
    document_id: string;
    indicator_id: string;
    value: number;
    title: string;
    template_id: string | null;
    template_version: number | null;
    school: string | null;
  }>(DECIDED, [workspaceId]);
  const decided: DecidedRow[] = [];
  for (const r of rows) {
    const template = leveledTemplate(r.template_id, r.template_version);
    if (!template) continue;
    decided.push({
      documentId: r.document_id,
      instrument: r.title,
      school: r.school,
      template,
      indicatorId: r.indicator_id,
      value: Number(r.value),
    });
  }
  return ratedItems(decided);
}

const ADDRESSING = statement(
  'plan_goals_addressing_items',
  `select g.goal_id, g.document_id::text as plan_id, g.title, g.status, g.indicator_ids,
          d.template_id, d.template_version
   from goals g join documents d on d.id = g.document_id
   where g.workspace_id = $1::uuid and cardinality(g.indicator_ids) > 0
   order by g.phase_year nulls last, g.due_date nulls last, g.title`,
);

/**
 * The goals of the workspace's plans by the items they address (from the goals query table):
 * an item's card shows them, so the link between a gap and the plan reads both ways.
 */
export async function goalsByItem(
  db: SqlSession,
  workspaceId: string,
): Promise<Record<string, AddressingGoal[]>> {
  const rows = await db.query<{
    goal_id: string;
    plan_id: string;
    title: string;
    status: string;
    indicator_ids: string[];
    template_id: string | null;
    template_version: number | null;
  }>(ADDRESSING, [workspaceId]);
  const out: Record<string, AddressingGoal[]> = {};
  for (const r of rows) {
    const statuses = planTemplate(r.template_id, r.template_version)?.goalStatuses ?? [];
    const goal: AddressingGoal = {
      goalId: r.goal_id,
      planId: r.plan_id,
      title: r.title,
      status: statuses.find((s) => s.id === r.status)?.label ?? r.status,
    };
    for (const item of r.indicator_ids) (out[item] ??= []).push(goal);
  }
  return out;
}
