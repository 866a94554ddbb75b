/**
 * Pure helpers that turn validated templates (from @concord/rubric-core) into what the catalogue
 * pages show: labels, counts and short summaries. No I/O; safe on the server and in tests.
 */
import { outline, type LeveledTemplate, type Section, type Template } from '@concord/rubric-core';

export type TemplateKind = Template['kind'];

const KIND_LABELS: Record<TemplateKind, string> = {
  rubric: 'Rubric',
  checklist: 'Checklist',
  plan: 'Plan framework',
};

export function kindLabel(kind: TemplateKind): string {
  return KIND_LABELS[kind];
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * A source date as printed (YYYY, YYYY-MM or YYYY-MM-DD) in words, e.g. "August 21, 2015" or
 * "March 2020". Deterministic (no locale), so server and client render the same text.
 */
export function formatSourceDate(date: string): string {
  const [year, month, day] = date.split('-');
  const monthName = month === undefined ? undefined : MONTHS[Number(month) - 1];
  if (year === undefined || monthName === undefined) return date;
  if (day === undefined) return `${monthName} ${year}`;
  return `${monthName} ${Number(day)}, ${year}`;
}

export function isLeveled(template: Template): template is LeveledTemplate {
  return template.kind === 'rubric' || template.kind === 'checklist';
}

/** Calls `visit` for every section, depth first, in document order. */
export function walkSections(
  sections: readonly Section[],
  visit: (section: Section, depth: number) => void,
  depth = 0,
): void {
  for (const section of sections) {
    visit(section, depth);
    walkSections(section.sections, visit, depth + 1);
  }
}

/**
 * Ids of everything the template page marks with `data-indicator-id`: every indicator of a
 * leveled template (retired ones included, they are shown as retired), or every metric
 * indicator of a plan framework. Document order.
 */
export function indicatorIds(template: Template): string[] {
  const ids: string[] = [];
  if (isLeveled(template)) {
    walkSections(template.sections, (s) => {
      for (const indicator of s.indicators) ids.push(indicator.id);
    });
  } else {
    for (const group of template.metricGroups) {
      for (const indicator of group.indicators) ids.push(indicator.id);
    }
  }
  return ids;
}

export interface CountLine {
  /** e.g. 28 */
  count: number;
  /** e.g. "indicators" (already pluralised for `count`) */
  noun: string;
}

function line(count: number, one: string, many: string): CountLine {
  return { count, noun: count === 1 ? one : many };
}

/**
 * What a rater rates in a leveled template, in the template's own terms: the indicators (a
 * checklist's categories) of its scored sections, then the items of each unscored section under
 * that section's own title. District Conditions: 28 indicators, 6 Required Areas of Autonomy and
 * Flexibility, as the seed counts them. Retired indicators are not rated, so not counted.
 */
export function itemCounts(template: LeveledTemplate): CountLine[] {
  const entries = outline(template).entries;
  const scored = entries.filter((e) => e.scored).length;
  const lines: CountLine[] = [];
  if (scored > 0 || entries.length === 0) {
    lines.push(
      template.kind === 'checklist'
        ? line(scored, 'category', 'categories')
        : line(scored, 'indicator', 'indicators'),
    );
  }
  const unscored = new Map<string, CountLine>();
  for (const e of entries) {
    if (e.scored) continue;
    // By title: two unscored sections of one title are counted together (and a card's lines
    // stay distinct).
    const known = unscored.get(e.section.title);
    if (known) known.count += 1;
    else unscored.set(e.section.title, { count: 1, noun: e.section.title });
  }
  return [...lines, ...unscored.values()];
}

export interface LevelSummary {
  value: number;
  label: string;
  blocksLaunch: boolean;
}

/** What a catalogue card shows for one template: only plain data, cheap to serialize. */
export interface TemplateSummary {
  id: string;
  title: string;
  kind: TemplateKind;
  kindLabel: string;
  description: string | undefined;
  publisher: string;
  date: string;
  dateText: string;
  version: number;
  counts: CountLine[];
  /** The template's own scale, lowest first; empty for plan frameworks. */
  levels: LevelSummary[];
}

export function summarize(template: Template): TemplateSummary {
  const counts: CountLine[] = [];
  let levels: LevelSummary[] = [];
  if (isLeveled(template)) {
    let sections = 0;
    walkSections(template.sections, () => {
      sections += 1;
    });
    counts.push(line(sections, 'section', 'sections'), ...itemCounts(template));
    counts.push(line(template.scale.levels.length, 'level', 'levels'));
    if (template.kind === 'rubric' && template.outcomeMeasures) {
      const measures = template.outcomeMeasures.reduce((n, g) => n + g.measures.length, 0);
      counts.push(line(measures, 'outcome measure', 'outcome measures'));
    }
    levels = template.scale.levels.map((l) => ({
      value: l.value,
      label: l.label,
      blocksLaunch: l.blocksLaunch === true,
    }));
  } else {
    const metrics = template.metricGroups.reduce((n, g) => n + g.indicators.length, 0);
    counts.push(
      line(template.areas.length, 'plan area', 'plan areas'),
      line(template.phases.length, 'phase', 'phases'),
      line(metrics, 'metric', 'metrics'),
    );
    if (template.themes.length > 0) counts.push(line(template.themes.length, 'theme', 'themes'));
  }
  return {
    id: template.id,
    title: template.title,
    kind: template.kind,
    kindLabel: kindLabel(template.kind),
    description: template.description,
    publisher: template.source.publisher,
    date: template.source.date,
    dateText: formatSourceDate(template.source.date),
    version: template.version,
    counts,
    levels,
  };
}

/**
 * The short name shown beside a reference code, e.g. "CCSSO" for "Council of Chief State School
 * Officers (CCSSO)". Falls back to the title when short, else to the id in capitals.
 */
export function referenceLabel(source: { id: string; title: string }): string {
  const abbr = /\(([A-Za-z0-9&.\- ]{2,15})\)\s*$/.exec(source.title)?.[1];
  if (abbr) return abbr;
  if (source.title.length <= 24) return source.title;
  return source.id.toUpperCase();
}

/** "1" + "District Leadership" -> "1. District Leadership"; keeps roman and lettered numbers. */
export function numbered(number: string | undefined, title: string): string {
  if (number === undefined || number === '') return title;
  return /[.:)]$/.test(number) ? `${number} ${title}` : `${number}. ${title}`;
}
