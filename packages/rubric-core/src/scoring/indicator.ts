/**
 * Descriptive statistics and the disagreement flag for one indicator's ratings.
 *
 * Distances are measured in scale *positions* (0 for the lowest level, 1 for the next, ...),
 * not raw values, so "adjacent" and "spread of 2+ levels" mean the same on a 1-4 rubric, a
 * 3-level checklist or a scale numbered 0/5/10. Means and medians are reported in values.
 *
 * Flag rules (checked in this order, first match wins; n = number of ratings, range in levels):
 *  1. n < 2                                   -> no flag (nothing to compare)
 *  2. n >= 3, range >= 2, and setting aside one
 *     rating at exactly one end leaves the
 *     rest within 1 level                      -> "one-outlier": one rater sees it differently
 *     ([1,3,3] is an outlier; [1,2,3] is not: either end could be set aside, so it is a spread)
 *  3. n >= 4, the two most common levels each
 *     hold >= 2 raters, together >= 75% of
 *     raters, and no level holds a majority    -> "split": the group has two camps
 *     ([2,2,3,3] and [1,1,4,4] are splits; [1,2,3,4] is not)
 *  4. range >= 2                               -> "spread": ratings span 2+ levels
 *  5. otherwise                                -> no flag (unanimous or adjacent ratings)
 */
import type { Scale } from '../template/schema.js';
import type { RaterRating } from './ratings.js';
import { allowedValues, RatingsError } from './validate.js';

export type DisagreementKind = 'one-outlier' | 'split' | 'spread';

export const DISAGREEMENT_REASONS: Record<DisagreementKind, string> = {
  'one-outlier': 'one outlier',
  split: 'split group',
  spread: 'spread of 2+ levels',
};

export interface DisagreementFlag {
  kind: DisagreementKind;
  /** Human-readable reason, e.g. "one outlier". */
  reason: string;
  /** Extra detail for the facilitator, e.g. which level the outlier chose. */
  detail: string;
}

export interface LevelCount {
  value: number;
  label: string;
  count: number;
}

export interface IndicatorStats {
  n: number;
  counts: LevelCount[];
  /** Null when n = 0; for an even n the mean of the two middle values. */
  median: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** max - min, in scale positions (levels apart). */
  range: number | null;
  /** Most frequent value(s), ascending. Empty when n = 0. */
  modes: number[];
  /** Share of rater pairs giving the same level; null when n < 2. */
  exactAgreement: number | null;
  /** Share of rater pairs within one level of each other (exact included); null when n < 2. */
  adjacentAgreement: number | null;
  /**
   * rwg (James, Demaree & Wolf 1984) against the uniform null: 1 - s^2 / ((A^2 - 1) / 12), with
   * s^2 the sample variance in positions and A the number of levels. Negative values (more
   * disagreement than random) are truncated to 0, as the authors recommend. Null when n < 2.
   */
  rwg: number | null;
  /** s^2 / sigma^2_EU: 0 for unanimity, 1 for random-like, above 1 for polarised ratings. */
  disagreement: number;
  flag: DisagreementFlag | null;
}

const positionCache = new WeakMap<Scale, ReadonlyMap<number, number>>();

function positionMap(scale: Scale): ReadonlyMap<number, number> {
  let map = positionCache.get(scale);
  if (!map) {
    map = new Map(scale.levels.map((l, i) => [l.value, i]));
    positionCache.set(scale, map);
  }
  return map;
}

/**
 * Position of a value on the scale; throws a `RatingsError` (the same validation error the scoring
 * entry points raise, see validate.ts) on a value that is not a level, naming the rater when known.
 */
export function positionOf(value: number, scale: Scale, raterId?: string): number {
  const i = positionMap(scale).get(value);
  if (i === undefined) {
    const who = raterId === undefined ? '' : ` from rater ${JSON.stringify(raterId)}`;
    throw new RatingsError([
      {
        path: 'value',
        ...(raterId === undefined ? {} : { raterId }),
        message: `rating ${String(value)}${who} is not a level of this scale; allowed values: ${allowedValues(scale)}`,
      },
    ]);
  }
  return i;
}

/** The median from counts per position, in values (mean of the middle two for an even n). */
function medianFromCounts(positionCounts: readonly number[], n: number, scale: Scale): number {
  const valueAtRank = (rank: number) => {
    let seen = 0;
    for (let i = 0; i < positionCounts.length; i++) {
      seen += positionCounts[i]!;
      if (seen > rank) return scale.levels[i]!.value;
    }
    return scale.levels[scale.levels.length - 1]!.value;
  };
  const mid = n >> 1;
  return n % 2 === 1 ? valueAtRank(mid) : (valueAtRank(mid - 1) + valueAtRank(mid)) / 2;
}

function label(scale: Scale, position: number): string {
  return scale.levels[position]?.label ?? String(position);
}

