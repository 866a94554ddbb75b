/**
 * Outcome metrics as the plan page shows them (issue 25): the School Planning Tool's 13 outcome
 * measures as metrics a plan starts from (its text, source and sub-areas exactly as the seed has
 * them), the subgroups it breaks results down by ("free/reduced school lunch, race (Black and
 * Latino), English Language Learner, and special needs") in the plan template's subgroup ids,
 * each subgroup's row (baseline, target, latest measurement) and how far it has come. Pure.
 */
import type { MetricInput, MetricSnapshot } from '@concord/documents';
import type { PlanTemplate, RubricTemplate } from '@concord/rubric-core';

export const ALL_STUDENTS = 'all';

/**
 * The rows a metric shows: all students, then the School Planning Tool's subgroup categories,
 * named with the plan template's subgroup ids ("<subgroup>:<value>" for race).
 */
export const SPT_SUBGROUPS: readonly string[] = [
  ALL_STUDENTS,
  'economic-disadvantage',
  'ethnicity:black',
  'ethnicity:latino',
  'english-language-learners',
  'students-with-disabilities',
];

/** "All students", "Economic disadvantage", "Ethnicity: Latino", or the key itself. */
export function subgroupLabel(key: string, template: PlanTemplate): string {
  if (key === ALL_STUDENTS) return 'All students';
  const [group, detail] = key.split(':');
  const label = template.subgroups.find((s) => s.id === group)?.label ?? group ?? key;
  if (detail === undefined) return label;
  const value = detail
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
  return `${label}: ${value}`;
}

/** A value written with its unit: "18.2%", "12 days", "3". */
export function formatValue(value: number, unit: string | null): string {
  const n = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

export interface SubgroupRow {
  subgroup: string;
  label: string;
  baseline: number | null;
  target: number | null;
  /** The latest measurement of this subgroup and its date. */
  current: { value: number; date: string } | null;
  /** Share of the way from baseline to target (0 = at baseline, 1 = there; may be < 0 or > 1). */
  progress: number | null;
}

/** How far `current` has come from `baseline` towards `target` (either direction), or null. */
export function progressOf(
  baseline: number | null,
  target: number | null,
  current: number | null,
): number | null {
  if (baseline === null || target === null || current === null || target === baseline) return null;
  return (current - baseline) / (target - baseline);
}

/** "40% of the way to the target", "target met", "moving away from the target". */
export function describeProgress(progress: number | null): string {
  if (progress === null) return '';
  if (progress >= 1) return 'Target met';
  if (progress < 0) return 'Moving away from the target';
  return `${Math.round(progress * 100)}% of the way to the target`;
}

/**
 * One row per subgroup: all students and the School Planning Tool's categories always (so a team
 * sees what to fill in), then any other subgroup the metric holds values for.
 */
export function subgroupRows(metric: MetricSnapshot, template: PlanTemplate): SubgroupRow[] {
  const keys = new Set<string>(SPT_SUBGROUPS);
  for (const record of [metric.baseline, metric.target, metric.current]) {
    for (const key of Object.keys(record)) keys.add(key);
  }
  return [...keys].map((subgroup) => {
    const latest = metric.actuals.findLast((a) => a.subgroup === subgroup);
    const baseline = metric.baseline[subgroup] ?? null;
    const target = metric.target[subgroup] ?? null;
    return {
      subgroup,
      label: subgroupLabel(subgroup, template),
      baseline,
      target,
      current: latest ? { value: latest.value, date: latest.date } : null,
      progress: progressOf(baseline, target, latest?.value ?? null),
    };
  });
}

/** Whether a row has anything in it (rows of subgroups no one filled in fold away). */
export function rowHasValues(row: SubgroupRow): boolean {
  return row.baseline !== null || row.target !== null || row.current !== null;
}

export interface OutcomeMeasureChoice {
  /** The measure's id, e.g. "spt.outcomes.engagement.1". */
  id: string;
  /** Its group, e.g. "Engagement". */
  group: string;
  /** The metric's name: the measure's text, with its sub-areas when it lists some. */
  name: string;
  source: string | undefined;
}

/** The School Planning Tool's outcome measures (13), in the seed's order, as metrics to add. */
export function outcomeMeasures(schoolPlanning: RubricTemplate): OutcomeMeasureChoice[] {
  return (schoolPlanning.outcomeMeasures ?? []).flatMap((group) =>
    group.measures.map((m) => ({
      id: m.id,
      group: group.title,
      name: m.areas?.length
        ? `${m.text}${m.text.endsWith(':') ? ' ' : ': '}${m.areas.join('; ')}`
        : m.text,
      source: m.source,
    })),
  );
}

/** The metric a measure starts: its name and source, linked to the measure. */
export function metricFromMeasure(measure: OutcomeMeasureChoice): MetricInput {
  return {
    name: measure.name,
    outcomeMeasure: measure.id,
    ...(measure.source ? { source: measure.source } : {}),
  };
}
