/**
 * Section and overall scores. An indicator's score is its consensus level once recorded, else the
 * median of its raters (so the picture is useful before discussion, and says which it is).
 *
 * A section's readiness level is the highest level its mean has reached (a mean of 2.9 on a 1-4
 * scale is level 2): a level is claimed only when earned. Sections that carry their own scale
 * (e.g. a yes/no autonomy checklist) are scored on that scale and never mixed into the overall.
 */
import type { Level, LeveledTemplate, Scale } from '../template/schema.js';
import { outline, sectionsOf, type OutlineEntry } from '../template/outline.js';
import { ratedValues, type AssessmentRatings } from './ratings.js';

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
): { value: number; basis: 'consensus' | 'median' } | null {
  const entry = ratings[id];
  if (entry?.consensus) return { value: entry.consensus.value, basis: 'consensus' };
  const values = ratedValues(entry);
  return values.length ? { value: median(values), basis: 'median' } : null;
}

function scoreGroup(
  entries: readonly OutlineEntry[],
  ratings: AssessmentRatings,
  scale: Scale,
  options: ScoreOptions,
): ScoreGroup {
  const threshold = options.threshold ?? defaultThreshold(scale);
  let sum = 0;
  let scored = 0;
  let withConsensus = 0;
  let above = 0;
  for (const e of entries) {
    const s = indicatorScore(ratings, e.indicator.id);
    if (!s) continue;
    scored++;
    sum += s.value;
    if (s.basis === 'consensus') withConsensus++;
    if (s.value >= threshold) above++;
  }
  const mean = scored ? sum / scored : null;
  let readiness: Level | null = null;
  if (mean !== null) {
    // Tolerate float noise (e.g. 2.9999999) so an earned level is not missed.
    for (const level of scale.levels) if (mean + 1e-9 >= level.value) readiness = level;
    readiness ??= scale.levels[0]!;
  }
  return {
    indicators: entries.length,
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
    threshold,
    atOrAbove: scored ? above / scored : null,
    readiness,
  };
}

export interface TemplateScores {
  sections: SectionScore[];
  /** Over every scored indicator on the template's own scale. */
  overall: ScoreGroup;
}

export function scoreTemplate(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
  options: ScoreOptions = {},
): TemplateScores {
  const { entries } = outline(template);
  const sections = sectionsOf(template).map(({ section, depth, scale }) => {
    // A section's indicators include its sub-sections' that share its scale.
    const own = entries.filter((e) => e.sectionPath.includes(section.id) && e.scale === scale);
    return {
      sectionId: section.id,
      title: section.title,
      depth,
      ownScale: scale !== template.scale,
      ...scoreGroup(own, ratings, scale, scale === template.scale ? options : {}),
    };
  });
  const overall = scoreGroup(
    entries.filter((e) => e.scored && !e.ownScale),
    ratings,
    template.scale,
    options,
  );
  return { sections, overall };
}
