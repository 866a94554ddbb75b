import { describe, it, expect } from 'vitest';
import data from './cce-guidance.json' with { type: 'json' };
import { parseGuidance } from '../template/parse.js';
import {
  byId,
  expectCleanText,
  expectNoneMatch,
  expectParses,
  issuesOf,
  mustParse,
} from './seed-checks.js';

const g = mustParse(data, parseGuidance);
const group = (id: string) => byId(g.groups, id, 'group');
const entries = g.groups.flatMap((x) => x.entries);
const entryBody = (id: string) => byId(entries, id, 'entry').body.join('\n\n');

describe('cce-guidance', () => {
  it('parses with no issues', () => {
    expectParses(data, parseGuidance);
  });

  it('has the identity and source of the seed', () => {
    expect(g.id).toBe('cce-guidance');
    expect(g.version).toBe(1);
    expect(g.schemaVersion).toBe(1);
    expect(g.source.publisher).toBe('Center for Collaborative Education');
    expect(g.source.document).toBe('A Vision for Personalized Learning in Massachusetts');
    expect(g.source.date).toBe('2017');
    expect(g.source.seed).toBe('003_32bce049230f7417.txt');
  });

  it('has 6 groups: principles, systems of support, pitfalls, then state, district and school policy', () => {
    expect(g.groups.map((x) => [x.id, x.use])).toEqual([
      ['cce.principles', 'glossary'],
      ['cce.systems', 'guidance'],
      ['cce.pitfalls', 'check'],
      ['cce.state', 'guidance'],
      ['cce.district', 'guidance'],
      ['cce.school', 'guidance'],
    ]);
    expect(g.groups.map((x) => x.entries.length)).toEqual([5, 5, 5, 7, 8, 6]);
  });

  it('has the Five Principles in the order the seed defines them, each with its example', () => {
    const principles = group('cce.principles');
    expect(principles.entries).toHaveLength(5);
    expect(principles.entries.map((e) => e.title)).toEqual([
      'Competency-based Learning',
      'Authentic Learning',
      'Flexible Learning',
      'Student-driven Learning',
      'Dispositions for Learning',
    ]);
    expect(principles.entries.every((e) => e.body.length === 2)).toBe(true);
    expect(principles.description).toMatch(
      /^Personalized learning tailors the educational experience/,
    );
  });

  it('has the 5 systems of support', () => {
    const systems = group('cce.systems');
    expect(systems.entries).toHaveLength(5);
    expect(systems.entries.map((e) => e.title)).toEqual([
      'Autonomies',
      'Family & Community Engagement',
      'Leadership',
      'Professional Learning',
      'Technology',
    ]);
    expect(systems.description).toContain(
      'five key systems of support: family and community engagement, effective professional learning and substantial time devoted to it, autonomy to pursue innovation, inclusive leadership, and technology infrastructure.',
    );
  });

  it('has the 5 pitfalls as checks, each with its "Strive to" and "Be wary of"', () => {
    const pitfalls = group('cce.pitfalls');
    expect(pitfalls.entries).toHaveLength(5);
    expect(pitfalls.entries.map((e) => e.title)).toEqual([
      'Scaffold full integration of all personalized learning principles school-wide',
      'Be attentive to equity and cultural competence',
      'Time to collaborate',
      'Use technology in ways that promote authentic learning',
      'Ensure that schools have needed autonomy with shared decision-making within public oversight to bring about radical change',
    ]);
    expect(pitfalls.entries.map((e) => [e.striveTo, e.bewareOf])).toEqual([
      ['Take a systemic, whole school approach', 'Incrementalism'],
      [
        'Remain attentive to equity & cultural relevance',
        'Attractive initiatives that do not support all student subgroups',
      ],
      [
        'Provide ample time for collaborative planning, designing and reflecting',
        'Rushed implementation',
      ],
      [
        'Use technology to help track student growth & plan engaging curriculum',
        'Conflating the use of technology with student-driven personalization',
      ],
      [
        'Ensure schools have the necessary autonomies to bring about radical change',
        'Compromising to traditional metrics, curriculum & assessment',
      ],
    ]);
    expect(pitfalls.entries.map((e) => e.body.length)).toEqual([3, 2, 1, 3, 2]);
  });

  it('has 7 state, 8 district and 6 school recommendations, in order', () => {
    expect(group('cce.state').entries.map((e) => e.title)).toEqual([
      'Competency Education',
      'Cross-Curricular Skills and Dispositions',
      'Accountability',
      'Graduation through Proficiency',
      'Seat Time Requirements',
      'Multiple Pathways',
      'Credentialing',
    ]);
    expect(group('cce.district').entries.map((e) => e.title)).toEqual([
      'Communication',
      'District-wide Commitment and Investment',
      'Competency Education',
      'Systems of Academic and Social-Emotional Learning Support',
      'Grade Bands',
      'Learning Outside of the Classroom and School Walls',
      'Graduation through Proficiency',
      'Freedom to Innovate',
    ]);
    expect(group('cce.school').entries.map((e) => e.title)).toEqual([
      'Readiness',
      'Vision',
      'Leadership',
      'Thoughtful Planning',
      'Reallocation of Resources',
      'Autonomy',
    ]);
    // The names the paper's summary chart uses, where they differ from the headings.
    const short = g.groups
      .flatMap((x) => x.entries)
      .filter((e) => e.shortTitle !== undefined)
      .map((e) => [e.title, e.shortTitle]);
    expect(short).toEqual([
      ['Accountability', 'Multiple Measures of Accountability'],
      ['Seat Time Requirements', 'More Inclusive Seat Time Requirements'],
      ['Communication', 'Community Engagement'],
      [
        'Systems of Academic and Social-Emotional Learning Support',
        'Academic and Social-Emotional Learning Support',
      ],
      ['Readiness', 'Readiness to Transition'],
      ['Vision', 'Vision of Personalized Learning'],
      ['Leadership', 'Leadership Team'],
    ]);
  });

  it('keeps the seed wording (spot checks)', () => {
    expect(entryBody('cce.principle.competency-based')).toContain(
      'Competencies are broad targets for student learning that allow students to receive credit when they demonstrate mastery of competencies at each new level.',
    );
    expect(entryBody('cce.system.technology')).toBe(
      'Technology is not the solution, but a vehicle for personalized learning. Technology and tech literacy can support the facilitation of learning through the use of learning management systems, blended instruction, and tools that support increased student engagement in higher order thinking projects.',
    );
    expect(entryBody('cce.pitfall.equity')).toContain(
      'Personalization means that the adults know students well, including their cultures, languages, learning styles, neighborhoods, and families.',
    );
    expect(entryBody('cce.pitfall.time')).toContain(
      'Thus, schools taking on a transition to personalized learning need ample common planning time within teams (interdisciplinary or discipline-based), full faculty professional development, opportunity to send teams to visit personalized learning schools in action, and summer planning time.',
    );
    expect(entryBody('cce.state.accountability')).toContain(
      'If Massachusetts shifts away from a single measure of accountability—student MCAS scores—toward a multiple measures data dashboard',
    );
    expect(entryBody('cce.school.vision')).toBe(
      'The establishment of a comprehensive vision of a personalized learning school should be created and owned by the entire school community.',
    );
    expect(entryBody('cce.district.grade-bands')).toBe(
      'With a move toward competency education and students progressing at varying paces, districts should consider adopting grade bands (multiple ages of students together), each with gateway performance assessments that enable students to move to the next band.',
    );
  });

  it('repairs the words the text extraction joined at line-end hyphens', () => {
    expect(entryBody('cce.pitfall.autonomy')).toContain('Shared decision-making leads to');
    expect(entryBody('cce.pitfall.whole-school')).toContain('access next-generation curriculum');
    expect(entryBody('cce.pitfall.equity')).toContain(
      'evidence-supported personalized learning practices',
    );
    expect(entryBody('cce.state.credentialing')).toContain(
      'Micro-credentialing is a competency-based, personalized, approach',
    );
    expect(entryBody('cce.school.planning')).toContain(
      'focuses on school-wide equity and excellence.',
    );
    const joined =
      /decisionmaking|competencybased|nextgeneration|evidencesupported|schoolwide|socialemotional|lowincome/;
    expectNoneMatch(data, joined, { soft: true });
  });

  it('has no stray line breaks, hyphenation breaks, double spaces, bullets or interleaved chart text', () => {
    expectCleanText(data, { soft: true, hyphenBreaks: true, bullets: true, forbid: [/—\s|\s—/] });
    expectNoneMatch(data.groups, /Strive to|Be wary of|AVOIDING PITFALLS|PROMISING POLICIES/, {
      soft: true,
      path: 'groups',
    });
  });
});

describe('guidance validation', () => {
  it('refuses an entry id used twice, naming the field', () => {
    const bad = structuredClone(data);
    bad.groups[3]!.entries[1]!.id = 'cce.principle.authentic';
    const issues = issuesOf(bad, parseGuidance);
    expect(issues.map((i) => i.path)).toEqual(['groups[3].entries[1].id']);
    expect(issues[0]?.message).toContain('already used at groups[0].entries[1].id');
  });

  it('refuses "Be wary of" outside a check group', () => {
    const bad = structuredClone(data);
    (bad.groups[0]!.entries[0] as Record<string, unknown>)['bewareOf'] = 'Incrementalism';
    expect(issuesOf(bad, parseGuidance).map((i) => i.path)).toEqual([
      'groups[0].entries[0].bewareOf',
    ]);
  });

  it('refuses an unknown use and an empty body', () => {
    const bad = structuredClone(data) as {
      groups: { use: string; entries: { body: string[] }[] }[];
    };
    bad.groups[1]!.use = 'checklist';
    bad.groups[2]!.entries[0]!.body = [];
    expect(issuesOf(bad, parseGuidance).map((i) => i.path)).toEqual([
      'groups[1].use',
      'groups[2].entries[0].body',
    ]);
  });
});
