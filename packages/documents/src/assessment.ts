/**
 * A rubric assessment document (kind `assessment`): per indicator the discussion status
 * (not discussed / in discussion / agreed), the consensus (level, who recorded it and when: one
 * choice, last writer wins by design), the consensus rationale and the evidence, both Y.Text.
 * Raters' individual ratings are not here: each rater has a private ratings document
 * (ratings.ts) that the server withholds until the facilitator reveals.
 */
import type { RubricTemplate } from '@concord/rubric-core';
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

export interface IndicatorSnapshot {
  status: ItemStatus;
  /** The group's consensus; null until recorded. */
  consensus: Decision | null;
  rationale: string;
  evidence: string;
}

/** Lays out a new assessment document: every indicator of the template, not discussed. */
export function createAssessment(doc: Y.Doc, template: RubricTemplate): void {
  refuse([template.kind !== 'rubric' && `template: ${template.id} is not a rubric`]);
  initLeveled(doc, 'assessment', template);
}

/** Every active indicator of the template, in rubric order. */
export function readAssessment(
  doc: Y.Doc,
  template: RubricTemplate,
): Record<string, IndicatorSnapshot> {
  const out: Record<string, IndicatorSnapshot> = {};
  for (const [id, item] of Object.entries(readLeveled(doc, template))) {
    out[id] = {
      status: item.status,
      consensus: item.decision,
      rationale: item.rationale,
      evidence: item.evidence,
    };
  }
  return out;
}

/** Records the consensus level (and rationale, when given) and marks the indicator agreed. */
export function recordConsensus(doc: Y.Doc, template: RubricTemplate, input: DecisionInput): void {
  recordDecision(doc, template, input);
}

/** Withdraws the consensus and reopens the discussion. */
export function clearConsensus(doc: Y.Doc, template: RubricTemplate, indicatorId: string): void {
  clearDecision(doc, template, indicatorId);
}

export function setIndicatorStatus(
  doc: Y.Doc,
  template: RubricTemplate,
  indicatorId: string,
  status: ItemStatus,
): void {
  setItemStatus(doc, template, indicatorId, status);
}

/** The indicator's evidence Y.Text, for an editor to bind to. */
export function indicatorEvidence(
  doc: Y.Doc,
  template: RubricTemplate,
  indicatorId: string,
): Y.Text {
  return itemText(doc, template, indicatorId, ITEM.evidence);
}

/** The indicator's consensus rationale Y.Text. */
export function consensusRationale(
  doc: Y.Doc,
  template: RubricTemplate,
  indicatorId: string,
): Y.Text {
  return itemText(doc, template, indicatorId, ITEM.rationale);
}
