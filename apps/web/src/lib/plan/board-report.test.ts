import type { SectionScoreRow } from '@concord/db/projection';
import {
  knowledgeworksPlanTemplate as template,
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import {
  boardReport,
  valueText,
  type BoardReportInput,
  type GoalInput,
  type InstrumentInput,
  type MetricInput,
  type StepInput,
} from './board-report';

const TODAY = '2026-12-08';

const goal = (over: Partial<GoalInput>): GoalInput => ({
  goalId: 'g1',
  areaId: 'kw.curriculum',
  title: 'Pathways',
  owners: ['Dana Smith'],
  phaseYear: 1,
  dueDate: null,
  status: 'on-track',
  ...over,
});
const step = (over: Partial<StepInput>): StepInput => ({
  stepId: 's1',
  goalId: 'g1',
  title: 'Draft',
  ownerUser: null,
  ownerName: null,
  dueDate: null,
  status: 'not-started',
  ...over,
});
const metric = (over: Partial<MetricInput>): MetricInput => ({
  metricId: 'm1',
  subgroup: 'all',
  goalId: null,
  name: 'Chronic absenteeism',
  source: null,
  unit: '%',
  baseline: null,
  target: null,
  current: null,
  ...over,
});
const section = (over: Partial<SectionScoreRow>): SectionScoreRow => ({
  sectionId: 's',
  title: 'Section',
  depth: 0,
  ownScale: false,
  indicators: 4,
  scored: 0,
  withConsensus: 0,
  mean: null,
  basis: 'none',
  atOrAbove: null,
  level: null,
  levelLabel: null,
  ...over,
});
const instrument = (over: Partial<InstrumentInput>): InstrumentInput => ({
  documentId: 'd1',
  title: 'Prerequisites to Launch',
  kind: 'prerequisites',
  school: null,
  template: checklist,
  itemsTotal: 8,
  itemsAgreed: 0,
  readiness: null,
  sections: [],
  ...over,
});
const report = (over: Partial<BoardReportInput>) =>
  boardReport({
    template,
    instruments: [],
    decisions: [],
    goals: [],
    steps: [],
    metrics: [],
    today: TODAY,
    ...over,
  });

describe('the board report model', () => {
  it('summarises goals by status and counts overdue actions (not done, due before today)', () => {
    const r = report({
      goals: [
        goal({ goalId: 'a', status: 'on-track' }),
        goal({ goalId: 'b', status: 'at-risk' }),
        goal({ goalId: 'c', status: 'not-started' }),
        goal({ goalId: 'd', status: 'on-track', dueDate: '2026-12-07' }),
      ],
      steps: [
        step({ stepId: '1', goalId: 'a', dueDate: '2026-10-31', status: 'in-progress' }),
        step({ stepId: '2', goalId: 'a', dueDate: '2026-10-31', status: 'done' }),
        step({ stepId: '3', goalId: 'b', dueDate: TODAY, status: 'blocked' }),
        step({ stepId: '4', goalId: 'b', dueDate: null }),
      ],
    });
    expect(r.summary).toMatchObject({
      goals: 4,
      onTrack: 2,
      atRisk: 1,
      offTrack: 0,
      overdueActions: 1,
      overdueGoals: 1,
      actions: 4,
    });
    expect(r.summary.text).toBe(
      '4 goals: 2 on track, 1 at risk, 0 off track (1 not started). 1 action overdue of 4; 1 goal past its due date.',
    );
    expect(r.summary.byStatus.map((s) => [s.label, s.n])).toEqual([
      ['Not started', 1],
      ['On track', 2],
      ['At risk', 1],
      ['Off track', 0],
      ['Complete', 0],
    ]);
    expect(report({}).summary.text).toBe(
      '0 goals: 0 on track, 0 at risk, 0 off track. 0 actions overdue of 0.',
    );
  });

  it('lays out every plan area of the template in order, each goal with its words', () => {
    const r = report({
      goals: [
        goal({ goalId: 'late', areaId: 'kw.partnerships', phaseYear: 2, dueDate: '2027-01-01' }),
        goal({
          goalId: 'early',
          areaId: 'kw.partnerships',
          title: 'Funding',
          owners: ['Dana Smith', 'Chief Financial Officer'],
          phaseYear: 1,
          dueDate: '2026-11-30',
          status: 'complete',
        }),
        goal({ goalId: 'mine', owners: [], phaseYear: null, status: 'off-track' }),
      ],
      steps: [
        step({ stepId: 'z', goalId: 'late', title: 'Zed', dueDate: '2026-12-01' }),
        step({ stepId: 'y', goalId: 'late', title: 'Why', ownerName: 'Principal' }),
        step({ stepId: 'x', goalId: 'late', title: 'Ex', dueDate: '2026-11-01', ownerUser: 'Al' }),
      ],
    });
    expect(r.areas.map((a) => `${a.number}. ${a.title}`)).toEqual(
      template.areas.map((a) => `${a.number}. ${a.title}`),
    );
    const partnerships = r.areas.find((a) => a.id === 'kw.partnerships')!;
    // By phase year, then due date.
    expect(partnerships.goals.map((g) => g.id)).toEqual(['early', 'late']);
    const [early, late] = partnerships.goals;
    expect(early).toMatchObject({
      owners: 'Dana Smith, Chief Financial Officer',
      phase: 'Year 1: Planning and development',
      status: { id: 'complete', label: 'Complete' },
      // Complete is never overdue.
      overdue: false,
    });
    expect(late!.overdue).toBe(false);
    // Steps by due date, undated last; overdue in words; owners by name or "No owner".
    expect(late!.steps.map((s) => [s.title, s.owner, s.status, s.overdue])).toEqual([
      ['Ex', 'Al', 'Not started', true],
      ['Zed', 'No owner', 'Not started', true],
      ['Why', 'Principal', 'Not started', false],
    ]);
    expect(late!.overdueSteps).toBe(2);
    const curriculum = r.areas.find((a) => a.id === 'kw.curriculum')!;
    expect(curriculum.goals[0]).toMatchObject({
      owners: 'No owner',
      phase: null,
      status: { label: 'Off track' },
    });
    expect(r.areas.find((a) => a.id === 'kw.instruction')!.goals).toEqual([]);
  });

  it('keeps a goal of an area the template lacks, under "Other areas"', () => {
    const r = report({ goals: [goal({ areaId: 'school.own-area' })] });
    expect(r.areas.at(-1)).toMatchObject({ title: 'Other areas', goals: [{ id: 'g1' }] });
  });

  it('reads a checklist: every category with its team rating, barriers named', () => {
    const r = report({
      instruments: [instrument({ readiness: 'blocked', title: 'Prerequisites', school: null })],
      decisions: [
        { documentId: 'd1', indicatorId: 'pre.funding', value: 1 },
        { documentId: 'd1', indicatorId: 'pre.leadership', value: 3 },
        { documentId: 'other', indicatorId: 'pre.research', value: 1 },
      ],
    });
    const [c] = r.checklists;
    expect(c!.status).toBe('blocked');
    expect(c!.verdict).toBe('Not ready to launch: the team rated 1 category a barrier to launch.');
    expect(c!.barriers.map((b) => b.title)).toEqual(['Funding']);
    expect(c!.categories).toHaveLength(8);
    expect(c!.categories.find((x) => x.id === 'pre.leadership')).toEqual({
      id: 'pre.leadership',
      title: 'Leadership',
      level: { value: 3, label: 'Asset to Implementation' },
      barrier: false,
    });
    expect(c!.categories.find((x) => x.id === 'pre.research')!.level).toBeNull();
    expect(c!.decided).toBe(2);
  });

  it('says a checklist is ready, or not decided yet, in words', () => {
    const all = checklist.sections[0]!.indicators.map((i) => ({
      documentId: 'd1',
      indicatorId: i.id,
      value: 2,
    }));
    expect(
      report({ instruments: [instrument({ readiness: 'ready' })], decisions: all }).checklists[0]!
        .verdict,
    ).toBe('Ready to launch: every category has a team rating, and none is a barrier to launch.');
    // Without a projected readiness, it is worked out from the decisions.
    expect(
      report({ instruments: [instrument({})], decisions: all.slice(0, 3) }).checklists[0]!,
    ).toMatchObject({
      status: 'incomplete',
      verdict: 'Not decided yet: 3 of 8 categories have a team rating.',
    });
  });

  it('takes assessments with their scale and school, and skips a template this build lacks', () => {
    const r = report({
      instruments: [
        instrument({
          documentId: 'a1',
          kind: 'assessment',
          title: 'School Planning Tool',
          school: 'Harborview',
          template: rubric,
          itemsAgreed: 3,
          itemsTotal: 34,
          sections: [section({ mean: 2.5, scored: 4, basis: 'median' })],
        }),
        instrument({
          documentId: 'a2',
          kind: 'assessment',
          title: 'District Conditions',
          template: rubric,
          sections: [section({}), section({ ownScale: true, mean: 1 })],
        }),
        instrument({ documentId: 'a3', kind: 'assessment', template: null }),
      ],
    });
    expect(r.assessments.map((a) => [a.title, a.scaleMax, a.scored])).toEqual([
      ['School Planning Tool, Harborview', 4, true],
      // An own-scale list (yes/no) with a score does not make the chart worth drawing.
      ['District Conditions', 4, false],
    ]);
    expect(r.checklists).toEqual([]);
  });

  it('groups metric rows by metric, all students first, subgroups in the template order', () => {
    const r = report({
      goals: [goal({ goalId: 'g1', title: 'Coaching' })],
      metrics: [
        metric({ subgroup: 'students-with-disabilities', baseline: 29.1, target: 23 }),
        metric({ subgroup: 'ethnicity:hispanic-latino', baseline: 25 }),
        metric({ subgroup: 'economic-disadvantage', baseline: 26.9, target: 21 }),
        metric({ subgroup: 'all', baseline: 21.4, target: 17, current: 20.2, goalId: 'g1' }),
        metric({ metricId: 'm0', name: 'Attendance', unit: 'days', current: 170 }),
      ],
    });
    expect(r.metrics.map((m) => m.name)).toEqual(['Attendance', 'Chronic absenteeism']);
    const m = r.metrics[1]!;
    // The plan page's order: all students and the School Planning Tool's categories first.
    expect(m.rows.map((x) => x.label)).toEqual([
      'All students',
      'Economic disadvantage',
      'Students with disabilities',
      'Ethnicity: Hispanic Latino',
    ]);
    expect(m.text).toBe(
      'All students: latest 20.2% (baseline 21.4%, target 17%): 27% of the way to the target.',
    );
    expect(r.metrics[0]!.text).toBe('All students: latest 170 days.');
  });

  it('says how a metric moved against its target, either direction', () => {
    const text = (baseline: number, target: number, current: number | null) =>
      report({ metrics: [metric({ baseline, target, current })] }).metrics[0]!.text;
    expect(text(21.4, 17, 22)).toBe(
      'All students: latest 22% (baseline 21.4%, target 17%): moving away from the target.',
    );
    expect(text(21.4, 17, 16.5)).toContain(': target met.');
    expect(text(60, 80, 80)).toContain(': target met.');
    expect(text(60, 80, 70)).toContain(': 50% of the way to the target.');
    expect(text(60, 80, 60)).toContain(': 0% of the way to the target.');
    expect(text(60, 80, null)).toBe('All students: no measurement yet (baseline 60%, target 80%).');
  });

  it('writes a value with its unit, a dash for none', () => {
    expect(valueText(null, '%')).toBe('—');
    expect(valueText(12.345, '%')).toBe('12.35%');
    expect(valueText(3, 'days')).toBe('3 days');
  });
});
