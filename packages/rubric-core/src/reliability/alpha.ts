/**
 * Krippendorff's alpha: how well raters agree, for any number of raters, missing ratings, and
 * nominal, ordinal, interval or ratio values. We use it as Concord's main reliability statistic
 * because raters routinely skip indicators, and alpha (unlike Fleiss' kappa) still works then.
 *
 * Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
 * Communication, repository.upenn.edu/asc_papers/43: the coincidence-matrix computation of its
 * section C (nominal data, any number of observers, missing data) and its difference functions:
 *
 *   coincidences  o_ck = Σ_u Σ(pairs of raters in u giving c and k) / (m_u − 1)
 *                 which, counting values instead of pairs, is
 *                 o_ck += n_uc·n_uk / (m_u − 1)  (c ≠ k),   o_cc += n_uc·(n_uc − 1) / (m_u − 1)
 *   marginals     n_c = Σ_k o_ck,  n = Σ_c n_c  (pairable values; units with m_u < 2 are dropped)
 *   D_o = (1/n) Σ_c Σ_k o_ck·δ²_ck,   D_e = 1/(n(n−1)) Σ_c Σ_k n_c·n_k·δ²_ck,   α = 1 − D_o/D_e
 *
 *   nominal   δ² = 0 if c = k, else 1
 *   ordinal   δ² = (Σ_{g=c..k} n_g − (n_c + n_k)/2)²
 *   interval  δ² = (c − k)²
 *   ratio     δ² = ((c − k)/(c + k))²
 *
 * The ordinal δ² equals (r_k − r_c)² with r_i = Σ_{g<i} n_g + n_i/2, the mid-rank of value i among
 * the pairable values, so ordinal alpha is interval alpha computed on mid-ranks. We use that
 * identity for D_e, and the closed form Σ_c Σ_k n_c n_k (s_c − s_k)² = 2n Σ_c n_c (s_c − s̄)², so
 * D_e costs O(values) rather than O(values²) for every level but ratio.
 *
 * Alpha is undefined when there are fewer than two pairable values or when every pairable value is
 * the same (D_e = 0); we then return `alpha: null` with a reason instead of NaN, because a NaN
 * silently poisons any average or comparison it reaches.
 *
 * Range: every finite double is accepted. Interval and ratio alpha do not change when all values
 * are multiplied by the same positive factor, so before squaring differences we divide the values
 * by a power of two that brings the largest magnitude near 1. That is exact (a power of two only
 * changes the exponent), so ordinary ratings give bit-identical results, while values of 1e155
 * and beyond (whose squares overflow to Infinity, giving NaN) or below 1e-150 (whose squared
 * differences underflow to 0) give the same alpha as the same data on a 1-5 scale. Only data whose
 * largest magnitude is beyond 2^±400 (about 1e±120) are rescaled; for those, interval `observed`
 * and `expected` are reported in units of the rescaled values (alpha, their ratio, is unaffected).
 *
 * Level: when none is given (`krippendorffAlpha(data)`, or a template without a measurement) the
 * level is `ALPHA_DEFAULT_LEVEL`, ordinal, the right default for rating scales: their levels are
 * ordered but not evenly spaced. The assessment summary passes the template scale's measurement.
 */
import { checkReliabilityData, tallyUnits, type ReliabilityData, type Tally } from './matrix.js';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export const ALPHA_LEVELS: readonly AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/** The level used when none is given: rating scales are ordered, not evenly spaced. */
export const ALPHA_DEFAULT_LEVEL: AlphaLevel = 'ordinal';

export interface AlphaOptions {
  /** Defaults to `ALPHA_DEFAULT_LEVEL` (ordinal). */
  level?: AlphaLevel | undefined;
}

interface AlphaStats {
  level: AlphaLevel;
  /** Observed disagreement D_o (0 when it cannot be computed). */
  observed: number;
  /** Expected disagreement D_e (0 when it cannot be computed, or all values are identical). */
  expected: number;
  /** n: number of pairable values, i.e. ratings in units with at least two ratings. */
  pairable: number;
  /** Units with at least two ratings, the ones alpha is computed from. */
  units: number;
  /** Units dropped for having fewer than two ratings. */
  droppedUnits: number;
  /** Distinct pairable values, ascending. */
  values: number[];
}

export type AlphaResult =
  | (AlphaStats & { alpha: number; reason?: undefined })
  | (AlphaStats & { alpha: null; reason: string });

export interface CoincidenceMatrix {
  /** Distinct pairable values, ascending; rows and columns of `matrix` follow this order. */
  values: number[];
  /** `matrix[c][k]` = o_ck, symmetric. */
  matrix: number[][];
  /** n_c: how many pairable values equal `values[c]` (row sums of `matrix`). */
  marginals: number[];
  /** n: total pairable values. */
  pairable: number;
}

