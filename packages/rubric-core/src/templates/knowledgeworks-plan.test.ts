import { describe, it, expect } from 'vitest';
import data from './knowledgeworks-plan.json' with { type: 'json' };
import { expectCleanText, expectParses, issuesOf, mustParseTemplate } from './seed-checks.js';

const t = mustParseTemplate(data, 'plan');

/** A deep copy of the seed template to break in one place. */
function copy(): Record<string, unknown> & typeof data {
  return structuredClone(data) as Record<string, unknown> & typeof data;
}

describe('knowledgeworks-plan template', () => {
  it('parses with no issues', () => {
    expectParses(data);
  });

  it('has the identity and source of the seed', () => {
    expect(t.kind).toBe('plan');
    expect(t.id).toBe('knowledgeworks-plan');
    expect(t.version).toBe(1);
    expect(t.schemaVersion).toBe(1);
    expect(t.source.document).toBe('A State Policy Framework for Scaling Personalized Learning');
    expect(t.source.publisher).toBe('KnowledgeWorks');
    expect(t.source.date).toBe('2015-08');
    expect(t.source.seed).toBe('004_4636303a8be9c30a.txt');
    expect(t.source.notes).toContain("Goal statuses are Concord's own");
  });

  it('has the 10 district conditions as plan areas, numbered 1-10, in order', () => {
    expect(t.areas).toHaveLength(10);
    expect(t.areas.map((a) => a.number)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(t.areas.map((a) => a.title)).toEqual([
      'Curriculum',
      'Instruction',
      'Comprehensive Assessment System',
      'Learning Environments',
      'Student Supports',
      'Professional Development',
      'Leadership Development',
      'Technology Policy',
      'Comprehensive Data Systems',
      'Partnerships',
    ]);
    expect(t.areas.map((a) => a.id)).toEqual([
      'kw.curriculum',
      'kw.instruction',
      'kw.comprehensive-assessment-system',
      'kw.learning-environments',
      'kw.student-supports',
      'kw.professional-development',
      'kw.leadership-development',
      'kw.technology-policy',
      'kw.comprehensive-data-systems',
      'kw.partnerships',
    ]);
    // The seed lists no elements under any condition.
    expect(t.areas.every((a) => a.elements === undefined && a.description !== undefined)).toBe(
      true,
    );
  });

  it('has the 3 meta themes in order', () => {
    expect(t.themes.map((x) => x.title)).toEqual(['Vision', 'Culture', 'Transparency']);
  });

  it('has a five-year timeline, one phase per year, with the seed milestones', () => {
    expect(t.phases).toHaveLength(5);
    expect(t.phases.map((p) => p.year)).toEqual([1, 2, 3, 4, 5]);
    expect(t.phases.map((p) => p.title)).toEqual([
      'Year 1: Planning and development',
      'Year 2: Implementation',
      'Year 3: Implementation',
      'Year 4: Implementation',
      'Year 5: Implementation and sustainability',
    ]);
    expect(t.phases.map((p) => p.milestones?.length)).toEqual([2, 3, 2, 2, 2]);
    expect(t.phases[0]?.milestones).toEqual([
      'One-year conditional approval granted by the state.',
      'Planning and development activities conducted by the district.',
    ]);
    expect(t.phases[1]?.milestones).toEqual([
      'Comprehensive implementation plan submitted by the district.',
      'Final approval of comprehensive implementation plan by the state.',
      'Implementation begins by the district.',
    ]);
    // The seed gives Years 3 and 4 one row.
    expect(t.phases[2]?.milestones).toEqual([
      'District-level implementation continues.',
      'Monitor evaluation criteria.',
    ]);
    expect(t.phases[3]?.milestones).toEqual(t.phases[2]?.milestones);
    expect(t.phases[4]?.milestones).toEqual([
      'Continued implementation and evaluation.',
      'Creation of a long-term sustainability plan by the district.',
    ]);
  });

  it('has the 3 evaluation groups with 6 + 2 + 1 indicators, by year', () => {
    expect(t.metricGroups.map((g) => g.title)).toEqual([
      'Improvement on cultural measures',
      'Improved student performance',
      'Plan for sustainability',
    ]);
    expect(t.metricGroups.map((g) => g.years)).toEqual([[1, 2], [3, 4, 5], [5]]);
    expect(t.metricGroups.map((g) => g.indicators.length)).toEqual([6, 2, 1]);
    expect(t.metricGroups[0]?.indicators.map((i) => i.text)).toEqual([
      'Attendance',
      'Disciplinary incidents',
      'Student engagement',
      'Student voice',
      'Student and parent survey data',
      'Evidence of improved instruction practices',
    ]);
    expect(t.metricGroups[1]?.indicators.map((i) => i.text)).toEqual([
      'Improved student performance including academic content, skills, and dispositions',
      'Proficiency and growth measure should be included',
    ]);
    expect(t.metricGroups[2]?.indicators.map((i) => i.text)).toEqual([
      'Evidence of a plan for sustainability',
    ]);
  });

  it('disaggregates by the 4 subgroups the seed names', () => {
    expect(t.subgroups.map((s) => s.label)).toEqual([
      'Ethnicity',
      'Economic disadvantage',
      'Students with disabilities',
      'English language learners',
    ]);
  });

  it("has Concord's 5 goal statuses", () => {
    expect(t.goalStatuses).toEqual([
      { id: 'not-started', label: 'Not started' },
      { id: 'on-track', label: 'On track' },
      { id: 'at-risk', label: 'At risk' },
      { id: 'off-track', label: 'Off track' },
      { id: 'complete', label: 'Complete' },
    ]);
  });

  it('lists what the plan must contain: goals, timelines and responsible parties', () => {
    expect(t.assurances).toEqual([
      'goals and objectives',
      'timelines for completion',
      'parties responsible for completion',
    ]);
  });

  it('has the 4 areas of assurance in order', () => {
    expect(t.assuranceAreas).toHaveLength(4);
    expect(t.assuranceAreas?.map((a) => a.title)).toEqual([
      'Planning Process',
      'Implementation Plan',
      'Continuous Improvement',
      'Funding Alignment',
    ]);
    expect(t.assuranceAreas?.[1]?.text).toContain(
      'The implementation plan should include goals and objectives, timelines for completion, and parties responsible for completion.',
    );
  });

  it('keeps the seed wording (spot checks)', () => {
    const area = (id: string) => t.areas.find((a) => a.id === id)?.description ?? '';
    expect(area('kw.instruction')).toContain(
      'progression should be based on mastery, avoiding the “mile-wide, inch-deep” phenomenon.',
    );
    expect(area('kw.comprehensive-assessment-system')).toContain(
      'Instant feedback from ongoing embedded assessments — including, but not limited to, portfolios, capstone projects, performance-based assessments, and curriculum-embedded assessments — should be used to monitor student progress and adjust day-to-day learning activities.',
    );
    expect(area('kw.technology-policy')).toBe(
      'Districts must have a technology policy that allows for ubiquitous, safe access to the internet at all times of the school day. Districts should also address deficiencies in infrastructure in order to support a more connected student population at scale.',
    );
    expect(area('kw.learning-environments')).toContain(
      'Continuous improvement should be embedded in the culture of the district and driven by student achievement data and other success indicators.',
    );
    expect(t.themes[1]?.description).toContain(
      'Along with the culture of risk-taking is the understanding that mistakes will happen and are not things to be feared.',
    );
    expect(t.phases[0]?.description).toContain(
      'complete a visioning and planning process; create a new, or amend an existing, implementation plan aligned to that vision; and align federal funding, including Title I and Title II funds, to scale personalized learning in their districts.',
    );
    expect(t.assuranceAreas?.[3]?.text).toBe(
      'Districts should identify ways to align local, state, and federal funding — in particular Title I and Title II — behind their implementation goals and objectives. In addition to state flexibility, this could include modifications to funding structures, local requirements, and agreements.',
    );
  });

  it('has no stray line breaks, hyphenation breaks, double spaces or bullets', () => {
    expectCleanText(data, { soft: true, hyphenBreaks: true, bullets: true });
  });

  it('has unique ids within each list', () => {
    for (const list of [
      t.areas,
      t.themes,
      t.phases,
      t.subgroups,
      t.goalStatuses,
      t.assuranceAreas ?? [],
    ]) {
      const ids = list.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});

describe('plan template validation', () => {
  it('refuses a duplicate area id, naming the field', () => {
    const bad = copy();
    bad.areas[1]!.id = bad.areas[0]!.id;
    const issues = issuesOf(bad);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('areas[1].id');
    expect(issues[0]?.message).toContain('"kw.curriculum" is already used at areas[0].id');
  });

  it('refuses phases out of year order, naming the field', () => {
    const bad = copy();
    const [y1, y2, y3] = bad.phases;
    bad.phases.splice(0, 3, y1!, y3!, y2!);
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).toEqual(['phases[2].year']);
    expect(issues[0]?.message).toContain('ascending order of year');
  });

  it('refuses a year given twice', () => {
    const bad = copy();
    bad.phases[4]!.year = 4;
    bad.metricGroups[1]!.years = [3, 4];
    bad.metricGroups[2]!.years = [4];
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).toEqual(['phases[4].year']);
  });

  it('refuses a metric group evaluated in a year with no phase', () => {
    const bad = copy();
    bad.metricGroups[1]!.years = [3, 4, 6];
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).toEqual(['metricGroups[1].years[2]']);
    expect(issues[0]?.message).toContain('year 6 is not the year of any phase');
  });

  it('refuses a metric indicator id used twice across groups', () => {
    const bad = copy();
    bad.metricGroups[2]!.indicators[0]!.id = 'kw.eval.cultural.attendance';
    const issues = issuesOf(bad);
    expect(issues.map((i) => i.path)).toEqual(['metricGroups[2].indicators[0].id']);
  });

  it('refuses an area of assurance given as a bare string, and unknown fields', () => {
    const bad = copy() as Record<string, unknown>;
    bad['assuranceAreas'] = ['Planning Process'];
    expect(issuesOf(bad).map((i) => i.path)).toEqual(['assuranceAreas[0]']);

    const extra = copy();
    (extra.areas[0] as Record<string, unknown>)['owner'] = 'Superintendent';
    expect(issuesOf(extra).map((i) => i.path)).toEqual(['areas[0]']);
  });
});
