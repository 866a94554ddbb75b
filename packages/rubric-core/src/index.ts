/**
 * @concord/rubric-core: rubric templates as validated data, and the pure statistics Concord
 * computes on ratings (per-indicator agreement, disagreement flags, discussion agenda, section
 * scores, launch readiness, reliability). No I/O anywhere in this package.
 *
 * The built-in templates are a separate entry point (`@concord/rubric-core/templates`) so that
 * code needing only the maths does not load the seed texts.
 */
export * from './template/schema.js';
export {
  parseTemplate,
  parseTemplateJson,
  parseGuidance,
  describeIssues,
  formatPath,
  type TemplateIssue,
  type ParseResult,
} from './template/parse.js';
export {
  outline,
  sectionsOf,
  type OutlineEntry,
  type TemplateOutline,
} from './template/outline.js';
export { checkNewVersion, idMapping } from './template/versioning.js';
export { importTemplate, type ImportContext } from './template/import.js';

export type {
  RaterRating,
  IndicatorRatings,
  IndicatorStatus,
  ConsensusRecord,
  AssessmentRatings,
} from './scoring/ratings.js';
export {
  checkRatings,
  assertValidRatings,
  RatingsError,
  type RatingIssue,
  type RatingsCheck,
} from './scoring/validate.js';
export {
  indicatorStats,
  DISAGREEMENT_REASONS,
  type IndicatorStats,
  type DisagreementFlag,
  type DisagreementKind,
  type LevelCount,
} from './scoring/indicator.js';
export { groupAgreement, type GroupAgreement } from './scoring/agreement.js';
export { discussionAgenda, type AgendaItem, type AgendaKind } from './scoring/agenda.js';
export {
  scoreTemplate,
  indicatorScore,
  defaultThreshold,
  type ScoreGroup,
  type SectionScore,
  type ScoreBasis,
  type TemplateScores,
  type ScoreOptions,
} from './scoring/sections.js';
export { launchReadiness, type LaunchReadiness, type LaunchCategory } from './scoring/launch.js';
export {
  recordConsensus,
  movement,
  type ConsensusInput,
  type ConsensusResult,
  type Movement,
  type RaterMovement,
} from './scoring/consensus.js';
export {
  summarizeAssessment,
  type AssessmentSummary,
  type ReliabilitySummary,
} from './scoring/summary.js';
export * from './reliability/index.js';
