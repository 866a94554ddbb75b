/**
 * The disagreement heatmap of a revealed rating round: one row per revealed item (template order,
 * grouped by section under the headings the page prints), one cell per rater with the level's
 * number, label and a pattern, and rubric-core's disagreement flag with its reason in words.
 * Filters: one section, flagged items only. Pure; Heatmap.svelte shows it.
 *
 * Patterns go by a level's position on its scale, not its value, so a 1-4 rubric, a 3-level
 * checklist and a yes/no list each run from the lowest pattern to the highest; the legend lists
 * them per scale.
 */
import type { RoundState } from '@concord/documents';
import {
  DISAGREEMENT_REASONS,
  summarizeAssessment,
  type DisagreementKind,
  type LeveledTemplate,
  type Scale,
} from '@concord/rubric-core';
import { itemTitle, pageSections } from '$lib/document/items';
import { revealedData } from './statistics';

/** Patterns (and colours) there are; a scale of more levels reuses them in turn. */
export const PATTERNS = 6;

/** The pattern of the level at `position` on a scale of `levels` levels: the lowest and the highest
 * level of a scale of up to four always take patterns 0 and 3. */
export function patternOf(position: number, levels: number): number {
  if (levels <= 4) return levels <= 1 ? 0 : Math.round((position * 3) / (levels - 1));
  return position % PATTERNS;
}

export const NOT_RATED = 'Not rated';

export interface HeatmapRater {
  key: string;
  name: string;
}

export interface HeatmapCell {
  raterKey: string;
  /** The level's value, or null when not rated. */
  value: number | null;
  /** Pattern index (0 … PATTERNS − 1), or null when not rated. */
  pattern: number | null;
  /** The level's label as the template has it, or "Not rated". */
  label: string;
  /** What the cell prints: the level's value, or "–". */
  text: string;
}

export interface HeatmapFlag {
  kind: DisagreementKind;
  /** rubric-core's reason: "one outlier", "split group", "spread of 2+ levels". */
  reason: string;
  /** Which levels: "one rater chose Area of Concern; the others Sustainable". */
  detail: string;
  /** Both in a sentence: "One outlier: one rater chose …". */
  text: string;
}

export interface HeatmapRow {
  id: string;
  /** As printed: "1.2", "Condition 1.2". */
  label: string;
  /** The item's short title (the page's itemTitle). */
  title: string;
  /** "1.2 The district Leadership Team…": the item's accessible name on the page. */
  name: string;
  sectionId: string;
  /** Index into `HeatmapModel.scales`. */
  scale: number;
  cells: HeatmapCell[];
  /** Ratings given (not "not rated"). */
  rated: number;
  flag: HeatmapFlag | null;
}

export interface HeatmapGroup {
  sectionId: string;
  /** The section's heading as the page prints it: "1 District Leadership". */
  heading: string;
  /** The part the section belongs to (the School Planning Tool's conditions and principles). */
  part: { id: string; title: string } | null;
  rows: HeatmapRow[];
}

export interface LegendLevel {
  value: number;
  label: string;
  pattern: number;
}

export interface LegendScale {
  /** "Levels", or "Levels in Required Areas of Autonomy and Flexibility" where scales differ. */
  title: string;
  levels: LegendLevel[];
}

