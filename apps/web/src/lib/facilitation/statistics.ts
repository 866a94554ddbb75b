/**
 * Agreement statistics of a revealed rating round, explained in plain words: for the whole round
 * (every section revealed so far) and for each revealed section, exact and adjacent agreement,
 * Krippendorff's alpha and Fleiss' kappa as rubric-core computes them (summarizeAssessment,
 * groupAgreement), each with one plain sentence, the raters and items it rests on, and "Not enough
 * data" with the reason where a figure cannot be computed. Pure; RoundStatistics.svelte shows it.
 *
 * Which items count: the ones rubric-core's reliability counts, the scored items on the
 * template's own scale (an unscored yes/no list such as the District Conditions' Required Areas of
 * Autonomy is left out, and the scope says so), so all four figures of a scope rest on the same
 * items. Interpretation bands: Landis & Koch (1977) for kappa; Krippendorff (2004) for alpha
 * (0.8 to rely on the ratings, 0.667 for tentative conclusions).
 */
import { revealedRatings, type RoundState } from '@concord/documents';
import {
  groupAgreement,
  outline,
  summarizeAssessment,
  type AssessmentRatings,
  type IndicatorStats,
  type LeveledTemplate,
  type OutlineEntry,
  type RaterRating,
} from '@concord/rubric-core';
import { pageSections } from '$lib/document/items';

// ---- the revealed ratings, as the heatmap and the statistics read them ----

export interface RevealedData {
  /** Items of the revealed sections, template order. */
  entries: OutlineEntry[];
  /** Their ratings (rater ids = the round's rater keys); a value that is not a level of the
   * item's scale reads as not rated, so one bad value cannot take the page down. */
  ratings: AssessmentRatings;
  /** Rater keys: the round's raters in its order, then any key only the ratings name. */
  raterKeys: string[];
}

export function revealedData(template: LeveledTemplate, round: RoundState): RevealedData {
  const raw = revealedRatings(round);
  const entries = outline(template).entries.filter((e) => e.section.id in round.revealed);
  const keys = new Set(Object.keys(round.raters));
  const ratings: Record<string, { ratings: RaterRating[] }> = {};
  for (const entry of entries) {
    const given = raw[entry.indicator.id]?.ratings ?? [];
    const levels = new Set(entry.scale.levels.map((l) => l.value));
    ratings[entry.indicator.id] = {
      ratings: given.map((r) => {
        keys.add(r.raterId);
        return {
          raterId: r.raterId,
          value: r.value !== null && levels.has(r.value) ? r.value : null,
        };
      }),
    };
  }
  return { entries, ratings, raterKeys: [...keys] };
}

// ---- figures ----

export type FigureKind = 'exact' | 'adjacent' | 'alpha' | 'kappa';

export const FIGURE_NAMES: Record<FigureKind, string> = {
  exact: 'Exact agreement',
  adjacent: 'Adjacent agreement',
  alpha: "Krippendorff's alpha",
  kappa: "Fleiss' kappa",
};

/** What each figure measures, in a sentence. */
export const FIGURE_ABOUT: Record<FigureKind, string> = {
  exact: 'How often two raters chose the same level for an item.',
  adjacent: 'How often two raters chose the same level or levels next to each other.',
  alpha:
    'Agreement beyond chance that weighs how far apart levels are and allows for unrated items: 0.8 or more is reliable, 0.667 or more supports tentative conclusions.',
  kappa:
    'Agreement beyond chance that counts only identical levels and needs every item rated by the same number of raters.',
};

/** Below these a figure is shown with a caution: it rests on too little to be sure. */
export const FEW_RATERS = 3;
export const FEW_ITEMS = 5;

export interface Figure {
  kind: FigureKind;
  name: string;
  about: string;
  /** The statistic as rubric-core gives it (a share for agreement), or null: not enough data. */
  value: number | null;
  /** "58%", "0.42", or "Not enough data". */
  display: string;
  /** The rest of the sentence after the figure: "raters agree …" (no final full stop), or the
   * reason there is not enough data. */
  meaning: string;
  /** The one plain sentence: "0.42: raters agree …." or "Not enough data: …." */
  sentence: string;
  /** Raters and items the figure rests on (for "Not enough data": what there was). */
  raters: number;
  items: number;
  /** "3 raters, 12 items". */
  basis: string;
  /** Set when the figure rests on few raters or items. */
  caution: string | null;
}

export interface StatisticsScope {
  /** "round" for the whole round, else the section id. */
  id: string;
  /** "Round 2" or the section's heading as the page prints it. */
  heading: string;
  figures: Figure[];
  /** Set when items of the scope are left out of the figures, and why. */
  note: string | null;
}

