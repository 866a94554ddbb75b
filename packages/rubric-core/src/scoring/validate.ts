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
 */
import type { LeveledTemplate } from '../template/schema.js';
import { outline } from '../template/outline.js';
import type { AssessmentRatings } from './ratings.js';

export interface RatingIssue {
  /** Where, e.g. `ratings["s1.1"].ratings[2].raterId`. */
  path: string;
  indicatorId: string;
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

/** Every problem with `ratings` against `template`; never throws. */
export function checkRatings(template: LeveledTemplate, ratings: AssessmentRatings): RatingsCheck {
  const issues: RatingIssue[] = [];
  for (const e of outline(template).entries) {
    const id = e.indicator.id;
    const entry = ratings[id];
    if (!entry) continue;
    const firstIndex = new Map<string, number>();
    entry.ratings.forEach((r, i) => {
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
  }
  return issues.length ? { ok: false, issues } : { ok: true };
}

/** Throws a `RatingsError` listing every issue when `checkRatings` finds any. */
export function assertValidRatings(template: LeveledTemplate, ratings: AssessmentRatings): void {
  const check = checkRatings(template, ratings);
  if (!check.ok) throw new RatingsError(check.issues);
}