export interface HeatmapModel {
  roundNumber: number;
  raters: HeatmapRater[];
  groups: HeatmapGroup[];
  scales: LegendScale[];
  /** Rows flagged, all sections. */
  flagged: number;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * `names` overrides the display name of a rater key (a facilitator's real names in an anonymised
 * round); otherwise the round's own ("Rater A").
 */
export function heatmapModel(
  template: LeveledTemplate,
  round: RoundState,
  names: Readonly<Record<string, string>> = {},
): HeatmapModel {
  const data = revealedData(template, round);
  const summary = summarizeAssessment(template, data.ratings);
  const raters = data.raterKeys.map((key) => ({
    key,
    name: names[key] ?? round.raters[key] ?? key,
  }));

  const scaleIndex = new Map<Scale, number>();
  const scaleSections: string[][] = [];
  const groups: HeatmapGroup[] = [];
  let flagged = 0;
  // Parts as the page has them (pageSections): top-level sections holding sections, when there
  // is more than one; here each group names its part, not only the first of the part.
  const parts = template.sections.filter((s) => s.sections.length > 0);
  for (const section of pageSections(template)) {
    if (!(section.id in round.revealed)) continue;
    const top = section.items[0]?.entry.sectionPath[0];
    const found = parts.length > 1 ? parts.find((p) => p.id === top) : undefined;
    const part = found ? { id: found.id, title: found.title } : null;
    const rows = section.items.map((item): HeatmapRow => {
      const { scale } = item.entry;
      let index = scaleIndex.get(scale);
      if (index === undefined) {
        index = scaleSections.length;
        scaleIndex.set(scale, index);
        scaleSections.push([]);
      }
      const headings = scaleSections[index]!;
      if (!headings.includes(section.heading)) headings.push(section.heading);

      const byRater = new Map(
        (data.ratings[item.id]?.ratings ?? []).map((r) => [r.raterId, r.value]),
      );
      const cells = raters.map(({ key }): HeatmapCell => {
        const value = byRater.get(key) ?? null;
        const position = value === null ? -1 : scale.levels.findIndex((l) => l.value === value);
        const level = scale.levels[position];
        return level === undefined
          ? { raterKey: key, value: null, pattern: null, label: NOT_RATED, text: '–' }
          : {
              raterKey: key,
              value: level.value,
              pattern: patternOf(position, scale.levels.length),
              label: level.label,
              text: String(level.value),
            };
      });
      const f = summary.stats.get(item.id)?.flag ?? null;
      if (f) flagged++;
      return {
        id: item.id,
        label: item.label,
        title: itemTitle(item.entry),
        name: item.name,
        sectionId: section.id,
        scale: index,
        cells,
        rated: cells.filter((c) => c.value !== null).length,
        flag: f && {
          kind: f.kind,
          reason: DISAGREEMENT_REASONS[f.kind],
          detail: f.detail,
          text: `${sentenceCase(DISAGREEMENT_REASONS[f.kind])}: ${f.detail}`,
        },
      };
    });
    groups.push({ sectionId: section.id, heading: section.heading, part, rows });
  }

  const scales = [...scaleIndex].map(([scale, i]) => ({
    title:
      scaleIndex.size === 1 || scale === template.scale
        ? 'Levels'
        : `Levels in ${scaleSections[i]!.join(', ')}`,
    levels: scale.levels.map((l, position) => ({
      value: l.value,
      label: l.label,
      pattern: patternOf(position, scale.levels.length),
    })),
  }));
  return { roundNumber: round.number, raters, groups, scales, flagged };
}

export interface HeatmapFilter {
  /** A section id, or null for every revealed section. */
  section: string | null;
  flaggedOnly: boolean;
}

export interface HeatmapViewGroup extends HeatmapGroup {
  /** The part's title where this group is the first shown of its part, else null. */
  partHeading: string | null;
}

export interface HeatmapView {
  groups: HeatmapViewGroup[];
  /** Rows shown. */
  rows: number;
  /** Legend: the scales of the rows shown. */
  scales: LegendScale[];
}

export function filterHeatmap(model: HeatmapModel, filter: HeatmapFilter): HeatmapView {
  const groups: HeatmapViewGroup[] = [];
  const used = new Set<number>();
  let rows = 0;
  let lastPart: string | null = null;
  for (const group of model.groups) {
    if (filter.section !== null && group.sectionId !== filter.section) continue;
    const shown = filter.flaggedOnly ? group.rows.filter((r) => r.flag !== null) : group.rows;
    if (shown.length === 0) continue;
    const opens = group.part !== null && group.part.id !== lastPart;
    lastPart = group.part?.id ?? null;
    groups.push({ ...group, rows: shown, partHeading: opens ? group.part!.title : null });
    rows += shown.length;
    for (const r of shown) used.add(r.scale);
  }
  return { groups, rows, scales: model.scales.filter((_, i) => used.has(i)) };
}

export interface SectionChoice {
  /** The part's title, for an optgroup; null outside parts. */
  part: string | null;
  sections: { id: string; heading: string; flagged: number }[];
}

/** The revealed sections for the section filter, grouped by part. */
export function sectionChoices(model: HeatmapModel): SectionChoice[] {
  const out: SectionChoice[] = [];
  for (const group of model.groups) {
    const part = group.part?.title ?? null;
    let last = out.at(-1);
    if (!last || last.part !== part) {
      last = { part, sections: [] };
      out.push(last);
    }
    last.sections.push({
      id: group.sectionId,
      heading: group.heading,
      flagged: group.rows.filter((r) => r.flag !== null).length,
    });
  }
  return out;
}