/**
 * Upper triangle (c ≤ k) of the coincidence matrix, as a flat array indexed c·V + k. Dense while
 * the distinct values are few (rating scales), sparse beyond that so that interval data with
 * thousands of distinct values do not allocate V² cells.
 */
interface Coincidences {
  forEach(visit: (c: number, k: number, o: number) => void): void;
  marginals: number[];
  n: number;
}

const DENSE_MAX_VALUES = 64;

function coincide(tally: Tally): Coincidences {
  const v = tally.values.length;
  const dense = v <= DENSE_MAX_VALUES ? new Float64Array(v * v) : null;
  const sparse = dense ? null : new Map<number, number>();
  const marginals = new Array<number>(v).fill(0);
  let n = 0;
  for (const unit of tally.units) {
    const denom = unit.total - 1;
    const { valueIndex, counts } = unit;
    for (let a = 0; a < valueIndex.length; a++) {
      const ia = valueIndex[a] ?? 0;
      const na = counts[a] ?? 0;
      marginals[ia] = (marginals[ia] ?? 0) + na;
      n += na;
      for (let b = a; b < valueIndex.length; b++) {
        const ib = valueIndex[b] ?? 0;
        const amount = b === a ? (na * (na - 1)) / denom : (na * (counts[b] ?? 0)) / denom;
        if (amount === 0) continue;
        const key = ia < ib ? ia * v + ib : ib * v + ia;
        if (dense) dense[key] = (dense[key] ?? 0) + amount;
        else sparse?.set(key, (sparse.get(key) ?? 0) + amount);
      }
    }
  }
  const forEach = (visit: (c: number, k: number, o: number) => void) => {
    if (dense) {
      for (let c = 0; c < v; c++) {
        for (let k = c; k < v; k++) {
          const o = dense[c * v + k] ?? 0;
          if (o !== 0) visit(c, k, o);
        }
      }
    } else {
      for (const [key, o] of sparse ?? []) visit(Math.floor(key / v), key % v, o);
    }
  };
  return { forEach, marginals, n };
}

function emptyStats(level: AlphaLevel): AlphaStats {
  return { level, observed: 0, expected: 0, pairable: 0, units: 0, droppedUnits: 0, values: [] };
}

/**
 * The coincidence matrix of Krippendorff (2011) over the distinct pairable values, for showing
 * which values raters confuse. Returns a reason instead when the data are invalid.
 */
export function coincidenceMatrix(
  data: ReliabilityData,
): (CoincidenceMatrix & { ok: true }) | { ok: false; reason: string } {
  const check = checkReliabilityData(data);
  if (!check.ok) return check;
  const tally = tallyUnits(data, 2);
  const { forEach, marginals, n } = coincide(tally);
  const v = tally.values.length;
  const matrix = Array.from({ length: v }, () => new Array<number>(v).fill(0));
  forEach((c, k, o) => {
    const rowC = matrix[c];
    const rowK = matrix[k];
    if (rowC) rowC[k] = o;
    if (rowK) rowK[c] = o;
  });
  return { ok: true, values: tally.values, matrix, marginals, pairable: n };
}

/**
 * Scores s_c such that δ²_ck = (s_c − s_k)² for the levels where that holds: the values
 * themselves for interval, their mid-ranks among the pairable values for ordinal.
 */
function scores(
  level: 'ordinal' | 'interval',
  values: readonly number[],
  marginals: readonly number[],
) {
  if (level === 'interval') return values;
  let below = 0;
  return marginals.map((nc) => {
    const r = below + nc / 2;
    below += nc;
    return r;
  });
}

function deltaFn(
  level: AlphaLevel,
  values: readonly number[],
  marginals: readonly number[],
): (c: number, k: number) => number {
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'ordinal':
    case 'interval': {
      const s = scores(level, values, marginals);
      return (c, k) => {
        const d = (s[c] ?? 0) - (s[k] ?? 0);
        return d * d;
      };
    }
    case 'ratio':
      return (c, k) => {
        if (c === k) return 0; // guards 0/0 when both values are 0
        const x = values[c] ?? 0;
        const y = values[k] ?? 0;
        const d = (x - y) / (x + y);
        return d * d;
      };
  }
}

