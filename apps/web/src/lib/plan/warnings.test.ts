import type { GoalSnapshot, PlanSnapshot } from '@concord/documents';
import { knowledgeworksPlanTemplate as template } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { formatDay, localToday, planWarnings } from './warnings';

const goal = (over: Partial<GoalSnapshot>): GoalSnapshot => ({
  id: 'g1',
  area: 'kw.curriculum',
  title: 'Coaching for every teacher',
  statement: '',
  owners: ['u1'],
  phase: null,
  startDate: null,
  dueDate: null,
  status: 'on-track',
  confidence: null,
  indicators: [],
  steps: [],
  createdAt: null,
  ...over,
});
const plan = (...goals: GoalSnapshot[]): PlanSnapshot => ({ vision: '', goals, metrics: [] });
const TODAY = '2026-12-07';
const texts = (p: PlanSnapshot) => planWarnings(p, template, TODAY).map((w) => [w.kind, w.text]);

describe('plan warnings', () => {
  it('none for a goal with an owner, on track, nothing due', () => {
    expect(texts(plan(goal({})))).toEqual([]);
  });

  it('a goal without an owner', () => {
    expect(texts(plan(goal({ owners: [] })))).toEqual([
      ['no-owner', 'Coaching for every teacher: no owner'],
    ]);
  });

  it('still not started after its start date (not on it), and overdue goals unless complete', () => {
    expect(texts(plan(goal({ status: 'not-started', startDate: '2026-12-07' })))).toEqual([]);
    expect(texts(plan(goal({ status: 'not-started', startDate: '2026-11-03' })))).toEqual([
      ['not-started', 'Coaching for every teacher: still not started; it was to start Nov 3, 2026'],
    ]);
    expect(texts(plan(goal({ dueDate: '2026-12-06' })))).toEqual([
      ['goal-overdue', 'Coaching for every teacher: overdue since Dec 6, 2026'],
    ]);
    expect(texts(plan(goal({ dueDate: '2026-12-06', status: 'complete' })))).toEqual([]);
  });

  it('an action step past its due date and not done', () => {
    const steps = [
      {
        id: 's1',
        title: 'Hire coaches',
        owner: null,
        dueDate: '2026-12-01',
        status: 'in-progress' as const,
      },
      { id: 's2', title: 'Schedule', owner: null, dueDate: '2026-12-01', status: 'done' as const },
      {
        id: 's3',
        title: 'Later',
        owner: null,
        dueDate: '2027-01-01',
        status: 'not-started' as const,
      },
      { id: 's4', title: ' ', owner: null, dueDate: '2026-01-01', status: 'blocked' as const },
    ];
    const warnings = planWarnings(plan(goal({ steps })), template, TODAY);
    expect(warnings.map((w) => [w.stepId, w.text])).toEqual([
      ['s1', 'Hire coaches (Coaching for every teacher): overdue since Dec 1, 2026'],
      ['s4', 'Untitled action (Coaching for every teacher): overdue since Jan 1, 2026'],
    ]);
  });

  it('formats days without shifting them by a time zone', () => {
    expect(formatDay('2026-01-01')).toBe('Jan 1, 2026');
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });

  it('a Barrier or low-rated item no goal addresses', () => {
    const gap = {
      documentId: 'd1',
      instrument: 'Prerequisites to Launch',
      school: null,
      itemId: 'pre.funding',
      label: '6',
      title: 'Funding',
      level: { value: 1, label: 'Barrier to Launch' },
      gap: 'barrier' as const,
    };
    const ready = { ...gap, itemId: 'pre.research', gap: null };
    expect(planWarnings(plan(goal({})), template, TODAY, [gap, ready])).toEqual([
      {
        kind: 'gap',
        goalId: null,
        stepId: null,
        itemId: 'pre.funding',
        documentId: 'd1',
        text: '6 Funding (Prerequisites to Launch): 1 Barrier to Launch: no goal addresses it',
      },
    ]);
    expect(
      planWarnings(plan(goal({ indicators: ['pre.funding'] })), template, TODAY, [gap]),
    ).toEqual([]);
  });

  it('a gap per instrument: two schools’ copies of one item are two warnings', () => {
    const gap = {
      documentId: 'spt-a',
      instrument: 'School Planning Tool: A',
      school: 'A',
      itemId: 'spt.c1.4',
      label: '1.4',
      title: 'Time',
      level: { value: 1, label: 'Not yet' },
      gap: 'low' as const,
    };
    const warnings = planWarnings(plan(), template, TODAY, [gap, { ...gap, documentId: 'spt-b' }]);
    expect(warnings.map((w) => w.documentId)).toEqual(['spt-a', 'spt-b']);
  });
});
