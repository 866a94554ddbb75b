/**
 * Input validation for `AssessmentRatings`, the one place where ratings enter the scoring
 * functions. `scoreTemplate`, `discussionAgenda`, `launchReadiness` and `summarizeAssessment` call
 * `assertValidRatings` first and throw a `RatingsError` (with every issue found) rather than compute
 * anything from ratings that do not make sense; `checkRatings` returns the same issues as a value
 * for callers that prefer to show them.
 *
 * Rules, for each active indicator of the template that has an entry:
 *  - one rating per rater: the same rater id twice for one indicator would count that rater twice
 *    (in n, the median, agreement and alpha), so it is refused, naming the rater and indicator.
 *  - on the scale: every rating is null (not rated) or one of the values of the scale that applies
 *    to the indicator (the template's, or its section's own); so is a recorded consensus. Anything
 *    else (9 or 42 on a 1-4 rubric, "3" as a string, NaN) is refused, naming the rater, the
 *    indicator and the allowed values. Before, per-indicator statistics threw a RangeError, section
 *    scores averaged it in (and could report the top level), and launch readiness treated it as
 *    undecided; now no statistic, score or level is computed from it anywhere.
 */
import type { LeveledTemplate, Scale } from '../template/schema.js';
import { outline } from '../template/outline.js';
import type { AssessmentRatings } from './ratings.js';

export interface RatingIssue {
  /** Where, e.g. `ratings["s1.1"].ratings[2].raterId`. */
  path: string;
  /** The indicator concerned (absent only from `indicatorStats`, which is given bare values). */
  indicatorId?: string;
  /** The rater concerned, when the issue is about one rater's rating. */
  raterId?: string;
  /** What is wrong and what to do. */
  message: string;
}

export type RatingsCheck = { ok: true } | { ok: false; issues: RatingIssue[] };

/** Thrown by the scoring functions when their ratings fail `checkRatings`. */
export class RatingsError extends Error {
  override readonly name = 'RatingsError';
  readonly issues: readonly RatingIssue[];
  constructor(issues: readonly RatingIssue[]) {
    const first = issues[0];
    const more =
      issues.length > 1
        ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})`
        : '';
    super(first ? `invalid ratings: ${first.path}: ${first.message}${more}` : 'invalid ratings');
    this.issues = issues;
  }
}

const q = (s: string) => JSON.stringify(s);

const levelSets = new WeakMap<Scale, ReadonlySet<unknown>>();

/** True when `value` is one of the scale's level values. */
export function isLevelValue(value: unknown, scale: Scale): boolean {
  let set = levelSets.get(scale);
  if (!set) {
    set = new Set(scale.levels.map((l) => l.value));
    levelSets.set(scale, set);
  }
  return set.has(value);
}

/** "1 (Area of Concern), 2 (Initial Steps), ..." */
export function allowedValues(scale: Scale): string {
  return scale.levels.map((l) => `${l.value} (${l.label})`).join(', ');
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? `the string ${q(value)}` : String(value);
}

/** Every problem with `ratings` against `template`; never throws. */
export function checkRatings(template: LeveledTemplate, ratings: AssessmentRatings): RatingsCheck {
  const issues: RatingIssue[] = [];
  for (const e of outline(template).entries) {
    const id = e.indicator.id;
    const entry = ratings[id];
    if (!entry) continue;
    const firstIndex = new Map<string, number>();
    entry.ratings.forEach((r, i) => {
      if (r.value !== null && !isLevelValue(r.value, e.scale)) {
        issues.push({
          path: `ratings[${q(id)}].ratings[${i}].value`,
          indicatorId: id,
          raterId: r.raterId,
          message: `rater ${q(r.raterId)} gave ${describeValue(r.value)} for indicator ${q(id)}, which is not on its scale; allowed values: ${allowedValues(e.scale)}, or null for not rated. Correct the rating`,
        });
      }
      const before = firstIndex.get(r.raterId);
      if (before === undefined) {
        firstIndex.set(r.raterId, i);
        return;
      }
      issues.push({
        path: `ratings[${q(id)}].ratings[${i}].raterId`,
        indicatorId: id,
        raterId: r.raterId,
        message: `rater ${q(r.raterId)} appears twice for indicator ${q(id)} (ratings[${before}] and ratings[${i}]); a rater gives at most one rating per indicator, so keep only that rater's current rating`,
      });
    });
    const consensus = entry.consensus;
    if (consensus && !isLevelValue(consensus.value, e.scale)) {
      issues.push({
        path: `ratings[${q(id)}].consensus.value`,
        indicatorId: id,
        ...(consensus.decidedBy ? { raterId: consensus.decidedBy } : {}),
        message: `the consensus recorded for indicator ${q(id)} (by ${q(consensus.decidedBy)}) is ${describeValue(consensus.value)}, which is not on its scale; allowed values: ${allowedValues(e.scale)}. Record the consensus again with one of them`,
      });
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true };
}

/** Throws a `RatingsError` listing every issue when `checkRatings` finds any. */
export function assertValidRatings(template: LeveledTemplate, ratings: AssessmentRatings): void {
  const check = checkRatings(template, ratings);
  if (!check.ok) throw new RatingsError(check.issues);
}
