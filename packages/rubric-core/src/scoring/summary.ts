/**
 * Everything the facilitator and leadership views need from one assessment, computed in one
 * pass: per-indicator statistics and flags, the discussion agenda, section and overall scores,
 * reliability across the assessment (Krippendorff's alpha at the scale's measurement level and
 * Fleiss' kappa), and launch readiness for checklists. Cost is linear in the number of ratings
 * (see bench/summary.bench.ts, target P6).
 */
import type { LeveledTemplate } from '../template/schema.js';
import { outline } from '../template/outline.js';
import { krippendorffAlpha, type AlphaResult } from '../reliability/alpha.js';
import { fleissKappa, type FleissKappaResult } from '../reliability/kappa.js';
import type { Rating } from '../reliability/matrix.js';
import { discussionAgenda, type AgendaItem } from './agenda.js';
import { ratingStats, type IndicatorStats } from './indicator.js';
import { launchReadiness, type LaunchReadiness } from './launch.js';
import type { AssessmentRatings } from './ratings.js';
import { scoreTemplate, type TemplateScores } from './sections.js';

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

export function summarizeAssessment(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
): AssessmentSummary {
  const { entries } = outline(template);
  const stats = new Map<string, IndicatorStats>();
  let flagged = 0;
  // Reliability data: one row per rated indicator on the template's own scale, one column per
  // rater. Columns are assigned as raters appear and sorted once at the end.
  const column = new Map<string, number>();
  const rows: Rating[][] = [];
  for (const e of entries) {
    const entry = ratings[e.indicator.id];
    const s = ratingStats(entry?.ratings, e.scale);
    stats.set(e.indicator.id, s);
    if (s.flag) flagged++;
    if (e.ownScale || !e.scored || !entry || s.n === 0) continue;
    const row: Rating[] = [];
    for (const r of entry.ratings) {
      let c = column.get(r.raterId);
      if (c === undefined) column.set(r.raterId, (c = column.size));
      row[c] = r.value;
    }
    rows.push(row);
  }
  const raters = [...column.keys()].sort();
  const order = raters.map((id) => column.get(id)!);
  const data = rows.map((row) => order.map((c) => row[c] ?? null));

  return {
    stats,
    flagged,
    agenda: discussionAgenda(template, ratings, stats),
    scores: scoreTemplate(template, ratings, {}, stats),
    reliability: {
      raters,
      units: data.length,
      alpha: krippendorffAlpha(data, { level: template.scale.measurement }),
      kappa: fleissKappa(data),
    },
    ...(template.kind === 'checklist' ? { launch: launchReadiness(template, ratings) } : {}),
  };
}
