/** Metric trends: series per subgroup, and the sentence each chart is summed up in. */
import { describe, expect, it } from 'vitest';
import {
  formatMeasure,
  metricTrends,
  progress,
  subgroupLabel,
  trendSummary,
  type MetricFigures,
  type TrendSeries,
} from './trends.js';

const LABELS = new Map([
  ['ethnicity', 'Ethnicity'],
  ['english-language-learners', 'English language learners'],
]);

const series = (over: Partial<TrendSeries>): TrendSeries => ({
  subgroup: 'all',
  label: 'All students',
  baseline: 18.2,
  target: 12,
  points: [],
  ...over,
});

describe('subgroupLabel and formatMeasure', () => {
  it('names subgroups as people read them', () => {
    expect(subgroupLabel('all', LABELS)).toBe('All students');
    expect(subgroupLabel('english-language-learners', LABELS)).toBe('English language learners');
    expect(subgroupLabel('ethnicity:hispanic-latino', LABELS)).toBe('Ethnicity: Hispanic Latino');
    expect(subgroupLabel('students-with-disabilities')).toBe('Students With Disabilities');
  });

  it('writes a figure with its unit', () => {
    expect(formatMeasure(18.2, '%')).toBe('18.2%');
    expect(formatMeasure(16.1000001, '%')).toBe('16.1%');
    expect(formatMeasure(4, 'days')).toBe('4 days');
    expect(formatMeasure(0.3333, null)).toBe('0.33');
  });
});

describe('trendSummary', () => {
  it('says baseline, the latest measurement, the target and how far it has come', () => {
    const s = series({
      points: [
        { date: '2026-10-31', value: 17.5 },
        { date: '2027-01-31', value: 16.1 },
      ],
    });
    expect(progress(s)).toBeCloseTo(2.1 / 6.2);
    expect(trendSummary('Chronic absenteeism', '%', [s])).toBe(
      'Chronic absenteeism: 18.2% at baseline, 16.1% on 2027-01-31, target 12%: 34% of the way.',
    );
  });

  it('works for a target above the baseline, past the target, and going the wrong way', () => {
    const up = series({ baseline: 80, target: 90, points: [{ date: '2027-01-31', value: 85 }] });
    expect(trendSummary('Attendance', '%', [up])).toMatch(/: 50% of the way\.$/);
    const past = series({ points: [{ date: '2027-06-30', value: 11 }] });
    expect(trendSummary('Absence', '%', [past])).toMatch(/: target reached\.$/);
    const worse = series({ points: [{ date: '2027-06-30', value: 20 }] });
    expect(trendSummary('Absence', '%', [worse])).toMatch(
      /: further from the target than at baseline\.$/,
    );
  });

  it('says what is missing, and names the subgroup furthest behind', () => {
    expect(trendSummary('Absence', '%', [series({})])).toBe(
      'Absence: 18.2% at baseline, target 12%; not measured yet.',
    );
    expect(trendSummary('Absence', '%', [])).toBe('Absence: no figures yet.');
    const all = series({ points: [{ date: '2027-01-31', value: 15.1 }] });
    const ell = series({
      subgroup: 'english-language-learners',
      label: 'English language learners',
      baseline: 25,
      target: 15,
      points: [{ date: '2027-01-31', value: 24 }],
    });
    expect(trendSummary('Absence', '%', [all, ell])).toBe(
      'Absence: 18.2% at baseline, 15.1% on 2027-01-31, target 12%: 50% of the way; ' +
        'furthest behind: English language learners (10% of the way).',
    );
    // Without "all students", the first subgroup is the headline, named.
    expect(trendSummary('Absence', '%', [ell])).toMatch(
      /^Absence \(English language learners\): 25% at baseline/,
    );
  });
});

describe('metricTrends', () => {
  it('groups rows by metric, all students first, measurements in date order', () => {
    const fig = (subgroup: string, baseline: number | null): MetricFigures => ({
      planId: 'p1',
      metricId: 'm1',
      subgroup,
      name: 'Absence',
      unit: '%',
      baseline,
      target: 12,
    });
    const trends = metricTrends(
      [
        fig('ethnicity:hispanic-latino', 22),
        fig('all', 18.2),
        fig('english-language-learners', 25),
      ],
      [
        { planId: 'p1', metricId: 'm1', subgroup: 'all', date: '2027-01-31', value: 16.1 },
        { planId: 'p1', metricId: 'm1', subgroup: 'all', date: '2026-10-31', value: 17.5 },
        { planId: 'p2', metricId: 'm1', subgroup: 'all', date: '2026-10-31', value: 99 },
      ],
      LABELS,
    );
    expect(trends).toHaveLength(1);
    const [t] = trends;
    expect(t!.series.map((s) => s.label)).toEqual([
      'All students',
      'English language learners',
      'Ethnicity: Hispanic Latino',
    ]);
    expect(t!.series[0]!.points).toEqual([
      { date: '2026-10-31', value: 17.5 },
      { date: '2027-01-31', value: 16.1 },
    ]);
    expect(t!.series[1]!.points).toEqual([]);
    expect(t!.summary).toMatch(/^Absence: 18.2% at baseline, 16.1% on 2027-01-31/);
  });
});
