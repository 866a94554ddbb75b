/**
 * Exact and adjacent agreement over a group of indicators (a section, a round): the share of rater
 * pairs on an item who gave the same level, or levels at most one apart, averaged over the items
 * rated by two or more raters. Each item counts once however many raters rated it, the way Fleiss'
 * P̄ averages per unit, so with every item rated by the same raters `exact` equals the observed
 * agreement of Fleiss' kappa. Works on the per-indicator statistics (indicator.ts), so distances
 * are in scale positions and items on different scales can be pooled. Pure.
 */
import type { IndicatorStats } from './indicator.js';

export interface GroupAgreement {
  /** Mean share of rater pairs giving the same level; null when no item has 2+ ratings. */
  exact: number | null;
  /** Mean share of rater pairs within one level (exact included); null likewise. */
  adjacent: number | null;
  /** Items with at least two ratings: the ones averaged. */
  units: number;
  /** Rater pairs over those items. */
  pairs: number;
}

export function groupAgreement(stats: Iterable<IndicatorStats>): GroupAgreement {
  let units = 0;
  let pairs = 0;
  let exactSum = 0;
  let adjacentSum = 0;
  for (const s of stats) {
    if (s.exactAgreement === null || s.adjacentAgreement === null) continue;
    units++;
    pairs += (s.n * (s.n - 1)) / 2;
    exactSum += s.exactAgreement;
    adjacentSum += s.adjacentAgreement;
  }
  return units === 0
    ? { exact: null, adjacent: null, units, pairs }
    : { exact: exactSum / units, adjacent: adjacentSum / units, units, pairs };
}
