import { knowledgeworksPlanTemplate as template } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentInputError } from './errors.js';
import {
  addActionStep,
  addGoal,
  addMetric,
  createPlan,
  goalText,
  moveActionStep,
  moveGoal,
  readPlan,
  recordActual,
  removeActionStep,
  removeActual,
  removeGoal,
  removeMetric,
  setMetricValues,
  stepTitle,
  updateActionStep,
  updateGoal,
  updateMetric,
  visionText,
} from './plan.js';
import { exchange, reload, twoPeers, typeInto, withHostileEdit } from './test-fixtures.js';
import { textOf } from './values.js';

const T0 = '2026-09-01T12:00:00Z';

function planWithGoal(doc: Y.Doc) {
  createPlan(doc, template, { vision: 'Every student owns their learning.' });
  addGoal(doc, template, {
    id: 'g1',
    area: 'kw.professional-development',
    title: 'PL coaching',
    statement: 'By June 2027, 80% of teachers complete coaching cycles.',
    owners: ['u-fac', 'Director of PD'],
    phase: 'kw.year-1',
    startDate: '2026-09-01',
    dueDate: '2027-06-30',
    status: 'on-track',
    confidence: 'medium',
    indicators: ['dc.1.4'],
    createdAt: T0,
  });
}

describe('plan document', () => {
  it('round-trips vision, goals, steps and metrics', () => {
    const doc = new Y.Doc();
    planWithGoal(doc);
    addGoal(doc, template, {
      id: 'g0',
      area: 'kw.curriculum',
      title: 'Competencies',
      createdAt: T0,
    });
    addActionStep(doc, 'g1', {
      id: 's1',
      title: 'Hire coaches',
      owner: 'u-fac',
      dueDate: '2026-10-15',
      createdAt: T0,
    });
    updateActionStep(doc, 'g1', 's1', { status: 'in-progress' });
    addMetric(doc, template, {
      id: 'm1',
      name: 'Chronic absenteeism',
      goalId: 'g1',
      unit: '%',
      source: 'DESE profiles',
      templateIndicator: 'kw.eval.cultural.attendance',
      baseline: { all: 18.2, 'english-language-learners': 24 },
      target: { all: 12 },
    });
    recordActual(doc, template, 'm1', { date: '2027-01-31', value: 16.1 });
    recordActual(doc, template, 'm1', { date: '2026-11-30', value: 17 });
    setMetricValues(doc, template, 'm1', { target: { 'english-language-learners': 15 } });

    const plan = readPlan(reload(doc), template);
    expect(plan.vision).toBe('Every student owns their learning.');
    // Plan-area order: curriculum (area 1) before professional development (area 6).
    expect(plan.goals.map((g) => g.id)).toEqual(['g0', 'g1']);
    expect(plan.goals[1]).toEqual({
      id: 'g1',
      area: 'kw.professional-development',
      title: 'PL coaching',
      statement: 'By June 2027, 80% of teachers complete coaching cycles.',
      owners: ['u-fac', 'Director of PD'],
      phase: 'kw.year-1',
      startDate: '2026-09-01',
      dueDate: '2027-06-30',
      status: 'on-track',
      confidence: 'medium',
      indicators: ['dc.1.4'],
      steps: [
        {
          id: 's1',
          title: 'Hire coaches',
          owner: 'u-fac',
          dueDate: '2026-10-15',
          status: 'in-progress',
        },
      ],
      createdAt: T0,
    });
    expect(plan.goals[0]).toMatchObject({ status: 'not-started', phase: null, owners: [] });
    expect(plan.metrics[0]).toMatchObject({
      id: 'm1',
      goalId: 'g1',
      baseline: { all: 18.2, 'english-language-learners': 24 },
      target: { all: 12, 'english-language-learners': 15 },
      current: { all: 16.1 },
    });
    expect(plan.metrics[0]!.actuals.map((a) => a.date)).toEqual(['2026-11-30', '2027-01-31']);

    updateGoal(doc, template, 'g1', { status: 'at-risk', confidence: null, owners: ['u-fac'] });
    expect(readPlan(doc, template).goals[1]).toMatchObject({
      status: 'at-risk',
      confidence: null,
      owners: ['u-fac'],
    });
    removeGoal(doc, 'g1');
    const after = readPlan(doc, template);
    expect(after.goals.map((g) => g.id)).toEqual(['g0']);
    expect(after.metrics[0]!.goalId).toBeNull();
  });

  it('refuses what the template does not know, and dates out of order, writing nothing', () => {
    const doc = new Y.Doc();
    planWithGoal(doc);
    const before = Y.encodeStateVector(doc);
    expect(() => addGoal(doc, template, { area: 'kw.nope', title: 'x' })).toThrow(
      /is not a plan area/,
    );
    expect(() => addGoal(doc, template, { area: 'kw.curriculum', title: ' ' })).toThrow(
      /title: must not be empty/,
    );
    expect(() => addGoal(doc, template, { id: 'g1', area: 'kw.curriculum', title: 'dup' })).toThrow(
      /already has a goal g1/,
    );
    expect(() => updateGoal(doc, template, 'g1', { dueDate: '2026-08-01' })).toThrow(
      /before the start date/,
    );
    expect(() => updateGoal(doc, template, 'g1', { phase: 'year-9' })).toThrow(/not a phase/);
    expect(() => updateGoal(doc, template, 'g1', { startDate: '2026-02-30' })).toThrow(
      /must be a date/,
    );
    expect(() => addActionStep(doc, 'g9', { title: 'x' })).toThrow(/no goal "g9"/);
    expect(() => addMetric(doc, template, { name: 'x', baseline: { martians: 3 } })).toThrow(
      DocumentInputError,
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('merges concurrent edits: both goals, both owners, statement text character by character', () => {
    const [a, b] = twoPeers(planWithGoal);
    addGoal(a, template, { id: 'ga', area: 'kw.partnerships', title: 'Partners' });
    addGoal(b, template, { id: 'gb', area: 'kw.instruction', title: 'Instruction' });
    typeInto(goalText(a, 'g1', 'statement'), 0, '[SMART] ');
    const statement = goalText(b, 'g1', 'statement');
    typeInto(statement, textOf(statement).length, ' (all schools)');
    typeInto(visionText(a), 0, 'Together: ');
    updateGoal(b, template, 'g1', { dueDate: '2027-05-31' });
    exchange(a, b);
    const plan = readPlan(a, template);
    expect(plan.goals.map((g) => g.id).sort()).toEqual(['g1', 'ga', 'gb']);
    const g1 = plan.goals.find((g) => g.id === 'g1')!;
    expect(g1.statement).toBe(
      '[SMART] By June 2027, 80% of teachers complete coaching cycles. (all schools)',
    );
    expect(g1.dueDate).toBe('2027-05-31');
    expect(plan.vision).toBe('Together: Every student owns their learning.');
    expect(readPlan(b, template)).toEqual(plan);
  });

  it('reads junk as absent: goals without an area, bad dates, duplicate owners, bad numbers', () => {
    const base = new Y.Doc();
    planWithGoal(base);
    addMetric(base, template, { id: 'm1', name: 'Attendance' });
    const doc = withHostileEdit(base, (h) => {
      const goals = h.getMap<unknown>('goals');
      const g1 = goals.get('g1') as Y.Map<unknown>;
      g1.set('dueDate', '2027-13-45');
      g1.set('status', 'on-fire');
      g1.set('confidence', 7);
      (g1.get('owners') as Y.Array<unknown>).push(['u-fac', 5, '']);
      (g1.get('steps') as Y.Map<unknown>).set('s-bad', 'not a map');
      goals.set('junk', new Y.Map([['title', 'no area']]));
      goals.set('bad id!', new Y.Map([['area', 'kw.curriculum']]));
      const m1 = h.getMap<Y.Map<unknown>>('metrics').get('m1')!;
      (m1.get('baseline') as Y.Map<unknown>).set('all', 'lots');
      (m1.get('actuals') as Y.Array<unknown>).push([
        { subgroup: 'all', date: 'today', value: 3 },
        4,
      ]);
      h.getMap<unknown>('metrics').set('m2', new Y.Map());
    });
    const plan = readPlan(doc, template);
    expect(plan.goals.map((g) => g.id)).toEqual(['g1']);
    expect(plan.goals[0]).toMatchObject({
      dueDate: null,
      status: 'not-started',
      confidence: null,
      owners: ['u-fac', 'Director of PD'],
      steps: [],
    });
    expect(plan.metrics).toHaveLength(1);
    expect(plan.metrics[0]).toMatchObject({ baseline: {}, actuals: [], current: {} });
  });

  it('removes an action step and gives its title to an editor', () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    createPlan(doc, template);
    const goal = addGoal(doc, template, { area: template.areas[0]!.id, title: 'Goal' });
    const step = addActionStep(doc, goal, { title: 'Hire a coach' });
    stepTitle(doc, goal, step).insert(0, 'Now: ');
    expect(readPlan(doc, template).goals[0]!.steps[0]!.title).toBe('Now: Hire a coach');
    removeActionStep(doc, goal, step);
    expect(readPlan(doc, template).goals[0]!.steps).toEqual([]);
    expect(() => removeActionStep(doc, goal, step)).toThrow(/stepId: goal .* has no step/);
  });

  it('keeps the order people put goals and steps in, across areas, and merges two moves', () => {
    const area = template.areas[0]!.id;
    const other = template.areas[1]!.id;
    const [a, b] = twoPeers((doc) => {
      createPlan(doc, template);
      ['g1', 'g2', 'g3'].forEach((id, i) =>
        addGoal(doc, template, { id, area, title: id, createdAt: `2026-09-0${i + 1}T00:00:00Z` }),
      );
      for (const s of ['s1', 's2', 's3']) addActionStep(doc, 'g1', { id: s, title: s });
    });
    const order = (d: Y.Doc) => readPlan(d, template).goals.map((g) => `${g.area}/${g.id}`);
    moveGoal(a, template, 'g3', { index: 0 });
    expect(order(a)).toEqual([`${area}/g3`, `${area}/g1`, `${area}/g2`]);
    // An index past the end puts it last; a goal made after a move goes after the placed ones.
    moveGoal(a, template, 'g3', { index: 99 });
    addGoal(a, template, { id: 'g4', area, title: 'new', createdAt: '2026-08-01T00:00:00Z' });
    expect(order(a)).toEqual([`${area}/g1`, `${area}/g2`, `${area}/g3`, `${area}/g4`]);
    moveGoal(a, template, 'g2', { index: 0, area: other });
    expect(order(a)).toEqual([`${area}/g1`, `${area}/g3`, `${area}/g4`, `${other}/g2`]);
    moveActionStep(a, template, 'g1', 's3', 0);
    expect(readPlan(a, template).goals[0]!.steps.map((s) => s.id)).toEqual(['s3', 's1', 's2']);
    // Concurrently: b moves g1 last while a's moves arrive; both peers end in one order.
    moveGoal(b, template, 'g1', { index: 2 });
    moveActionStep(b, template, 'g1', 's1', 2);
    exchange(a, b);
    expect(order(a)).toEqual(order(b));
    expect(readPlan(a, template).goals[0]!.steps).toEqual(readPlan(b, template).goals[0]!.steps);
    expect(() => moveGoal(a, template, 'g1', { index: -1 })).toThrow(/index: must be a whole/);
    expect(() => moveGoal(a, template, 'g1', { index: 0, area: 'kw.nope' })).toThrow(
      /area: "kw.nope" is not a plan area/,
    );
    expect(() => moveActionStep(a, template, 'g1', 'sx', 0)).toThrow(/has no step "sx"/);
  });

  it('edits a metric: fields, a cleared value, a measurement taken back, removal', () => {
    const doc = new Y.Doc();
    planWithGoal(doc);
    addMetric(doc, template, {
      id: 'm1',
      name: 'Absent 10+ days',
      outcomeMeasure: 'spt.outcomes.engagement.1',
      source: 'MA DESE School profile',
      baseline: { all: 20, 'ethnicity:latino': 26 },
    });
    updateMetric(doc, 'm1', { unit: '%', goalId: 'g1', source: null, name: 'Chronic absence' });
    setMetricValues(doc, template, 'm1', {
      baseline: { 'ethnicity:latino': null },
      target: { all: 16 },
    });
    recordActual(doc, template, 'm1', { date: '2027-01-31', value: 18 });
    recordActual(doc, template, 'm1', { date: '2027-01-31', value: 81 });
    removeActual(doc, template, 'm1', { subgroup: 'all', date: '2027-01-31', value: 81 });
    expect(readPlan(reload(doc), template).metrics[0]).toMatchObject({
      name: 'Chronic absence',
      unit: '%',
      goalId: 'g1',
      source: null,
      outcomeMeasure: 'spt.outcomes.engagement.1',
      baseline: { all: 20 },
      target: { all: 16 },
      current: { all: 18 },
    });
    const before = Y.encodeStateVector(doc);
    expect(() => updateMetric(doc, 'm1', { name: ' ' })).toThrow(/name: must not be empty/);
    expect(() => updateMetric(doc, 'm1', { goalId: 'g9' })).toThrow(/goalId: the plan has no goal/);
    expect(() =>
      removeActual(doc, template, 'm1', { subgroup: 'all', date: '2027-01-31', value: 5 }),
    ).toThrow(/no such measurement/);
    expect(() => setMetricValues(doc, template, 'm1', { target: { all: Number.NaN } })).toThrow(
      /target.all: must be a finite number/,
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
    removeMetric(doc, 'm1');
    expect(readPlan(doc, template).metrics).toEqual([]);
  });
});
