/**
 * @concord/rubric-core: rubric templates as validated data, and the pure statistics Concord
 * computes on ratings (per-indicator agreement, disagreement flags, discussion agenda, section
 * scores, readiness, reliability). No I/O anywhere in this package.
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
