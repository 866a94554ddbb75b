/**
 * The Prerequisites to Launch checklist document (kind `prerequisites`): per category the team
 * rating (Barrier to Launch / Sufficient for Launch / Asset to Implementation, a single choice),
 * its discussion status, the rationale and the evidence (rich text, Y.XmlFragment). Each rater's own ratings of the
 * categories live in their private ratings document (ratings.ts).
 */
import type { ChecklistTemplate } from '@concord/rubric-core';
import { leveledDocument, type Decision } from './leveled.js';
import type { ItemStatus } from './schema.js';

export interface CategorySnapshot {
  status: ItemStatus;
  /** The team's rating after discussion; null until recorded. */
  teamRating: Decision | null;
  rationale: string;
  evidence: string;
}

const checklist = leveledDocument<ChecklistTemplate, 'teamRating'>(
  'prerequisites',
  'checklist',
  'teamRating',
);

/** Lays out a new checklist document: every category of the template, nothing rated yet. */
export const createChecklist = checklist.create;

/** Every category of the template, in checklist order. */
export const readChecklist: (
  ...args: Parameters<typeof checklist.read>
) => Record<string, CategorySnapshot> = checklist.read;

/** Records the team rating of a category (and marks it agreed). */
export const setTeamRating = checklist.record;

export const clearTeamRating = checklist.clear;

export const setCategoryStatus = checklist.setStatus;

/** The category's evidence Y.XmlFragment, for an editor (Tiptap Collaboration) to bind to. */
export const categoryEvidence = checklist.evidence;

/** The category's team-rating rationale Y.XmlFragment. */
export const categoryRationale = checklist.rationale;
