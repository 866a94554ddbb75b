/**
 * The strategic plan a plan page opens: the document (kind `plan`, top level, in this
 * workspace) with its plan template, read through @concord/db's `readAccessFacts` like the
 * instruments (the page's layout has already checked membership); and the workspace's rated
 * items the plan links its goals to.
 */
import { readAccessFacts } from '@concord/db';
import { planTemplate } from '@concord/db/projection';
import type { PlanTemplate } from '@concord/rubric-core';
import { ratedItems, type DecidedRow, type RatedItem } from '../plan/gaps.js';
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
