/**
 * The Prerequisites to Launch checklist document (kind `prerequisites`): per category the team
 * rating (Barrier to Launch / Sufficient for Launch / Asset to Implementation, a single choice),
 * its discussion status, the rationale and the evidence text. Each rater's own ratings of the
 * categories live in their private ratings document (ratings.ts).
 */
import type { ChecklistTemplate } from '@concord/rubric-core';
import type * as Y from 'yjs';
import { refuse } from './errors.js';
import {
  clearDecision,
  initLeveled,
  itemText,
  readLeveled,
  recordDecision,
  setItemStatus,
  type Decision,
  type DecisionInput,
} from './leveled.js';
import { ITEM, type ItemStatus } from './schema.js';

export interface CategorySnapshot {
  status: ItemStatus;
  /** The team's rating after discussion; null until recorded. */
  teamRating: Decision | null;
  rationale: string;
  evidence: string;
}

/** Lays out a new checklist document: every category of the template, nothing rated yet. */
export function createChecklist(doc: Y.Doc, template: ChecklistTemplate): void {
  refuse([template.kind !== 'checklist' && `template: ${template.id} is not a checklist`]);
  initLeveled(doc, 'prerequisites', template);
}

/** Every category of the template, in checklist order. */
export function readChecklist(
  doc: Y.Doc,
  template: ChecklistTemplate,
): Record<string, CategorySnapshot> {
  const out: Record<string, CategorySnapshot> = {};
  for (const [id, item] of Object.entries(readLeveled(doc, template))) {
    out[id] = {
      status: item.status,
      teamRating: item.decision,
      rationale: item.rationale,
      evidence: item.evidence,
    };
  }
  return out;
}

/** Records the team rating of a category (and marks it agreed). */
export function setTeamRating(doc: Y.Doc, template: ChecklistTemplate, input: DecisionInput): void {
  recordDecision(doc, template, input);
}

export function clearTeamRating(doc: Y.Doc, template: ChecklistTemplate, categoryId: string): void {
  clearDecision(doc, template, categoryId);
}

export function setCategoryStatus(
  doc: Y.Doc,
  template: ChecklistTemplate,
  categoryId: string,
  status: ItemStatus,
): void {
  setItemStatus(doc, template, categoryId, status);
}

/** The category's evidence Y.Text, for an editor to bind to. */
export function categoryEvidence(
  doc: Y.Doc,
  template: ChecklistTemplate,
  categoryId: string,
): Y.Text {
  return itemText(doc, template, categoryId, ITEM.evidence);
}

export function categoryRationale(
  doc: Y.Doc,
  template: ChecklistTemplate,
  categoryId: string,
): Y.Text {
  return itemText(doc, template, categoryId, ITEM.rationale);
}