function flagFor(
  positionCounts: readonly number[],
  n: number,
  scale: Scale,
): DisagreementFlag | null {
  if (n < 2) return null;
  let lo = -1;
  let hi = -1;
  positionCounts.forEach((c, i) => {
    if (c > 0) {
      if (lo < 0) lo = i;
      hi = i;
    }
  });
  const range = hi - lo;

  if (n >= 3 && range >= 2) {
    // Setting aside a single extreme rating: does the rest fit within one level?
    const next = (from: number, step: number) => {
      let i = from + step;
      while (positionCounts[i] === 0) i += step;
      return i;
    };
    // Exactly one end may be the outlier: [1,2,3] is a spread, not an outlier at either end.
    const lowOut = positionCounts[lo] === 1 && hi - next(lo, 1) <= 1;
    const highOut = positionCounts[hi] === 1 && next(hi, -1) - lo <= 1;
    if (lowOut !== highOut) {
      const out = lowOut ? lo : hi;
      const [restLo, restHi] = lowOut ? [next(lo, 1), hi] : [lo, next(hi, -1)];
      const rest =
        restHi > restLo ? `${label(scale, restLo)}–${label(scale, restHi)}` : label(scale, restLo);
      return {
        kind: 'one-outlier',
        reason: DISAGREEMENT_REASONS['one-outlier'],
        detail: `one rater chose ${label(scale, out)}; the others ${rest}`,
      };
    }
  }

  if (n >= 4) {
    const ranked = positionCounts
      .map((count, position) => ({ count, position }))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || a.position - b.position);
    const [first, second] = ranked;
    if (
      first &&
      second &&
      second.count >= 2 &&
      first.count + second.count >= 0.75 * n &&
      first.count * 2 <= n
    ) {
      const [a, b] = [first.position, second.position].sort((x, y) => x - y) as [number, number];
      return {
        kind: 'split',
        reason: DISAGREEMENT_REASONS.split,
        detail: `${positionCounts[a]} chose ${label(scale, a)}, ${positionCounts[b]} chose ${label(scale, b)}`,
      };
    }
  }

  if (range >= 2) {
    return {
      kind: 'spread',
      reason: DISAGREEMENT_REASONS.spread,
      detail: `ratings from ${label(scale, lo)} to ${label(scale, hi)}`,
    };
  }
  return null;
}

/**
 * Statistics for one indicator. `values` are level values; missing ratings are left out.
 * Everything after the one pass over the ratings works on counts per level, so the cost is
 * O(ratings + levels^2) whatever the number of raters.
 */
export function indicatorStats(values: readonly number[], scale: Scale): IndicatorStats {
  const positionCounts = new Array<number>(scale.levels.length).fill(0);
  for (const v of values) positionCounts[positionOf(v, scale)]!++;
  return statsFromCounts(positionCounts, values.length, scale);
}

/** The same, read straight from raters' ratings (nulls skipped) without copying them. */
export function ratingStats(
  ratings: readonly RaterRating[] | undefined,
  scale: Scale,
): IndicatorStats {
  const positionCounts = new Array<number>(scale.levels.length).fill(0);
  let n = 0;
  if (ratings) {
    for (const r of ratings) {
      if (r.value === null) continue;
      positionCounts[positionOf(r.value, scale, r.raterId)]!++;
      n++;
    }
  }
  return statsFromCounts(positionCounts, n, scale);
}

function statsFromCounts(positionCounts: number[], n: number, scale: Scale): IndicatorStats {
  const A = scale.levels.length;
  const counts = scale.levels.map((l, i) => ({
    value: l.value,
    label: l.label,
    count: positionCounts[i]!,
  }));

  if (n === 0) {
    return {
      n,
      counts,
      median: null,
      mean: null,
      min: null,
      max: null,
      range: null,
      modes: [],
      exactAgreement: null,
      adjacentAgreement: null,
      rwg: null,
      disagreement: 0,
      flag: null,
    };
  }

  let sum = 0;
  let maxCount = 0;
  let minPos = -1;
  let maxPos = -1;
  let pSum = 0;
  let pSqSum = 0;
  for (let i = 0; i < A; i++) {
    const c = positionCounts[i]!;
    if (c === 0) continue;
    if (minPos < 0) minPos = i;
    maxPos = i;
    sum += c * scale.levels[i]!.value;
    pSum += c * i;
    pSqSum += c * i * i;
    if (c > maxCount) maxCount = c;
  }
  const modes = counts.filter((c) => c.count === maxCount).map((c) => c.value);

  let exact: number | null = null;
  let adjacent: number | null = null;
  let rwg: number | null = null;
  let disagreement = 0;
  if (n >= 2) {
    // Pairs counted from level counts, not by comparing raters pairwise.
    const pairs = (n * (n - 1)) / 2;
    let same = 0;
    let near = 0;
    for (let i = 0; i < A; i++) {
      const c = positionCounts[i]!;
      same += (c * (c - 1)) / 2;
      if (i + 1 < A) near += c * positionCounts[i + 1]!;
    }
    exact = same / pairs;
    adjacent = (same + near) / pairs;
    // Sample variance of positions from the sums: (sum x^2 - (sum x)^2 / n) / (n - 1).
    const variance = Math.max(0, (pSqSum - (pSum * pSum) / n) / (n - 1));
    disagreement = variance / ((A * A - 1) / 12);
    rwg = Math.max(0, 1 - disagreement);
  }

  return {
    n,
    counts,
    median: medianFromCounts(positionCounts, n, scale),
    mean: sum / n,
    min: scale.levels[minPos]!.value,
    max: scale.levels[maxPos]!.value,
    range: maxPos - minPos,
    modes,
    exactAgreement: exact,
    adjacentAgreement: adjacent,
    rwg,
    disagreement,
    flag: flagFor(positionCounts, n, scale),
  };
}