export interface RoundStatistics {
  round: StatisticsScope;
  /** Each revealed section, template order. */
  sections: StatisticsScope[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A share as a whole percentage that never claims 100% or 0% when it is not exactly so. */
export function percent(share: number): string {
  let p = Math.round(share * 100);
  if (p === 100 && share < 1) p = 99;
  if (p === 0 && share > 0) p = 1;
  return `${p}%`;
}

/** A share of rater pairs in words: "on an average item, about 6 in 10 pairs of raters chose". */
function pairsChose(share: number): string {
  if (share >= 1) return 'on every item, every pair of raters chose';
  if (share <= 0) return 'on no item did any two raters choose';
  const t = Math.round(share * 10);
  const pairs =
    t >= 10 ? 'nearly every pair' : t <= 0 ? 'fewer than 1 in 10 pairs' : `about ${t} in 10 pairs`;
  return `on an average item, ${pairs} of raters chose`;
}

/**
 * A coefficient with two decimals, or more where two would put it in another band than its own
 * (0.666 is not shown as 0.67 when 0.667 is a boundary): `band` names the band of a value. Minus
 * sign for negatives.
 */
export function coefficient(value: number, band: (v: number) => string): string {
  const own = band(value);
  let digits = 2;
  let rounded = Number(value.toFixed(digits));
  while (digits < 4 && band(rounded) !== own) {
    digits++;
    rounded = Number(value.toFixed(digits));
  }
  const text = Math.abs(rounded).toFixed(digits);
  return rounded < 0 ? `\u2212${text}` : text;
}

/** Krippendorff (2004): 0.8 to rely on the data, 0.667 for tentative conclusions. */
export function alphaMeaning(alpha: number): string {
  if (alpha >= 0.8) return 'raters agree well enough to rely on the ratings (0.8 or more)';
  if (alpha >= 0.667)
    return 'raters agree enough for tentative conclusions, not yet for firm ones (that needs 0.8)';
  if (alpha >= 0)
    return 'raters agree too little to rely on the ratings as a shared judgement (tentative conclusions need 0.667)';
  return 'raters disagree more than chance would give: they may be reading the levels differently';
}

/** Landis & Koch (1977); their bands are closed above (0.21–0.40 is fair), so 0.2 is slight. */
export function kappaMeaning(kappa: number): string {
  if (kappa < 0) return 'raters agree less often than chance would give (poor agreement)';
  if (kappa <= 0.2)
    return 'raters agree barely more often than chance would give (slight agreement)';
  if (kappa <= 0.4)
    return 'raters agree somewhat more often than chance would give (fair agreement)';
  if (kappa <= 0.6)
    return 'raters agree clearly more often than chance would give (moderate agreement)';
  if (kappa <= 0.8) return 'raters agree well beyond chance (substantial agreement)';
  return 'raters nearly always choose the same level (almost perfect agreement)';
}

interface Basis {
  raters: number;
  items: number;
}

function figure(
  kind: FigureKind,
  basis: Basis,
  result: { value: number; display: string; meaning: string } | { reason: string },
): Figure {
  const base = {
    kind,
    name: FIGURE_NAMES[kind],
    about: FIGURE_ABOUT[kind],
    raters: basis.raters,
    items: basis.items,
    basis: `${plural(basis.raters, 'rater')}, ${plural(basis.items, 'item')}`,
  };
  if ('reason' in result) {
    return {
      ...base,
      value: null,
      display: 'Not enough data',
      meaning: result.reason,
      sentence: `Not enough data: ${result.reason}.`,
      caution: null,
    };
  }
  const few: string[] = [];
  if (basis.raters < FEW_RATERS) few.push(plural(basis.raters, 'rater'));
  if (basis.items < FEW_ITEMS) few.push(plural(basis.items, 'item'));
  return {
    ...base,
    value: result.value,
    display: result.display,
    meaning: result.meaning,
    sentence: `${result.display}: ${result.meaning}.`,
    caution: few.length
      ? `${sentenceCase(`only ${few.join(' and ')}`)}: read it as a rough guide.`
      : null,
  };
}

const NO_PAIRS = 'no item was rated by two or more raters, so there are no two ratings to compare';
const ALL_SAME =
  'every rating is the same level, so there is no variation to weigh agreement against (the raters agree completely)';

function ratersOf(ratings: AssessmentRatings, ids: Iterable<string>): number {
  const raters = new Set<string>();
  for (const id of ids)
    for (const r of ratings[id]?.ratings ?? []) if (r.value !== null) raters.add(r.raterId);
  return raters.size;
}

/** The four figures over `entries` (a section's items, or every revealed item). */
export function scopeFigures(
  template: LeveledTemplate,
  ratings: AssessmentRatings,
  entries: readonly OutlineEntry[],
): { figures: Figure[]; note: string | null } {
  const sub: Record<string, AssessmentRatings[string]> = {};
  for (const e of entries) sub[e.indicator.id] = ratings[e.indicator.id];
  const summary = summarizeAssessment(template, sub);
  const counted = entries.filter((e) => e.scored && !e.ownScale);
  const left = entries.length - counted.length;
  const note =
    left === 0
      ? null
      : counted.length === 0
        ? "These items are not scored on the rubric's scale, so no agreement figures are given for them."
        : `${plural(left, 'item')} not scored on the rubric's scale ${left === 1 ? 'is' : 'are'} left out.`;

  const statsOf = (e: OutlineEntry): IndicatorStats | undefined =>
    summary.stats.get(e.indicator.id);
  const rated = counted.filter((e) => (statsOf(e)?.n ?? 0) >= 1);
  const paired = counted.filter((e) => (statsOf(e)?.n ?? 0) >= 2);
  const pairedBasis: Basis = {
    raters: ratersOf(
      sub,
      paired.map((e) => e.indicator.id),
    ),
    items: paired.length,
  };
  const ratedBasis: Basis = { raters: summary.reliability.raters.length, items: rated.length };

  const none =
    counted.length === 0
      ? "these items are not scored on the rubric's scale"
      : rated.length === 0
        ? 'no item of these has been rated'
        : null;
  if (none) {
    const kinds: FigureKind[] = ['exact', 'adjacent', 'alpha', 'kappa'];
    return { figures: kinds.map((k) => figure(k, ratedBasis, { reason: none })), note };
  }

  const agreement = groupAgreement(paired.map((e) => statsOf(e)!));
  const exact: Figure =
    agreement.exact === null
      ? figure('exact', pairedBasis, { reason: NO_PAIRS })
      : figure('exact', pairedBasis, {
          value: agreement.exact,
          display: percent(agreement.exact),
          meaning: `${pairsChose(agreement.exact)} the same level`,
        });
  const adjacent: Figure =
    agreement.adjacent === null
      ? figure('adjacent', pairedBasis, { reason: NO_PAIRS })
      : figure('adjacent', pairedBasis, {
          value: agreement.adjacent,
          display: percent(agreement.adjacent),
          meaning: `${pairsChose(agreement.adjacent)} the same level or levels next to each other`,
        });

  const { alpha: a, kappa: k } = summary.reliability;
  const alpha: Figure =
    a.alpha !== null
      ? figure('alpha', pairedBasis, {
          value: a.alpha,
          display: coefficient(a.alpha, alphaMeaning),
          meaning: alphaMeaning(a.alpha),
        })
      : figure('alpha', pairedBasis, {
          reason: a.pairable < 2 ? NO_PAIRS : a.values.length < 2 ? ALL_SAME : a.reason,
        });

  let kappa: Figure;
  if (k.kappa !== null) {
    kappa = figure(
      'kappa',
      { raters: ratedBasis.raters, items: k.units },
      {
        value: k.kappa,
        display: coefficient(k.kappa, kappaMeaning),
        meaning: kappaMeaning(k.kappa),
      },
    );
  } else {
    // The order of rubric-core's own checks (kappaFromTally): unequal counts, one rating, no variation.
    const counts = rated.map((e) => statsOf(e)!.n);
    const most = mostCommon(counts);
    const off = counts.filter((n) => n !== most).length;
    const reason =
      off > 0
        ? `kappa needs every item rated by the same number of raters, and ${off} of ${plural(counts.length, 'rated item')} ${off === 1 ? 'has' : 'have'} a different number of ratings than the usual ${most} (alpha allows for that)`
        : most < 2
          ? 'each item has a single rating; kappa needs at least two raters per item'
          : k.reason.startsWith('all ')
            ? ALL_SAME
            : k.reason;
    kappa = figure('kappa', ratedBasis, { reason });
  }
  return { figures: [exact, adjacent, alpha, kappa], note };
}

/** The most common value, ties to the larger (as Fleiss' kappa in rubric-core takes the design). */
function mostCommon(values: readonly number[]): number {
  const frequency = new Map<number, number>();
  for (const v of values) frequency.set(v, (frequency.get(v) ?? 0) + 1);
  let best = 0;
  let value = 0;
  for (const [v, f] of frequency) {
    if (f > best || (f === best && v > value)) {
      best = f;
      value = v;
    }
  }
  return value;
}

export function roundStatistics(template: LeveledTemplate, round: RoundState): RoundStatistics {
  const data = revealedData(template, round);
  const whole = scopeFigures(template, data.ratings, data.entries);
  const revealedCount = Object.keys(round.revealed).length;
  const partial =
    round.sections.length > 0 && revealedCount < round.sections.length
      ? `Rests on the ${plural(revealedCount, 'section')} revealed so far, of ${round.sections.length}.`
      : null;
  const sections = pageSections(template)
    .filter((s) => s.id in round.revealed)
    .map((s) => {
      const entries = s.items.map((i) => i.entry);
      const { figures, note } = scopeFigures(template, data.ratings, entries);
      return { id: s.id, heading: s.heading, figures, note };
    });
  return {
    round: {
      id: 'round',
      heading: `Round ${round.number}`,
      figures: whole.figures,
      note: [partial, whole.note].filter((n) => n !== null).join(' ') || null,
    },
    sections,
  };
}
