/**
 * A rubric assessment document (kind `assessment`): per indicator the discussion status
 * (not discussed / in discussion / agreed), the consensus (level, who recorded it and when: one
 * choice, last writer wins by design), the consensus rationale and the evidence, both rich text
 * (Y.XmlFragment, schema v2).
 * Raters' individual ratings are not here: each rater has a private ratings document
 * (ratings.ts) that the server withholds until the facilitator reveals.
 */
import type { RubricTemplate } from '@concord/rubric-core';
import { leveledDocument, type Decision } from './leveled.js';
import type { ItemStatus } from './schema.js';

export interface IndicatorSnapshot {
  status: ItemStatus;
  /** The group's consensus; null until recorded. */
  consensus: Decision | null;
  rationale: string;
  evidence: string;
}

const assessment = leveledDocument<RubricTemplate, 'consensus'>(
  'assessment',
  'rubric',
  'consensus',
);

/** Lays out a new assessment document: every indicator of the template, not discussed. */
export const createAssessment = assessment.create;

/** Every active indicator of the template, in rubric order. */
export const readAssessment: (
  ...args: Parameters<typeof assessment.read>
) => Record<string, IndicatorSnapshot> = assessment.read;

/** Records the consensus level (and rationale, when given) and marks the indicator agreed. */
export const recordConsensus = assessment.record;

/** Withdraws the consensus and reopens the discussion. */
export const clearConsensus = assessment.clear;

export const setIndicatorStatus = assessment.setStatus;

/** The indicator's evidence Y.XmlFragment, for an editor (Tiptap Collaboration) to bind to. */
export const indicatorEvidence = assessment.evidence;

/** The indicator's consensus rationale Y.XmlFragment. */
export const consensusRationale = assessment.rationale;
