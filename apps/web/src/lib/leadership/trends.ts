/**
 * Metric trends for the leadership view (issue 25): the `metrics` and `metric_values` rows of a
 * workspace's plans shaped into one trend per metric (a series per subgroup, "all students"
 * first, each with its baseline, target and measurements in date order) and the one sentence a
 * chart is summed up in ("Chronic absenteeism: 18.2% at baseline, 16.1% on 2027-01-31, target
 * 12%: 34% of the way."). Pure: the page's server shapes with it, tests pin the wording.
 */

/** A `metrics` row: one metric's figures for one subgroup. */
export interface MetricFigures {
  planId: string;
  metricId: string;
  subgroup: string;
  name: string;
  unit: string | null;
  baseline: number | null;
  target: number | null;
}

/** A `metric_values` row: one measurement. */
export interface MetricMeasurement {
  planId: string;
  metricId: string;
  subgroup: string;
  /** YYYY-MM-DD. */
  date: string;
  value: number;
}

export interface TrendPoint {
  date: string;
  value: number;
}

export interface TrendSeries {
  subgroup: string;
  label: string;
  baseline: number | null;
  target: number | null;
  /** In date order. */
  points: TrendPoint[];
}

export interface MetricTrend {
  planId: string;
  metricId: string;
  name: string;
  unit: string | null;
  /** "All students" first, then the subgroups by label. */
  series: TrendSeries[];
  summary: string;
}

export const ALL_STUDENTS = 'all';

/**
 * A subgroup's name for people: "all" is all students, a template subgroup its label, a
 * "<subgroup>:<value>" the label and the value in words ("Ethnicity: Hispanic Latino").
 */
export function subgroupLabel(
  subgroup: string,
  labels: ReadonlyMap<string, string> = new Map(),
): string {
  if (subgroup === ALL_STUDENTS) return 'All students';
  const [group = subgroup, detail] = subgroup.split(':');
  const groupLabel = labels.get(group) ?? words(group);
  return detail === undefined ? groupLabel : `${groupLabel}: ${words(detail)}`;
}

function words(slug: string): string {
  return slug
    .split(/[-._]+/)
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/** A figure with its unit: "18.2%", "4 days", "0.35". At most two decimals, no trailing zeros. */
export function formatMeasure(value: number, unit: string | null): string {
  const n = String(Number(value.toFixed(2)));
  if (unit === null || unit.trim() === '') return n;
  return unit.trim() === '%' ? `${n}%` : `${n} ${unit.trim()}`;
}

/**
 * How far a series has come from its baseline towards its target, as a share (0 at baseline,
 * 1 at the target; beyond 1 past it, below 0 further away than at baseline); null without a
 * baseline, a target, a measurement, or when baseline and target are equal. Works the same
 * whether the target is below the baseline (absence) or above it (attendance).
 */
export function progress(series: Pick<TrendSeries, 'baseline' | 'target' | 'points'>) {
  const latest = series.points.at(-1);
  const { baseline, target } = series;
  if (latest === undefined || baseline === null || target === null || baseline === target) {
    return null;
  }
  return (baseline - latest.value) / (baseline - target);
}

function progressWords(share: number): string {
  if (share >= 1) return 'target reached';
  if (share < 0) return 'further from the target than at baseline';
  return `${Math.round(share * 100)}% of the way`;
}

/** The one sentence a trend is summed up in; `series[0]` is the headline (all students). */
export function trendSummary(name: string, unit: string | null, series: readonly TrendSeries[]) {
  const head = series[0];
  if (!head) return `${name}: no figures yet.`;
  const f = (n: number) => formatMeasure(n, unit);
  const latest = head.points.at(-1);
  const facts: string[] = [];
  if (head.baseline !== null) facts.push(`${f(head.baseline)} at baseline`);
  if (latest) facts.push(`${f(latest.value)} on ${latest.date}`);
  if (head.target !== null) facts.push(`target ${f(head.target)}`);
  const who = head.subgroup === ALL_STUDENTS ? '' : ` (${head.label})`;
  let sentence = `${name}${who}: ${facts.length > 0 ? facts.join(', ') : 'no figures yet'}`;
  const share = progress(head);
  if (share !== null) sentence += `: ${progressWords(share)}`;
  else if (!latest && facts.length > 0) sentence += '; not measured yet';
  // The subgroup furthest behind, when subgroups have come less far than the headline.
  const behind = series
    .slice(1)
    .map((s) => ({ s, p: progress(s) }))
    .filter((x): x is { s: TrendSeries; p: number } => x.p !== null)
    .sort((a, b) => a.p - b.p)[0];
  if (behind && (share === null || behind.p < share)) {
    sentence += `; furthest behind: ${behind.s.label} (${progressWords(behind.p)})`;
  }
  return `${sentence}.`;
}

/**
 * One trend per metric of the rows (in the order of their first row), each with a series per
 * subgroup that has figures or measurements. `labels`: the plan template's subgroup labels.
 */
export function metricTrends(
  figures: readonly MetricFigures[],
  measurements: readonly MetricMeasurement[],
  labels: ReadonlyMap<string, string> = new Map(),
): MetricTrend[] {
  const key = (r: { planId: string; metricId: string }) => `${r.planId} ${r.metricId}`;
  const points = new Map<string, TrendPoint[]>();
  for (const m of measurements) {
    const k = `${key(m)} ${m.subgroup}`;
    const list = points.get(k) ?? [];
    list.push({ date: m.date, value: m.value });
    points.set(k, list);
  }
  const trends = new Map<string, MetricTrend>();
  for (const r of figures) {
    let trend = trends.get(key(r));
    if (!trend) {
      trend = {
        planId: r.planId,
        metricId: r.metricId,
        name: r.name,
        unit: r.unit,
        series: [],
        summary: '',
      };
      trends.set(key(r), trend);
    }
    trend.series.push({
      subgroup: r.subgroup,
      label: subgroupLabel(r.subgroup, labels),
      baseline: r.baseline,
      target: r.target,
      points: [...(points.get(`${key(r)} ${r.subgroup}`) ?? [])].sort((a, b) =>
        a.date.localeCompare(b.date),
      ),
    });
  }
  return [...trends.values()].map((t) => {
    const series = [...t.series].sort(
      (a, b) =>
        Number(b.subgroup === ALL_STUDENTS) - Number(a.subgroup === ALL_STUDENTS) ||
        a.label.localeCompare(b.label),
    );
    return { ...t, series, summary: trendSummary(t.name, t.unit, series) };
  });
}
