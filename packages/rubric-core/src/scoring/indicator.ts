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

/** Position of each value on the scale; throws on a value that is not a level. */
export function positionsOf(values: readonly number[], scale: Scale): number[] {
  return values.map((v) => {
    const i = scale.levels.findIndex((l) => l.value === v);
    if (i < 0) {
      throw new RangeError(
        `rating ${v} is not a level of this scale (${scale.levels.map((l) => l.value).join(', ')})`,
      );
    }
    return i;
  });
}

function medianOf(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function label(scale: Scale, position: number): string {
  return scale.levels[position]?.label ?? String(position);
}

function flagFor(positionCounts: readonly number[], n: number, scale: Scale): DisagreementFlag | null {
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

/** Statistics for one indicator. `values` are level values; missing ratings are left out. */
export function indicatorStats(values: readonly number[], scale: Scale): IndicatorStats {
  const positions = positionsOf(values, scale);
  const n = positions.length;
  const A = scale.levels.length;
  const positionCounts = new Array<number>(A).fill(0);
  for (const p of positions) positionCounts[p]!++;
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

  const sortedValues = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of values) sum += v;
  const maxCount = Math.max(...positionCounts);
  const modes = counts.filter((c) => c.count === maxCount).map((c) => c.value);
  const minPos = positionCounts.findIndex((c) => c > 0);
  const maxPos = A - 1 - [...positionCounts].reverse().findIndex((c) => c > 0);

  let exact: number | null = null;
  let adjacent: number | null = null;
  let rwg: number | null = null;
  let disagreement = 0;
  if (n >= 2) {
    // Pairs counted from level counts: O(levels^2), not O(raters^2).
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

    let pSum = 0;
    for (const p of positions) pSum += p;
    const pMean = pSum / n;
    let ss = 0;
    for (const p of positions) ss += (p - pMean) ** 2;
    const variance = ss / (n - 1);
    const expected = (A * A - 1) / 12;
    disagreement = variance / expected;
    rwg = Math.max(0, 1 - disagreement);
  }

  return {
    n,
    counts,
    median: medianOf(sortedValues),
    mean: sum / n,
    min: sortedValues[0]!,
    max: sortedValues[n - 1]!,
    range: maxPos - minPos,
    modes,
    exactAgreement: exact,
    adjacentAgreement: adjacent,
    rwg,
    disagreement,
    flag: flagFor(positionCounts, n, scale),
  };
}
