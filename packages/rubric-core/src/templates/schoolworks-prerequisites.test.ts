import { describe, expect, it } from 'vitest';
import data from './schoolworks-prerequisites.json' with { type: 'json' };
import { expectCleanText, expectParses, findOne, mustParseTemplate } from './seed-checks.js';

const template = mustParseTemplate(data, 'checklist');
const section = template.sections[0]!;
const indicators = section.indicators;
const byTitle = (title: string) =>
  findOne(indicators, (i) => i.title === title, `category "${title}"`);

describe('schoolworks-prerequisites template', () => {
  it('parses with no issues', () => {
    expectParses(data);
    expect(template.id).toBe('schoolworks-prerequisites');
    expect(template.version).toBe(1);
    expect(template.source).toMatchObject({
      publisher: 'SchoolWorks',
      date: '2020-03',
      seed: '002_cf3249446ed14a1a.txt',
    });
    expect(template.source.notes).toContain(
      'Columbia University Center for Public Research and Leadership',
    );
    expect(template.source.notes).toContain('Asset to Implementation');
  });

  it('has one section with the 8 categories in seed order and their criteria counts', () => {
    expect(template.sections).toHaveLength(1);
    expect(section).toMatchObject({ id: 'pre', title: 'Prerequisites to Launch' });
    expect(indicators.map((i) => [i.number, i.title, i.criteria?.length ?? 0])).toEqual([
      ['1', 'Innovation', 0],
      ['2', 'Research', 0],
      ['3', 'Leadership', 0],
      ['4', 'Community Outreach and Buy-in', 3],
      ['5', 'Policy Supports and Flexibilities', 0],
      ['6', 'Funding', 3],
      ['7', 'Technology and Infrastructure', 5],
      ['8', 'Phased Approach / Launch Plan', 5],
    ]);
    for (const ind of indicators) {
      expect(ind.id).toMatch(/^pre\.[a-z0-9-]+$/);
      // The seed asks teams to document evidence but prints no prompt of its own.
      expect(ind.evidencePrompt).toBeUndefined();
    }
  });

  it('rates Barrier to Launch / Sufficient for Launch / Asset to Implementation, ready at 2', () => {
    expect(template.scale.levels.map((l) => [l.value, l.label])).toEqual([
      [1, 'Barrier to Launch'],
      [2, 'Sufficient for Launch'],
      [3, 'Asset to Implementation'],
    ]);
    expect(template.scale.measurement).toBe('ordinal');
    expect(template.scale.readyAt).toBe(2);
  });

  it('Barrier to Launch blocks launch and is the only blocking level', () => {
    expect(template.scale.levels.filter((l) => l.blocksLaunch).map((l) => l.label)).toEqual([
      'Barrier to Launch',
    ]);
  });

  it('keeps the seed wording (spot checks)', () => {
    expect(template.instructions).toBe(
      'The following list should be assessed in a team setting with representation from both the district (or network) and school levels. Teams should document evidence to support their conclusions and then rate each category as a Barrier to Launch, Sufficient for Launch, or an Asset to Launch. This list of prerequisites is based heavily on the 10 Building Blocks for Supporting the Transition to Personalized Learning developed by Columbia University Center for Public Research and Leadership and uses some language directly from that source document with permission.',
    );
    expect(byTitle('Innovation').text).toBe(
      "The district or network is willing to take reasonable risks to attempt new approaches and recognizes that innovation requires some experimentation. Within the district or network's accountability structures and chain of command, there is support for trying new approaches and a recognition that schools doing so may not be able to adhere to standard operating procedures. At the school level, there is a critical mass of teachers willing to adapt their practice. School leadership establishes a culture that allows early adopters to collaborate and test new ideas without fear of short-term consequences.",
    );
    expect(byTitle('Research').text).toBe(
      'There has been significant pre-work done. Teachers and school leaders have researched various online learning models, and determined which is best for their student population.',
    );
    expect(byTitle('Community Outreach and Buy-in').text).toBe(
      'The district or network and school have sought input from teachers, students, and families and fostered sufficient support to complete a reasonable pilot phase:',
    );
    expect(byTitle('Community Outreach and Buy-in').criteria).toEqual([
      'Teachers and school leaders have been involved in research, visioning, and open conversation regarding ideas and concerns.',
      'Families have been engaged and are open to piloting the approach.',
      'As age-appropriate, students have been engaged.',
    ]);
    expect(byTitle('Funding').criteria?.[2]).toBe(
      'Funding is equitable; resources and materials are allocated so that learning can be maximized for ALL students.',
    );
    expect(byTitle('Technology and Infrastructure').criteria?.[3]).toBe(
      'The school ensures that access to the learner profile (if applicable) is secure and all student information remains confidential as required by the Family Educational Rights and Privacy Act (FERPA) and the Children’s Online Privacy Protection Act (COPPA).',
    );
    expect(byTitle('Phased Approach / Launch Plan').text).toBe(
      'The school has a launch and implementation plan, including a timeline and a plan to measure success.',
    );
    expect(byTitle('Phased Approach / Launch Plan').criteria?.[0]).toBe(
      'Plans are made at district or network level to address Policy Supports and Flexibilities, Funding Sources and Technology, and Infrastructure before launch.',
    );
  });

  it('has no markup, entities, bullets, double spaces or stray line breaks in any string', () => {
    expectCleanText(data, { markup: true, bullets: true });
  });
});
