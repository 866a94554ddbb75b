/**
 * Everything the facilitator and leadership views need from one assessment, computed in one
 * pass: per-indicator statistics and flags, the discussion agenda, section and overall scores,
 * reliability across the assessment (Krippendorff's alpha at the scale's measurement level and
 * Fleiss' kappa), and launch readiness for checklists. Cost is linear in the number of ratings
 * (see bench/summary.bench.ts, target P6).
 */
import type { LeveledTemplate } from '../template/schema.js';
import { outline } from '../template/outline.js';
import { alphaFromTally, type AlphaResult } from '../reliability/alpha.js';
import { kappaFromTally, type FleissKappaResult } from '../reliability/kappa.js';
import type { Tally, UnitTally } from '../reliability/matrix.js';
import { agendaValidated, type AgendaItem } from './agenda.js';
import { ratingStats, type IndicatorStats } from './indicator.js';
import { launchValidated, type LaunchReadiness } from './launch.js';
import type { AssessmentRatings } from './ratings.js';
import { scoreValidated, type TemplateScores } from './sections.js';
import { assertValidRatings } from './validate.js';

export interface ReliabilitySummary {
  /** Rater ids, the columns of the reliability data, sorted. */
  raters: string[];
  /** Indicators (on the template's own scale, scored) with at least one rating. */
  units: number;
  alpha: AlphaResult;
  kappa: FleissKappaResult;
}

export interface AssessmentSummary {
  stats: ReadonlyMap<string, IndicatorStats>;
  flagged: number;
  agenda: AgendaItem[];
  scores: TemplateScores;
  reliability: ReliabilitySummary;
  /** Present for checklist templates. */
  launch?: LaunchReadiness;
}

/**
 * The reliability tally (per-unit value counts, values ascending) of the given indicators that
 * have at least `minRatings` ratings, built from their per-level counts.
 */
function tallyOf(units: readonly IndicatorStats[], minRatings: number): Tally {
  const present = new Map<number, number>();
  let dropped = 0;
  for (const s of units) {
    if (s.n < minRatings) continue;
    for (const c of s.counts) if (c.count > 0) present.set(c.value, 0);
  }
  const values = [...present.keys()].sort((a, b) => a - b);
  values.forEach((v, i) => present.set(v, i));
  const out: UnitTally[] = [];
  units.forEach((s, unit) => {
    if (s.n < minRatings) {
      dropped++;
      return;
    }
    const valueIndex: number[] = [];
    const counts: number[] = [];
    for (const c of s.counts) {
      if (c.count === 0) continue;
      valueIndex.push(present.get(c.value)!);
      counts.push(c.count);
    }
    out.push({ unit, total: s.n, valueIndex, counts });
  });
  return { values, units: out, dropped };
}

/** Throws a `RatingsError` when the ratings are invalid (see validate.ts). */
export function summarizeAssessment(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
): AssessmentSummary {
  assertValidRatings(template, ratings);
  const { entries } = outline(template);
  const stats = new Map<string, IndicatorStats>();
  const raterIds = new Set<string>();
  // Reliability units: rated indicators on the template's own scale. Their per-level counts are
  // already in the stats, so alpha and kappa are computed from those counts, not from a matrix.
  const units: IndicatorStats[] = [];
  let flagged = 0;
  for (const e of entries) {
    const entry = ratings[e.indicator.id];
    const s = ratingStats(entry?.ratings, e.scale);
    stats.set(e.indicator.id, s);
    if (s.flag) flagged++;
    if (e.ownScale || !e.scored || !entry || s.n === 0) continue;
    units.push(s);
    for (const r of entry.ratings) raterIds.add(r.raterId);
  }

  return {
    stats,
    flagged,
    agenda: agendaValidated(template, ratings, stats),
    scores: scoreValidated(template, ratings, {}, stats),
    reliability: {
      raters: [...raterIds].sort(),
      units: units.length,
      alpha: alphaFromTally(tallyOf(units, 2), template.scale.measurement),
      kappa: kappaFromTally(tallyOf(units, 1)),
    },
    ...(template.kind === 'checklist' ? { launch: launchValidated(template, ratings) } : {}),
  };
}
