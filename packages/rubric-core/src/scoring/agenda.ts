/**
 * The discussion agenda: the indicators a facilitator should walk through, most disagreement
 * first. Order: flagged indicators (one outlier, split group, spread), then ones with adjacent
 * ratings, then unanimous ones to confirm; within each group by disagreement (variance relative
 * to random ratings), ties kept in rubric order. Indicators already agreed are left out, and so
 * are indicators nobody has rated yet.
 */
import type { LeveledTemplate } from '../template/schema.js';
import { outline } from '../template/outline.js';
import { ratingStats, type DisagreementKind, type IndicatorStats } from './indicator.js';
import { isAgreed, type AssessmentRatings } from './ratings.js';
import { assertValidRatings } from './validate.js';

export type AgendaKind = DisagreementKind | 'adjacent' | 'unanimous';

export interface AgendaItem {
  indicatorId: string;
  /** Position in rubric order. */
  order: number;
  sectionPath: readonly string[];
  kind: AgendaKind;
  reason: string;
  detail: string;
  stats: IndicatorStats;
}

const GROUP: Record<AgendaKind, number> = {
  'one-outlier': 0,
  split: 0,
  spread: 0,
  adjacent: 1,
  unanimous: 2,
};

function classify(stats: IndicatorStats): Pick<AgendaItem, 'kind' | 'reason' | 'detail'> {
  if (stats.flag)
    return { kind: stats.flag.kind, reason: stats.flag.reason, detail: stats.flag.detail };
  if (stats.range !== null && stats.range > 0) {
    return { kind: 'adjacent', reason: 'adjacent ratings', detail: 'ratings differ by one level' };
  }
  const only = stats.counts.find((c) => c.count > 0);
  return {
    kind: 'unanimous',
    reason: stats.n > 1 ? 'unanimous' : 'one rating',
    detail:
      stats.n > 1
        ? `all chose ${only?.label ?? ''}; confirm`
        : `only one rating: ${only?.label ?? ''}`,
  };
}

/** Builds the agenda. Throws a `RatingsError` when the ratings are invalid (see validate.ts). */
export function discussionAgenda(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
): AgendaItem[] {
  assertValidRatings(template, ratings);
  return agendaValidated(template, ratings);
}

/**
 * The agenda from ratings already validated. `stats` may be passed when the caller already
 * computed per-indicator statistics (the summary does), so they are not computed twice.
 */
export function agendaValidated(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
  stats?: ReadonlyMap<string, IndicatorStats>,
): AgendaItem[] {
  const items: AgendaItem[] = [];
  for (const entry of outline(template).entries) {
    const id = entry.indicator.id;
    const r = ratings[id];
    if (isAgreed(r)) continue;
    const s = stats?.get(id) ?? ratingStats(r?.ratings, entry.scale);
    if (s.n === 0) continue;
    items.push({
      indicatorId: id,
      order: entry.order,
      sectionPath: entry.sectionPath,
      ...classify(s),
      stats: s,
    });
  }
  return items.sort(
    (a, b) =>
      GROUP[a.kind] - GROUP[b.kind] ||
      b.stats.disagreement - a.stats.disagreement ||
      a.order - b.order,
  );
}
