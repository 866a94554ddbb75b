/**
 * @concord/documents: the shapes of Concord's Yjs documents and pure functions to create, read
 * and change them. No I/O: the sync server, the web app and the demo seed all shape documents
 * through this package, so there is one definition of each.
 *
 * Create functions lay out a new document from a rubric-core template (once, by whoever creates
 * the document). Readers return plain snapshots and never throw, whatever a client wrote.
 * Writers validate their input (DocumentInputError, nothing written) and make one transaction.
 */
export * from './schema.js';
export * from './bounds.js';
export { DocumentInputError } from './errors.js';
export { readMeta, type DocumentMeta } from './meta.js';
export type { Decision, DecisionInput } from './leveled.js';
export { readDecision, recordDecision, clearDecision, setItemStatus } from './leveled.js';
export {
  createChecklist,
  readChecklist,
  setTeamRating,
  clearTeamRating,
  setCategoryStatus,
  categoryEvidence,
  categoryRationale,
  type CategorySnapshot,
} from './checklist.js';
export {
  createAssessment,
  readAssessment,
  recordConsensus,
  clearConsensus,
  setIndicatorStatus,
  indicatorEvidence,
  consensusRationale,
  type IndicatorSnapshot,
} from './assessment.js';
export {
  createRatings,
  readRatings,
  readRatingNotes,
  setRating,
  ratingNote,
  type RatingsSnapshot,
} from './ratings.js';
export { toAssessmentRatings, type RaterInput, type DecisionSource } from './scoring-input.js';
export {
  createPlan,
  readPlan,
  visionText,
  addGoal,
  updateGoal,
  removeGoal,
  goalText,
  addActionStep,
  updateActionStep,
  removeActionStep,
  stepTitle,
  addMetric,
  setMetricValues,
  recordActual,
  removeActual,
  updateMetric,
  removeMetric,
  moveGoal,
  moveActionStep,
  type PlanSnapshot,
  type GoalSnapshot,
  type StepSnapshot,
  type MetricSnapshot,
  type MetricActual,
  type GoalInput,
  type GoalFields,
  type StepInput,
  type StepFields,
  type MetricInput,
  type MetricFields,
} from './plan.js';
export {
  createComments,
  readThreads,
  addThread,
  reply,
  resolveThread,
  reopenThread,
  markThreadRead,
  readCounts,
  unreadMessages,
  textAnchor,
  resolveTextAnchor,
  ITEM_ANCHOR_KINDS,
  type Anchor,
  type ItemAnchorKind,
  type Message,
  type MessageInput,
  type ThreadSnapshot,
} from './comments.js';
export { textOf, asFragment } from './values.js';
export { replaceRichText } from './rich-text.js';
export { migrateDocument, MIGRATION_ORIGIN, type MigrationResult } from './migrate.js';
export {
  ROUND,
  roundId,
  anonymousKey,
  readRounds,
  latestRound,
  openRound,
  fullyRevealed,
  readFrozen,
  sectionItems,
  roundItems,
  progressOf,
  revealedRatings,
  writeOpenRound,
  writeRater,
  writeProgress,
  writeReveal,
  writeClose,
  writeNudge,
  writeFrozen,
  writeTimer,
  type RoundTimer,
  type Stamp,
  type RoundSettings,
  type RoundState,
  type RevealedSection,
} from './round.js';
