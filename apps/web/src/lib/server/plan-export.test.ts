import {
  addActionStep,
  addGoal,
  addMetric,
  createPlan,
  readPlan,
  recordActual,
} from '@concord/documents';
import { knowledgeworksPlanTemplate as template } from '@concord/rubric-core/templates';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PLAN_COLUMNS, writePlanCsv } from './plan-export';

describe('the plan as CSV', () => {
  it('one row per goal, action and metric subgroup, read back with a CSV library', () => {
    const doc = new Y.Doc();
    doc.clientID = 5;
    createPlan(doc, template);
    const goal = addGoal(doc, template, {
      area: 'kw.curriculum',
      title: 'Pathways, "for all"',
      owners: ['u-ana', 'Director of Curriculum'],
      phase: 'kw.year-1',
      dueDate: '2027-06-30',
      status: 'on-track',
      confidence: 'high',
      indicators: ['pre.funding'],
      createdAt: '2026-12-01T00:00:00Z',
    });
    addActionStep(doc, goal, { title: '=HYPERLINK("x")', owner: 'u-ana', dueDate: '2027-01-15' });
    const metric = addMetric(doc, template, {
      name: 'Graduation rate',
      unit: '%',
      source: 'State report',
      goalId: goal,
      baseline: { all: 82, 'english-language-learners': -1.5 },
      target: { all: 90 },
    });
    recordActual(doc, template, metric, { date: '2026-11-01', value: 84 });
    const csv = writePlanCsv(readPlan(doc, template), template, { 'u-ana': 'Ana Ortiz' });
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(csv).toContain('\r\n');
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    expect(header).toEqual([...PLAN_COLUMNS]);
    const col = (name: (typeof PLAN_COLUMNS)[number]) => header!.indexOf(name);
    expect(rows.map((r) => r[col('Kind')])).toEqual(['Goal', 'Action', 'Metric', 'Metric']);
    const [g, a, all, ell] = rows;
    expect(g![col('Area')]).toBe('Curriculum');
    expect(g![col('Title')]).toBe('Pathways, "for all"');
    expect(g![col('Owners')]).toBe('Ana Ortiz; Director of Curriculum');
    expect(g![col('Phase')]).toBe('Year 1: Planning and development');
    expect(g![col('Status')]).toBe('On track');
    expect(g![col('Confidence')]).toBe('High');
    expect(g![col('Addresses')]).toBe('pre.funding');
    // A typed formula stays text.
    expect(a![col('Title')]).toBe('\'=HYPERLINK("x")');
    expect(a![col('Goal')]).toBe('Pathways, "for all"');
    expect(a![col('Due')]).toBe('2027-01-15');
    expect(all![col('Title')]).toBe('Graduation rate (%)');
    expect([
      all![col('Subgroup')],
      all![col('Baseline')],
      all![col('Target')],
      all![col('Current')],
    ]).toEqual(['All students', '82', '90', '84']);
    expect(ell![col('Subgroup')]).toBe('english-language-learners');
    // A negative number stays a number (only text that looks like a formula is defused).
    expect(ell![col('Baseline')]).toBe('-1.5');
    expect(ell![col('Source')]).toBe('State report');
  });
});
