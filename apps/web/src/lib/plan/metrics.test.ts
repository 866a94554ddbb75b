import type { MetricSnapshot } from '@concord/documents';
import {
  knowledgeworksPlanTemplate as template,
  maPlnSchoolPlanning,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import {
  describeProgress,
  formatValue,
  metricFromMeasure,
  outcomeMeasures,
  progressOf,
  rowHasValues,
  subgroupLabel,
  subgroupRows,
} from './metrics';

const metric = (over: Partial<MetricSnapshot> = {}): MetricSnapshot => ({
  id: 'm1',
  name: 'Absent 10+ days',
  goalId: null,
  source: null,
  unit: '%',
  templateIndicator: null,
  outcomeMeasure: null,
  baseline: {},
  target: {},
  actuals: [],
  current: {},
  ...over,
});

describe('outcome metrics', () => {
  it('offers the School Planning Tool’s 13 outcome measures with the seed’s words', () => {
    const measures = outcomeMeasures(maPlnSchoolPlanning);
    expect(measures).toHaveLength(13);
    expect(measures[0]).toEqual({
      id: 'spt.outcomes.engagement.1',
      group: 'Engagement',
      name: 'The percent of students absent 10 or more days decreases by 20%',
      source: 'MA DESE School profile',
    });
    // A measure that lists areas names them; one whose text ends with a colon is not doubled.
    expect(measures[2]!.name).toBe(
      '50% of students improve their perceptions of their school in the following areas: School climate/culture; Student engagement; Student teacher-relationships; Sense of belonging in the school',
    );
    expect(measures[3]!.name).toMatch(/following areas: Academic mindsets; Grit/);
    expect(new Set(measures.map((m) => m.group))).toEqual(
      new Set(['Engagement', 'Achievement', 'College and Career Readiness', 'Teacher Efficacy']),
    );
    expect(metricFromMeasure(measures[0]!)).toEqual({
      name: measures[0]!.name,
      outcomeMeasure: 'spt.outcomes.engagement.1',
      source: 'MA DESE School profile',
    });
  });

  it('names subgroups after the plan template, race by its value', () => {
    expect(subgroupLabel('all', template)).toBe('All students');
    expect(subgroupLabel('english-language-learners', template)).toBe('English language learners');
    expect(subgroupLabel('ethnicity:latino', template)).toBe('Ethnicity: Latino');
    expect(subgroupLabel('ethnicity:native-american', template)).toBe('Ethnicity: Native American');
  });

  it('measures progress from baseline towards the target, either way', () => {
    expect(progressOf(20, 16, 18)).toBe(0.5);
    expect(progressOf(40, 60, 45)).toBe(0.25);
    expect(progressOf(20, 16, 22)).toBe(-0.5);
    expect(progressOf(20, 20, 18)).toBeNull();
    expect(progressOf(null, 16, 18)).toBeNull();
    expect(describeProgress(0.5)).toBe('50% of the way to the target');
    expect(describeProgress(1.2)).toBe('Target met');
    expect(describeProgress(-0.5)).toBe('Moving away from the target');
    expect(formatValue(18.234, '%')).toBe('18.23%');
    expect(formatValue(12, 'days')).toBe('12 days');
    expect(formatValue(3, null)).toBe('3');
  });

  it('shows all students and the SPT subgroups, then others with values, latest first', () => {
    const rows = subgroupRows(
      metric({
        baseline: { all: 20, 'ethnicity:asian': 9 },
        target: { all: 16 },
        actuals: [
          { subgroup: 'all', date: '2026-11-30', value: 19 },
          { subgroup: 'all', date: '2027-01-31', value: 18 },
        ],
        current: { all: 18 },
      }),
      template,
    );
    expect(rows.map((r) => r.subgroup)).toEqual([
      'all',
      'economic-disadvantage',
      'ethnicity:black',
      'ethnicity:latino',
      'english-language-learners',
      'students-with-disabilities',
      'ethnicity:asian',
    ]);
    expect(rows[0]).toMatchObject({
      baseline: 20,
      target: 16,
      current: { value: 18, date: '2027-01-31' },
      progress: 0.5,
    });
    expect(rows.filter(rowHasValues).map((r) => r.subgroup)).toEqual(['all', 'ethnicity:asian']);
  });
});