/** Σ_c Σ_k n_c·n_k·δ²_ck, the numerator of D_e. */
function expectedSum(
  level: AlphaLevel,
  values: readonly number[],
  marginals: readonly number[],
  n: number,
  delta: (c: number, k: number) => number,
): number {
  if (level === 'nominal') {
    let sq = 0;
    for (const nc of marginals) sq += nc * nc;
    return n * n - sq;
  }
  if (level === 'ordinal' || level === 'interval') {
    const s = scores(level, values, marginals);
    let mean = 0;
    marginals.forEach((nc, c) => (mean += nc * (s[c] ?? 0)));
    mean /= n;
    let ss = 0;
    marginals.forEach((nc, c) => {
      const d = (s[c] ?? 0) - mean;
      ss += nc * d * d;
    });
    return 2 * n * ss;
  }
  let sum = 0;
  for (let c = 0; c < marginals.length; c++) {
    const nc = marginals[c] ?? 0;
    for (let k = c + 1; k < marginals.length; k++) sum += nc * (marginals[k] ?? 0) * delta(c, k);
  }
  return 2 * sum;
}

/**
 * Krippendorff's alpha for `data[unit][rater]` (null = missing) at the given level of measurement.
 * Never throws and never returns NaN: when alpha is undefined or the input is invalid, `alpha` is
 * null and `reason` says why.
 */
export function krippendorffAlpha(data: ReliabilityData, options: AlphaOptions = {}): AlphaResult {
  const level = options?.level ?? ALPHA_DEFAULT_LEVEL;
  const unknown = unknownLevel(level);
  if (unknown) return unknown;
  const check = checkReliabilityData(data);
  if (!check.ok) return { ...emptyStats(level), alpha: null, reason: check.reason };
  return alphaFromTally(tallyUnits(data, 2), level);
}

function unknownLevel(level: AlphaLevel): AlphaResult | null {
  if (ALPHA_LEVELS.includes(level)) return null;
  return {
    ...emptyStats(level),
    alpha: null,
    reason: `unknown level ${JSON.stringify(level)}; use one of ${ALPHA_LEVELS.join(', ')} (or leave it out for ${ALPHA_DEFAULT_LEVEL})`,
  };
}

/**
 * `values` divided by a power of two that brings the largest magnitude into [0.5, 2) when it lies
 * beyond 2^±400: exact, and interval and ratio alpha are unchanged by it, but squares can no
 * longer overflow or underflow. (Interval D_o and D_e are then in units of the rescaled values.)
 */
function normalized(values: readonly number[]): readonly number[] {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  if (max === 0) return values;
  const e = Math.round(Math.log2(max));
  // Within 2^±400 nothing can overflow or underflow, and D_o, D_e stay in the data's own units.
  if (Math.abs(e) <= 400) return values;
  // Two steps, because 2^-e alone overflows or underflows at the ends of the double range.
  const h = Math.trunc(-e / 2);
  const a = 2 ** h;
  const b = 2 ** (-e - h);
  return values.map((v) => v * a * b);
}

/**
 * Alpha from per-unit value counts (units with at least two ratings), for callers that already
 * hold counts (the assessment summary tallies each indicator once for all its statistics).
 */
export function alphaFromTally(
  tally: Tally,
  level: AlphaLevel | undefined = ALPHA_DEFAULT_LEVEL,
): AlphaResult {
  level ??= ALPHA_DEFAULT_LEVEL;
  const unknown = unknownLevel(level);
  if (unknown) return unknown;
  const empty = emptyStats(level);
  const { values } = tally;
  const { forEach, marginals, n } = coincide(tally);
  const stats: AlphaStats = {
    ...empty,
    pairable: n,
    units: tally.units.length,
    droppedUnits: tally.dropped,
    values,
  };

  if (n < 2) {
    return {
      ...stats,
      alpha: null,
      reason:
        'no unit has two or more ratings, so there are no pairable values; alpha needs at least one unit rated by two raters',
    };
  }
  if (values.length < 2) {
    return {
      ...stats,
      alpha: null,
      reason: `all ${n} pairable ratings are identical (${String(values[0])}), so expected disagreement is 0 and alpha is undefined: the data show agreement but no variation to test it against`,
    };
  }
  if (level === 'ratio' && (values[0] ?? 0) < 0) {
    return {
      ...stats,
      alpha: null,
      reason: `the ratio metric needs non-negative values (it divides by c + k) but the data contain ${String(values[0])}; use the interval level`,
    };
  }

  const metric = level === 'interval' || level === 'ratio' ? normalized(values) : values;
  const delta = deltaFn(level, metric, marginals);
  let observedSum = 0;
  forEach((c, k, o) => {
    if (c !== k) observedSum += 2 * o * delta(c, k); // the stored upper triangle stands for both halves
  });
  const observed = observedSum / n;
  const expected = expectedSum(level, metric, marginals, n, delta) / (n * (n - 1));
  if (!(expected > 0)) {
    // Unreachable with two or more distinct values, but a division by 0 must never leak out as NaN.
    return {
      ...stats,
      observed,
      expected,
      alpha: null,
      reason: 'expected disagreement is 0, so alpha is undefined',
    };
  }
  return { ...stats, observed, expected, alpha: 1 - observed / expected };
}
