/**
 * Fleiss' kappa: chance-corrected agreement of nominal ratings when every unit is rated by the same
 * number of raters (not necessarily the same raters). We offer it beside Krippendorff's alpha
 * because reviewers and funders often ask for it by name.
 *
 * Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
 * Bulletin 76(5), 378–382. With N units, m ratings per unit, x_ij = raters putting unit i in
 * category j:
 *
 *   p_j  = Σ_i x_ij / (N m)                          share of all ratings in category j
 *   P_i  = (Σ_j x_ij² − m) / (m (m − 1))             agreeing rater pairs in unit i
 *   P̄    = (1/N) Σ_i P_i,   P̄e = Σ_j p_j²,          κ = (P̄ − P̄e) / (1 − P̄e)
 *   κ_j  = 1 − Σ_i x_ij (m − x_ij) / (N m (m − 1) p_j q_j),   q_j = 1 − p_j   (per category)
 *
 * The formulas assume the same m for every unit. Generalisations to unequal counts exist, but we
 * do not implement one we cannot cite and check against a published example; with unequal counts
 * we return `kappa: null` and point to Krippendorff's alpha, which handles missing ratings by
 * design. Units with no ratings at all are skipped rather than counted as unequal: an indicator
 * nobody rated is simply not part of the data.
 *
 * Values are treated as nominal categories (the distinct values present); a category nobody used
 * has p_j = 0 and contributes nothing, so it need not be listed. P̄ and P̄e are computed from
 * integer sums with one division each, which keeps them exact for perfect agreement (κ = 1).
 */
import { checkReliabilityData, tallyUnits, type ReliabilityData, type Tally } from './matrix.js';

export interface KappaCategory {
  value: number;
  /** p_j: share of all ratings that fell in this category. */
  p: number;
  /** κ_j: Fleiss' per-category kappa (agreement on this category versus all others). */
  kappa: number;
}

export interface FleissKappa {
  kappa: number;
  /** P̄: mean proportion of agreeing rater pairs per unit. */
  observedAgreement: number;
  /** P̄e: agreement expected by chance, Σ p_j². */
  expectedAgreement: number;
  /** Units used (units with no ratings are skipped). */
  units: number;
  /** Units skipped because nobody rated them. */
  emptyUnits: number;
  /** m: ratings per unit. */
  ratersPerUnit: number;
  /** Distinct values used as categories, ascending. */
  categories: number[];
  perCategory: KappaCategory[];
}

export type FleissKappaResult = FleissKappa | { kappa: null; reason: string };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Fleiss' kappa for `data[unit][rater]` (null = missing). Never throws and never returns NaN:
 * invalid or unsuitable data give `kappa: null` with a reason.
 */
export function fleissKappa(data: ReliabilityData): FleissKappaResult {
  const check = checkReliabilityData(data);
  if (!check.ok) return { kappa: null, reason: check.reason };
  return kappaFromTally(tallyUnits(data, 1));
}

/** Kappa from per-unit value counts (units with at least one rating); see `alphaFromTally`. */
export function kappaFromTally(tally: Tally): FleissKappaResult {
  const units = tally.units;
  if (units.length === 0) {
    return {
      kappa: null,
      reason: 'no unit has any rating, so there is nothing to compute kappa from',
    };
  }

  // The most common rating count is the design; the rest are the units that break it. Ties go to
  // the larger count, the likelier intended design when some raters skipped units.
  const frequency = new Map<number, number>();
  for (const u of units) frequency.set(u.total, (frequency.get(u.total) ?? 0) + 1);
  let m = 0;
  let best = 0;
  for (const [count, f] of frequency) {
    if (f > best || (f === best && count > m)) {
      m = count;
      best = f;
    }
  }
  if (frequency.size > 1) {
    const off = units.filter((u) => u.total !== m);
    const examples = off
      .slice(0, 5)
      .map((u) => `data[${u.unit}] has ${u.total}`)
      .join(', ');
    return {
      kappa: null,
      reason:
        `Fleiss' kappa needs the same number of ratings for every unit, but ${off.length} of ` +
        `${plural(units.length, 'rated unit')} differ from the most common count of ${m} ` +
        `(${examples}${off.length > 5 ? ', …' : ''}); use Krippendorff's alpha, which allows missing ratings`,
    };
  }
  if (m < 2) {
    return {
      kappa: null,
      reason: "every unit has a single rating; Fleiss' kappa needs at least 2 ratings per unit",
    };
  }

  const N = units.length;
  const categories = tally.values;
  const k = categories.length;
  const totals = new Array<number>(k).fill(0);
  // Σ_i x_ij (m − x_ij) per category, for κ_j.
  const disagreeing = new Array<number>(k).fill(0);
  let sumSquares = 0;
  for (const u of units) {
    u.valueIndex.forEach((j, a) => {
      const x = u.counts[a] ?? 0;
      totals[j] = (totals[j] ?? 0) + x;
      disagreeing[j] = (disagreeing[j] ?? 0) + x * (m - x);
      sumSquares += x * x;
    });
  }
  const ratings = N * m;
  const observedAgreement = (sumSquares - ratings) / (ratings * (m - 1));
  let totalsSquared = 0;
  for (const t of totals) totalsSquared += t * t;
  const expectedAgreement = totalsSquared / (ratings * ratings);

  if (k < 2) {
    return {
      kappa: null,
      reason: `all ${ratings} ratings are identical (${String(categories[0])}), so chance agreement is 1 and kappa is undefined: the data show agreement but no variation to test it against`,
    };
  }

  const perCategory = categories.map((value, j) => {
    const t = totals[j] ?? 0;
    const p = t / ratings;
    // p_j q_j written with integer counts: t (Nm − t) / (Nm)².
    const pq = (t * (ratings - t)) / (ratings * ratings);
    const kappa = 1 - (disagreeing[j] ?? 0) / (ratings * (m - 1) * pq);
    return { value, p, kappa };
  });

  return {
    kappa: (observedAgreement - expectedAgreement) / (1 - expectedAgreement),
    observedAgreement,
    expectedAgreement,
    units: N,
    emptyUnits: tally.dropped,
    ratersPerUnit: m,
    categories,
    perCategory,
  };
}
