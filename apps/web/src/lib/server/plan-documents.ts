/**
 * The strategic plan a plan page opens: the document (kind `plan`, top level, in this
 * workspace) with its plan template, read through @concord/db's `readAccessFacts` like the
 * instruments (the page's layout has already checked membership).
 */
import { readAccessFacts } from '@concord/db';
import type { PlanTemplate } from '@concord/rubric-core';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import type { SqlSession } from './sql-statement.js';

export interface PlanDocument {
  id: string;
  title: string;
  template: PlanTemplate;
}

/** The plan template a document was made from, when this build has that version. */
export function planTemplate(
  templateId: string | null,
  templateVersion: number | null,
): PlanTemplate | null {
  const template = templateId ? getBuiltinTemplate(templateId) : undefined;
  if (!template || template.kind !== 'plan' || template.version !== templateVersion) return null;
  return template;
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
