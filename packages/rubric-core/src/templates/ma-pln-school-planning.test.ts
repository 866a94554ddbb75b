import { describe, expect, it } from 'vitest';
import data from './ma-pln-school-planning.json' with { type: 'json' };
import {
  byId,
  expectCleanText,
  expectParses,
  indicatorsOf,
  mustParseTemplate,
} from './seed-checks.js';

const template = mustParseTemplate(data, 'rubric');
const topSection = (id: string) => byId(template.sections, id, 'section');
const indicators = indicatorsOf(template.sections);
const indicator = (id: string) => byId(indicators, id, 'indicator');

function codes(id: string): string[] {
  return (indicator(id).references ?? []).map((r) => `${r.source}:${r.code}`);
}

describe('ma-pln-school-planning template', () => {
  it('parses with no issues', () => {
    expectParses(data);
    expect(template.id).toBe('ma-pln-school-planning');
    expect(template.version).toBe(1);
    expect(template.source.seed).toBe('001_6de84c41b2d3acc6.txt');
    expect(template.description).toBe(
      'The goal of this needs assessment is to determine readiness for Personalized Learning and to support the strategic planning process.',
    );
  });

  it('has the seed rating scale', () => {
    expect(template.scale.measurement).toBe('ordinal');
    expect(template.scale.readyAt).toBe(3);
    expect(template.scale.levels.map((l) => [l.value, l.label])).toEqual([
      [1, 'Area of Concern'],
      [2, 'Initial Steps toward Sustainability'],
      [3, 'Moving toward Sustainability'],
      [4, 'Sustainable'],
    ]);
    expect(template.scale.levels[2]?.description).toBe(
      'demonstrates evidence of creating a personalized learning school, but more evidence is needed',
    );
  });

  it('has two top-level sections', () => {
    expect(template.sections.map((s) => [s.id, s.title])).toEqual([
      ['spt.conditions', 'School Conditions for Personalized Learning'],
      ['spt.principles', 'Principles of Personalized Learning'],
    ]);
  });

  it('has 35 indicators across the 6 conditions', () => {
    const conditions = topSection('spt.conditions').sections;
    expect(conditions.map((s) => [s.id, s.number, s.title, s.indicators.length])).toEqual([
      ['spt.c1', '1', 'School Leadership & Vision', 8],
      ['spt.c2', '2', 'Aligned District and School Autonomies', 3],
      ['spt.c3', '3', 'Professional Collaborative Communities', 6],
      ['spt.c4', '4', 'Family and Community Partnerships', 5],
      ['spt.c5', '5', 'Cultural Relevance and Attention to Equity', 3],
      ['spt.c6', '6', 'Campus Technology & Infrastructure', 10],
    ]);
    expect(indicatorsOf(conditions)).toHaveLength(35);
  });

  it('has 48 indicators across the 5 principles', () => {
    const principles = topSection('spt.principles').sections;
    expect(principles.map((s) => [s.id, s.number, s.title, s.indicators.length])).toEqual([
      ['spt.p1', '1', 'Dispositions for Learning', 8],
      ['spt.p2', '2', 'Student-Driven Learning', 12],
      ['spt.p3', '3', 'Flexible Learning', 10],
      ['spt.p4', '4', 'Authentic Learning', 13],
      ['spt.p5', '5', 'Competency-Based Learning', 5],
    ]);
    expect(indicatorsOf(principles)).toHaveLength(48);
  });

  it('numbers indicators 1..n within each sub-section, with ids built from the numbers', () => {
    for (const top of template.sections) {
      for (const section of top.sections) {
        section.indicators.forEach((ind, i) => {
          expect(ind.number).toBe(String(i + 1));
          expect(ind.id).toBe(`${section.id}.${ind.number}`);
        });
      }
    }
  });

  it('has 13 outcome measures in 4 groups', () => {
    const groups = template.outcomeMeasures ?? [];
    expect(groups.map((g) => [g.id, g.title, g.measures.length])).toEqual([
      ['spt.outcomes.engagement', 'Engagement', 4],
      ['spt.outcomes.achievement', 'Achievement', 4],
      ['spt.outcomes.college-and-career-readiness', 'College and Career Readiness', 4],
      ['spt.outcomes.teacher-efficacy', 'Teacher Efficacy', 1],
    ]);
    expect(groups.flatMap((g) => g.measures)).toHaveLength(13);
    for (const m of groups.flatMap((g) => g.measures)) {
      expect(m.source).toBeTruthy();
      expect(m.text).not.toMatch(/\(Source/);
    }
  });

  it('transcribes outcome measures with their sources and areas', () => {
    const measures = (template.outcomeMeasures ?? []).flatMap((g) => g.measures);
    const byId = (id: string) => measures.find((m) => m.id === id);
    expect(byId('spt.outcomes.engagement.3')).toEqual({
      id: 'spt.outcomes.engagement.3',
      text: '50% of students improve their perceptions of their school in the following areas',
      source: 'Student Survey',
      areas: [
        'School climate/culture',
        'Student engagement',
        'Student teacher-relationships',
        'Sense of belonging in the school',
      ],
    });
    expect(byId('spt.outcomes.teacher-efficacy.1')).toEqual({
      id: 'spt.outcomes.teacher-efficacy.1',
      text: '50% of teacher improved their overall scores in the following areas',
      source: 'Teacher Survey',
      areas: [
        'Empowerment to make decisions about teaching and learning',
        'Support from school leader',
        'Implementation of personalized learning instructional practices',
      ],
    });
    expect(byId('spt.outcomes.achievement.2')?.source).toBe('Student Administrative Data');
    expect(byId('spt.outcomes.college-and-career-readiness.3')?.text).toBe(
      'The percent of students who enroll in at least one Advanced Placement course and score a "3" or better on the AP assessment increases by 20%',
    );
  });

  it('moves every CCSSO parenthetical into references', () => {
    expect(template.referenceSources?.map((r) => r.id)).toEqual(['ccsso']);
    for (const ind of indicators) {
      expect(ind.text).not.toMatch(/CCSSO/);
    }
    const withoutRefs = indicators.filter((i) => !i.references?.length).map((i) => i.id);
    // The only indicators the seed prints without a CCSSO parenthetical.
    expect(withoutRefs).toEqual([
      'spt.c2.2',
      'spt.c4.4',
      'spt.c6.1',
      'spt.c6.4',
      'spt.c6.5',
      'spt.c6.6',
      'spt.c6.7',
      'spt.c6.8',
      'spt.c6.9',
      'spt.c6.10',
      'spt.p4.1',
      'spt.p4.3',
    ]);
    const total = indicators.reduce((n, i) => n + (i.references?.length ?? 0), 0);
    // 71 parentheticals in the seed, 87 codes in all.
    expect(total).toBe(87);
  });

  it('keeps reference codes exactly as printed', () => {
    expect(codes('spt.c1.1')).toEqual(['ccsso:II.3.a-d', 'ccsso:II.4.a-d']);
    expect(codes('spt.c1.5')).toEqual(['ccsso:I.I.c']);
    expect(codes('spt.c1.7')).toEqual(['ccsso:II.3.b']);
    expect(codes('spt.c2.3')).toEqual(['ccsso:II.2.a.i-vi']);
    expect(codes('spt.c3.5')).toEqual(['ccsso:IV.2-3&7']);
    expect(codes('spt.c4.2')).toEqual(['ccsso:III.2.c.i', 'ccsso:IV.2.b']);
    expect(codes('spt.c4.5')).toEqual(['ccsso:III.2.b&C']);
    expect(codes('spt.p3.3')).toEqual(['ccsso:IV.5.b', 'ccsso:IV.6.b', 'ccsso:IV.7.c']);
    expect(codes('spt.p3.4')).toEqual(['ccsso:IV.5.c', 'ccsso:1.2.a.i&ii']);
    expect(codes('spt.p4.4')).toEqual(['ccsso:IV.5.b', 'ccsso:IV.7.c', 'ccsso:IV.6.b']);
    expect(codes('spt.p5.4')).toEqual(['ccsso:IV.3&5-6']);
  });

  it('transcribes indicator texts word for word', () => {
    expect(indicator('spt.c1.1').text).toBe(
      "The school leadership team keeps, articulates, and models the vision/mission for the whole school community, and keeps teaching and learning at the center of the school's agenda.",
    );
    expect(indicator('spt.c2.2').text).toBe(
      'The school has autonomy over staffing, budget, curriculum and assessment, professional development, governance, and schedule. (See Autonomies)',
    );
    expect(indicator('spt.c6.5').text).toBe('Schools have bandwidth of 100 Kbps/ student.');
    expect(indicator('spt.c6.8').text).toBe(
      '>90% of classrooms have the electrical outlets, fixed-line network connections, display technology (e.g., digital projectors), and furniture to support a blended learning environment.',
    );
    expect(indicator('spt.p1.3').text).toBe(
      "Social-emotional learning activities/programs exist in the school that support students' social and emotional development, promote optimal mental health, and prevent risk behaviors (e.g., counseling, anti-bullying, service learning, character education, student support services, etc.)",
    );
    expect(indicator('spt.p1.6').text).toBe(
      'There is an intentional focus at the school on supporting students to develop a “growth mindset.”',
    );
    expect(indicator('spt.p2.2').text).toBe(
      'Students address standards at the time and in the manner that meets their needs.',
    );
    expect(indicator('spt.p2.4').text).toBe(
      'Data—captured from multiple institutions—and systems are available to enable creation and analysis of data in order to create personalized academic profiles.',
    );
    expect(indicator('spt.p4.9').text).toBe(
      'A system of assessments grounded in high quality performance tasks aligned to rigorous standards [e.g., Common Core State Standards (CCSS), Next Generation Science Standards, 21st Skills] drives curriculum and instruction to ensure deep and comprehensive learning for all students.',
    );
    expect(indicator('spt.p5.5').text).toBe(
      'Students advance and earn course credit (if applicable) as soon as they demonstrate an adequate level of mastery.',
    );
  });

  it('has no HTML tags or entities, and no double or stray spaces, in any string', () => {
    expectCleanText(data, { markup: true });
  });
});
