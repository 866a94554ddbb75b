/**
 * Section and overall scores. An indicator's score is its consensus level once recorded, else the
 * median of its raters (so the picture is useful before discussion, and says which it is).
 *
 * A section's readiness level is the highest level its mean has reached (a mean of 2.9 on a 1-4
 * scale is level 2): a level is claimed only when earned. Sections that carry their own scale
 * (e.g. a yes/no autonomy checklist) are scored on that scale and never mixed into the overall.
 */
import type { Level, LeveledTemplate, Scale } from '../template/schema.js';
import { outline, sectionsOf } from '../template/outline.js';
import type { IndicatorStats } from './indicator.js';
import { ratedValues, type AssessmentRatings } from './ratings.js';
import { assertValidRatings } from './validate.js';

export type ScoreBasis = 'consensus' | 'median' | 'mixed' | 'none';

export interface ScoreGroup {
  /** Indicators in the group (not retired). */
  indicators: number;
  /** Indicators with a consensus or at least one rating. */
  scored: number;
  withConsensus: number;
  mean: number | null;
  basis: ScoreBasis;
  /** The threshold used for `atOrAbove`: the scale's readyAt, else its upper half. */
  threshold: number;
  /** Share of scored indicators at or above the threshold; null when none is scored. */
  atOrAbove: number | null;
  /** Highest level whose value the mean reaches; null when nothing is scored. */
  readiness: Level | null;
}

export interface SectionScore extends ScoreGroup {
  sectionId: string;
  title: string;
  depth: number;
  /** True when the section uses its own scale (reported apart from the overall). */
  ownScale: boolean;
}

export interface ScoreOptions {
  /** Level value used for "share at or above"; defaults to the scale's readyAt. */
  threshold?: number;
}

export function defaultThreshold(scale: Scale): number {
  if (scale.readyAt !== undefined) return scale.readyAt;
  return scale.levels[Math.floor(scale.levels.length / 2)]!.value;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/** The score of one indicator: consensus when recorded, else the raters' median. */
export function indicatorScore(
  ratings: AssessmentRatings,
  id: string,
  stats?: IndicatorStats,
): { value: number; basis: 'consensus' | 'median' } | null {
  const entry = ratings[id];
  if (entry?.consensus) return { value: entry.consensus.value, basis: 'consensus' };
  if (stats) return stats.median === null ? null : { value: stats.median, basis: 'median' };
  const values = ratedValues(entry);
  return values.length ? { value: median(values), basis: 'median' } : null;
}

/** Running totals for one group of indicators on one scale. */
class Tally {
  indicators = 0;
  scored = 0;
  withConsensus = 0;
  sum = 0;
  above = 0;
  constructor(
    readonly scale: Scale,
    readonly threshold: number,
  ) {}

  add(score: ReturnType<typeof indicatorScore>): void {
    this.indicators++;
    if (!score) return;
    this.scored++;
    this.sum += score.value;
    if (score.basis === 'consensus') this.withConsensus++;
    if (score.value >= this.threshold) this.above++;
  }

  result(): ScoreGroup {
    const { scored, withConsensus, scale } = this;
    const mean = scored ? this.sum / scored : null;
    let readiness: Level | null = null;
    if (mean !== null) {
      // Tolerate float noise (e.g. 2.9999999) so an earned level is not missed.
      for (const level of scale.levels) if (mean + 1e-9 >= level.value) readiness = level;
      readiness ??= scale.levels[0]!;
    }
    return {
      indicators: this.indicators,
      scored,
      withConsensus,
      mean,
      basis:
        scored === 0
          ? 'none'
          : withConsensus === scored
            ? 'consensus'
            : withConsensus === 0
              ? 'median'
              : 'mixed',
      threshold: this.threshold,
      atOrAbove: scored ? this.above / scored : null,
      readiness,
    };
  }
}

export interface TemplateScores {
  sections: SectionScore[];
  /** Over every scored indicator on the template's own scale. */
  overall: ScoreGroup;
}

/**
 * Section and overall scores. Throws a `RatingsError` when the ratings are invalid (see
 * validate.ts), so no score or level is ever computed from them.
 */
export function scoreTemplate(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
  options: ScoreOptions = {},
): TemplateScores {
  assertValidRatings(template, ratings);
  return scoreValidated(template, ratings, options);
}

/** `scoreTemplate` on ratings already validated (the summary validates once for everything). */
export function scoreValidated(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
  options: ScoreOptions = {},
  /** Per-indicator statistics already computed (the summary passes them) to reuse medians. */
  stats?: ReadonlyMap<string, IndicatorStats>,
): TemplateScores {
  const thresholdFor = (scale: Scale) =>
    scale === template.scale && options.threshold !== undefined
      ? options.threshold
      : defaultThreshold(scale);
  const sections = sectionsOf(template);
  const tallies = new Map(
    sections.map(({ section, scale }) => [section.id, new Tally(scale, thresholdFor(scale))]),
  );
  const overall = new Tally(template.scale, thresholdFor(template.scale));
  // One pass: each indicator counts toward every enclosing section that shares its scale
  // (a sub-section with its own scale is reported on its own, not mixed into its parent).
  for (const e of outline(template).entries) {
    const score = indicatorScore(ratings, e.indicator.id, stats?.get(e.indicator.id));
    for (const sectionId of e.sectionPath) {
      const tally = tallies.get(sectionId)!;
      if (tally.scale === e.scale) tally.add(score);
    }
    if (e.scored && !e.ownScale) overall.add(score);
  }
  return {
    sections: sections.map(({ section, depth, scale }) => ({
      sectionId: section.id,
      title: section.title,
      depth,
      ownScale: scale !== template.scale,
      ...tallies.get(section.id)!.result(),
    })),
    overall: overall.result(),
  };
}
