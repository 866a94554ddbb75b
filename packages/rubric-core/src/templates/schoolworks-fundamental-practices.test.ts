import { describe, expect, it } from 'vitest';
import data from './schoolworks-fundamental-practices.json' with { type: 'json' };
import {
  expectCleanText,
  expectParses,
  findOne,
  indicatorsOf,
  mustParseTemplate,
} from './seed-checks.js';

const template = mustParseTemplate(data, 'rubric');
const practices = indicatorsOf(template.sections);

/** The paragraphs of one practice's cell at a level (1 Exploring, 2 Developing, 3 Enduring). */
function cell(title: string, level: number): string[] {
  const practice = findOne(practices, (p) => p.title === title, `practice "${title}"`);
  const descriptor = findOne(
    practice.descriptors ?? [],
    (d) => d.level === level,
    `level ${level} descriptor for "${title}"`,
  );
  return descriptor.text;
}

describe('schoolworks-fundamental-practices template', () => {
  it('parses with no issues', () => {
    expectParses(data);
    expect(template.id).toBe('schoolworks-fundamental-practices');
    expect(template.version).toBe(1);
    expect(template.source).toMatchObject({
      publisher: 'SchoolWorks',
      date: '2020-03',
      seed: '002_cf3249446ed14a1a.txt',
    });
  });

  it('rates Exploring / Developing / Enduring, ready at 2, with no blocking level', () => {
    expect(template.scale.levels.map((l) => [l.value, l.label])).toEqual([
      [1, 'Exploring'],
      [2, 'Developing'],
      [3, 'Enduring'],
    ]);
    expect(template.scale.measurement).toBe('ordinal');
    expect(template.scale.readyAt).toBe(2);
    expect(template.scale.levels.some((l) => l.blocksLaunch)).toBe(false);
  });

  it('has the 3 domains with 6 + 4 + 6 = 16 practices in seed order', () => {
    expect(
      template.sections.map((s) => [s.number, s.title, s.indicators.map((i) => i.title)]),
    ).toEqual([
      [
        '1',
        'School Culture for Personalization',
        [
          'Vision for Personalized Learning',
          'Equity and Cultural Competency',
          'Changing Role of Teachers',
          'Changing Role of Students',
          'Relationships with Learners',
          'Social-Emotional Learning and Habits of Success',
        ],
      ],
      [
        '2',
        'Systems and Practices for Personalization',
        [
          'Competency-Based/ Standards-Aligned Progression',
          'Use of Technology',
          'Professional Development & Teacher Content Knowledge',
          'Learner Profiles (Transparency of Learning)',
        ],
      ],
      [
        '3',
        'Personalized Instruction',
        [
          'Goal Setting and Monitoring Progress',
          'Flexible Learning Environment',
          'Appropriate Challenge and Personalized Instruction: Meeting Students Where They Are',
          'Rigor and Complex Tasks',
          'Discourse and Collaboration',
          'Demonstration of Knowledge/ Mastery',
        ],
      ],
    ]);
    expect(template.sections.map((s) => s.indicators.length)).toEqual([6, 4, 6]);
    expect(practices).toHaveLength(16);
    for (const s of template.sections) {
      expect(s.id).toMatch(/^fp\.[a-z0-9-]+$/);
      s.indicators.forEach((p, i) => {
        expect(p.id.startsWith(`${s.id}.`)).toBe(true);
        expect(p.number).toBe(String(i + 1));
      });
    }
  });

  it('gives every practice exactly 3 non-empty descriptors, levels 1, 2, 3', () => {
    for (const p of practices) {
      expect(
        p.descriptors?.map((d) => d.level),
        p.id,
      ).toEqual([1, 2, 3]);
      for (const d of p.descriptors ?? []) {
        expect(d.text.length, `${p.id} level ${d.level}`).toBeGreaterThan(0);
        for (const para of d.text) expect(para.trim().length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps paragraph counts per cell, with page-break continuations joined back', () => {
    expect(
      Object.fromEntries(practices.map((p) => [p.id, p.descriptors?.map((d) => d.text.length)])),
    ).toEqual({
      'fp.culture.vision': [3, 3, 1],
      'fp.culture.equity': [3, 3, 2],
      'fp.culture.teacher-role': [2, 2, 2],
      'fp.culture.student-role': [2, 2, 2],
      'fp.culture.relationships': [1, 1, 1],
      'fp.culture.sel': [2, 2, 2],
      'fp.systems.competency': [2, 2, 2],
      'fp.systems.technology': [2, 2, 2],
      'fp.systems.pd': [2, 2, 2],
      'fp.systems.learner-profiles': [2, 3, 3],
      'fp.instruction.goal-setting': [3, 3, 3],
      'fp.instruction.flexible-environment': [3, 3, 2],
      'fp.instruction.challenge': [3, 3, 2],
      'fp.instruction.rigor': [1, 1, 1],
      'fp.instruction.discourse': [2, 3, 2],
      'fp.instruction.demonstration': [2, 3, 3],
    });
    // No paragraph is left cut off mid-sentence or starts as a continuation.
    for (const p of practices) {
      for (const d of p.descriptors ?? []) {
        for (const para of d.text) {
          expect(para, p.id).toMatch(/[.)?:]$/);
          expect(para, p.id).toMatch(/^[A-Z]/);
        }
      }
    }
  });

  it('keeps the seed wording (spot checks)', () => {
    expect(template.instructions).toBe(
      'The following rubric provides an overview of key practices that are essential to effective teaching and learning within a Personalized Learning context. The team, including both district (or network) and school representatives, may review the rubric and provide evidence to substantiate a rating of Exploring, Developing or Enduring for each practice. Once completed, the findings can be used to establish goals, or to inform implementation improvement plans. While the goals of an effective extended learning solution that incorporates online learning may not fully align with those of a full-scale personalized learning program, stakeholders may find it worthwhile to consider the fundamental practices of personalized learning during planning.',
    );
    expect(cell('Equity and Cultural Competency', 1)[0]).toBe(
      'The school is well-informed of its learners needs, diverse cultures, and their community context. This knowledge is applied in developing materials and pedagogy and assigning resources.',
    );
    // Joined across a page break.
    expect(cell('Equity and Cultural Competency', 1)[2]).toBe(
      'Teachers and school leaders complete data analyses for all subgroups, in order to ensure equity and to take actions to improve learning for all students.',
    );
    expect(cell('Equity and Cultural Competency', 3)[1]).toBe(
      'Teachers and learners use restorative justice or similar practices in classes to drive learner social responsibility, foster respect, and promote inclusion. Learners regularly give input into how to make the school more equitable.',
    );
    // Authors' "such a class period" kept.
    expect(cell('Changing Role of Students', 1)[0]).toBe(
      'Learners follow a clear teacher-created path to determine their pacing (e.g., unit calendars, lists of tasks to be completed, paths to mastery). Learners take responsibility for directing their learning within short periods of time, such a class period or day (e.g., choosing stations, selecting topics or tasks for projects).',
    );
    expect(cell('Professional Development & Teacher Content Knowledge', 2)[0]).toBe(
      'Teachers deeply know the central concepts, tools, skills, and structures of their respective content areas, and how they align to competencies: (e.g., algebra teachers know the math: which algebraic concepts are most important, which are foundational, and which are more complex). Professional development brings teachers together to norm on competencies through activities such as looking at student work and identifying evidence of performance.',
    );
    expect(cell('Flexible Learning Environment', 1)[2]).toBe(
      'Teachers shift their use of time from whole-class instruction to a greater variety of instructional strategies, such as small-group instruction, one-on-one conferencing, group work, station rotation, or use of technology.',
    );
    expect(cell('Flexible Learning Environment', 2)[2]).toBe(
      'Learners have some choice regarding where and when they work.',
    );
    expect(cell('Discourse and Collaboration', 1)[0]).toBe(
      'Teachers facilitate highly structured, short collaborative activities or accountable talk, such as think-pair-share or turn-and-talk for learners to grapple with content or skills, justify explanations, or explain reasoning. Every learner has an equal opportunity to engage.',
    );
    expect(cell('Vision for Personalized Learning', 3)).toEqual([
      'The vision is sustained and promoted by both leadership and faculty. It is ingrained in both the daily interactions among administration, teachers, and learners and in more formal processes, such as improvement planning, teacher evaluation, and the school’s approach to professional development.',
    ]);
    expect(cell('Demonstration of Knowledge/ Mastery', 3)[2]).toBe(
      'Learners contribute to the creation of assessments and determine the most effective method and timing for assessment/demonstration of mastery.',
    );
  });

  it('has no markup, entities, double spaces or stray line breaks in any string', () => {
    expectCleanText(data, { markup: true });
  });
});
