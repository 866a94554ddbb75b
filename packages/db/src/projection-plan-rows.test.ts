/**
 * The pure mapping from a plan document to query-table rows (projection-plan-rows.ts): goals
 * with their owners split into a user and names, the phase's year, steps with a user or a named
 * owner, one metric row per subgroup; and what a client could write that the tables refuse,
 * sanitised instead of failing the plan.
 */
import {
  GOAL,
  ROOT,
  STEP,
  addActionStep,
  addGoal,
  addMetric,
  createPlan,
  recordActual,
} from '@concord/documents';
import { knowledgeworksPlanTemplate as template } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { planRows } from './projection-plan-rows.js';

const FAC = '00000000-0000-4000-8000-0000000000fa';
const ANA = '00000000-0000-4000-8000-00000000000a';
const AT = '2026-12-01T10:00:00.000Z';
const [area1, area2] = [template.areas[0]!.id, template.areas[1]!.id];
const [phase1, phase3] = [template.phases[0]!, template.phases[2]!];

function plan(): Y.Doc {
  const doc = new Y.Doc();
  createPlan(doc, template);
  return doc;
}

const goalMap = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<unknown>>(ROOT.goals).get(id)!;

describe('planRows', () => {
  it('maps goals, their owners, phase year and steps, and one metric row per subgroup', () => {
    const doc = plan();
    addGoal(doc, template, {
      id: 'goal-a',
      area: area1,
      title: 'Coaching',
      owners: ['Director of Curriculum', FAC.toUpperCase(), ANA, 'CFO'],
      phase: phase3.id,
      startDate: '2026-09-01',
      dueDate: '2027-06-30',
      status: 'on-track',
      confidence: 'high',
      indicators: ['dc.1.5', 'pre.funding'],
      createdAt: AT,
    });
    addGoal(doc, template, { id: 'goal-b', area: area2, title: 'Devices', createdAt: AT });
    addActionStep(doc, 'goal-a', { id: 's1', title: 'Hire', owner: ANA, createdAt: AT });
    addActionStep(doc, 'goal-a', {
      id: 's2',
      title: 'Publish',
      owner: 'Principal',
      dueDate: '2026-11-15',
      status: 'in-progress',
      createdAt: '2026-12-02T10:00:00.000Z',
    });
    addActionStep(doc, 'goal-b', { id: 's3', title: 'Survey', createdAt: AT });
    addMetric(doc, template, {
      id: 'm1',
      name: 'Attendance',
      goalId: 'goal-a',
      unit: '%',
      source: 'DESE',
      baseline: { all: 21.4, 'economic-disadvantage': 26.9 },
      target: { all: 17 },
      createdAt: AT,
    });
    recordActual(doc, template, 'm1', { date: '2026-12-31', value: 20.2 });
    recordActual(doc, template, 'm1', {
      date: '2027-01-31',
      value: 30,
      subgroup: 'ethnicity:hispanic-latino',
    });

    const rows = planRows(doc, template);
    expect(rows.goals).toEqual([
      {
        goalId: 'goal-a',
        areaId: area1,
        title: 'Coaching',
        ownerId: FAC,
        ownerName: 'Director of Curriculum, CFO',
        phaseYear: phase3.year,
        startDate: '2026-09-01',
        dueDate: '2027-06-30',
        status: 'on-track',
        confidence: 'high',
        indicatorIds: ['dc.1.5', 'pre.funding'],
      },
      {
        goalId: 'goal-b',
        areaId: area2,
        title: 'Devices',
        ownerId: null,
        ownerName: null,
        phaseYear: null,
        startDate: null,
        dueDate: null,
        status: template.goalStatuses[0]!.id,
        confidence: null,
        indicatorIds: [],
      },
    ]);
    expect(phase3.year).toBe(3);
    expect(rows.actionSteps).toEqual([
      {
        stepId: 's1',
        goalId: 'goal-a',
        title: 'Hire',
        ownerId: ANA,
        ownerName: null,
        dueDate: null,
        status: 'not-started',
      },
      {
        stepId: 's2',
        goalId: 'goal-a',
        title: 'Publish',
        ownerId: null,
        ownerName: 'Principal',
        dueDate: '2026-11-15',
        status: 'in-progress',
      },
      {
        stepId: 's3',
        goalId: 'goal-b',
        title: 'Survey',
        ownerId: null,
        ownerName: null,
        dueDate: null,
        status: 'not-started',
      },
    ]);
    const metric = { metricId: 'm1', goalId: 'goal-a', name: 'Attendance', source: 'DESE' };
    expect(rows.metrics).toEqual([
      { ...metric, subgroup: 'all', unit: '%', baseline: 21.4, target: 17, current: 20.2 },
      {
        ...metric,
        subgroup: 'economic-disadvantage',
        unit: '%',
        baseline: 26.9,
        target: null,
        current: null,
      },
      {
        ...metric,
        subgroup: 'ethnicity:hispanic-latino',
        unit: '%',
        baseline: null,
        target: null,
        current: 30,
      },
    ]);
    // Every owner, users and names, in the goal's order.
    expect(rows.goalOwners).toEqual([
      { goalId: 'goal-a', position: 0, userId: null, name: 'Director of Curriculum' },
      { goalId: 'goal-a', position: 1, userId: FAC, name: null },
      { goalId: 'goal-a', position: 2, userId: ANA, name: null },
      { goalId: 'goal-a', position: 3, userId: null, name: 'CFO' },
    ]);
    expect(rows.metricValues).toEqual([
      { metricId: 'm1', subgroup: 'all', measuredOn: '2026-12-31', value: 20.2 },
      {
        metricId: 'm1',
        subgroup: 'ethnicity:hispanic-latino',
        measuredOn: '2027-01-31',
        value: 30,
      },
    ]);
  });

  it('a measurement series per subgroup: one value a day (the later recording), in date order', () => {
    const doc = plan();
    addMetric(doc, template, { id: 'm1', name: 'Absence', baseline: { all: 18 }, createdAt: AT });
    recordActual(doc, template, 'm1', { date: '2027-01-31', value: 16.1 });
    recordActual(doc, template, 'm1', { date: '2026-10-31', value: 17.5 });
    recordActual(doc, template, 'm1', { date: '2027-01-31', value: 16.4 });
    recordActual(doc, template, 'm1', {
      date: '2026-10-31',
      value: 22,
      subgroup: 'english-language-learners',
    });
    expect(planRows(doc, template).metricValues).toEqual([
      { metricId: 'm1', subgroup: 'all', measuredOn: '2026-10-31', value: 17.5 },
      { metricId: 'm1', subgroup: 'all', measuredOn: '2027-01-31', value: 16.4 },
      {
        metricId: 'm1',
        subgroup: 'english-language-learners',
        measuredOn: '2026-10-31',
        value: 22,
      },
    ]);
  });

  it('an empty plan has no rows; a metric with no values has none either', () => {
    const doc = plan();
    addMetric(doc, template, { id: 'm1', name: 'Attendance', createdAt: AT });
    expect(planRows(doc, template)).toEqual({
      goals: [],
      goalOwners: [],
      actionSteps: [],
      metrics: [],
      metricValues: [],
    });
  });

  it('sanitises what the tables would refuse instead of failing the plan', () => {
    const doc = plan();
    addGoal(doc, template, {
      id: 'goal-a',
      area: area1,
      title: 'Goal',
      phase: phase1.id,
      createdAt: AT,
    });
    addGoal(doc, template, { id: 'goal-b', area: area1, title: 'Other', createdAt: AT });
    addActionStep(doc, 'goal-a', { id: 'twice', title: 'First', createdAt: AT });
    addActionStep(doc, 'goal-b', { id: 'twice', title: 'Second', createdAt: AT });
    addActionStep(doc, 'goal-b', { id: 'blank', title: 'x', createdAt: AT });
    // What a client can write straight into the maps, past the writers' checks.
    doc.transact(() => {
      const a = goalMap(doc, 'goal-a');
      const title = a.get(GOAL.title) as Y.Text;
      title.delete(0, title.length);
      title.insert(0, '   ');
      a.set(GOAL.startDate, '2027-09-01');
      a.set(GOAL.dueDate, '2027-01-31');
      a.set(GOAL.owners, Y.Array.from(['Head\0 of school', '  ']));
      const b = goalMap(doc, 'goal-b');
      b.set(GOAL.dueDate, '0000-01-01');
      const steps = b.get(GOAL.steps) as Y.Map<Y.Map<unknown>>;
      const blank = steps.get('blank')!.get(STEP.title) as Y.Text;
      blank.delete(0, blank.length);
      steps.get('blank')!.set(STEP.owner, 'Lone \uD800 surrogate');
    });

    const rows = planRows(doc, template);
    expect(rows.goals.map((g) => [g.goalId, g.title, g.ownerName, g.startDate, g.dueDate])).toEqual(
      [
        ['goal-a', 'Untitled goal', 'Head of school', null, '2027-01-31'],
        ['goal-b', 'Other', null, null, null],
      ],
    );
    expect(rows.goals[0]!.phaseYear).toBe(1);
    // A step id used twice keeps its first step.
    expect(rows.actionSteps.map((s) => [s.stepId, s.goalId, s.title, s.ownerName])).toEqual([
      ['twice', 'goal-a', 'First', null],
      ['blank', 'goal-b', 'Untitled step', 'Lone  surrogate'],
    ]);
    // A blank owner is no owner; a NUL is dropped from a name.
    expect(rows.goalOwners).toEqual([
      { goalId: 'goal-a', position: 0, userId: null, name: 'Head of school' },
    ]);
  });
});
