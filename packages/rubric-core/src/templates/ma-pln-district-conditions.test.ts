import { describe, it, expect } from 'vitest';
import data from './ma-pln-district-conditions.json' with { type: 'json' };
import {
  byId,
  expectCleanText,
  expectParses,
  findOne,
  indicatorsOf,
  mustParseTemplate,
} from './seed-checks.js';

const t = mustParseTemplate(data, 'rubric');
const section = (id: string) => byId(t.sections, id, 'section');
const indicatorText = (id: string) => byId(indicatorsOf(t.sections), id, 'indicator').text;

describe('ma-pln-district-conditions template', () => {
  it('parses with no issues', () => {
    expectParses(data);
  });

  it('has the identity and source of the seed', () => {
    expect(t.id).toBe('ma-pln-district-conditions');
    expect(t.version).toBe(1);
    expect(t.schemaVersion).toBe(1);
    expect(t.source.date).toBe('2015-08-21');
    expect(t.source.seed).toBe('000_58b1f95e59a88255.txt');
  });

  it('rates on a 1-4 ordinal scale, ready at 3', () => {
    expect(t.scale.levels.map((l) => l.value)).toEqual([1, 2, 3, 4]);
    expect(t.scale.levels.map((l) => l.label)).toEqual([
      'Area of Concern',
      'Initial Steps toward Sustainability',
      'Moving toward Sustainability',
      'Sustainable',
    ]);
    expect(t.scale.measurement).toBe('ordinal');
    expect(t.scale.readyAt).toBe(3);
  });

  it('has exactly 5 rated conditions with the seed counts, 28 indicators in total', () => {
    const rated = t.sections.filter((s) => s.scored);
    expect(rated.map((s) => s.id)).toEqual(['dc.1', 'dc.2', 'dc.3', 'dc.4', 'dc.5']);
    expect(rated.map((s) => s.number)).toEqual(['1', '2', '3', '4', '5']);
    expect(rated.map((s) => s.indicators.length)).toEqual([6, 4, 7, 3, 8]);
    expect(rated.every((s) => s.scale === undefined)).toBe(true);
    expect(rated.reduce((n, s) => n + s.indicators.length, 0)).toBe(28);
  });

  it('keeps the condition headings as the seed prints them', () => {
    expect(t.sections.map((s) => s.title)).toEqual([
      'District Leadership',
      'District Vision of Personalized Learning and Commitment to Multiple Personalized Learning Schools',
      'Commitment to Closing the Achievement Gap',
      'Aligned District and School Autonomies',
      'District Technology Infrastructure',
      'Required Areas of Autonomy and Flexibility',
    ]);
  });

  it("keeps the seed's own numbering, gaps included", () => {
    const numbers = (id: string) => section(id).indicators.map((i) => i.number);
    expect(numbers('dc.1')).toEqual(['1', '2', '4', '5', '6', '7']);
    expect(numbers('dc.1')).not.toContain('3');
    expect(numbers('dc.2')).toEqual(['1', '2', '3', '4']);
    expect(numbers('dc.3')).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(numbers('dc.4')).toEqual(['1', '2', '3']);
    expect(numbers('dc.5')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    for (const s of t.sections) {
      for (const i of s.indicators) expect(i.id).toBe(`${s.id}.${i.number}`);
    }
  });

  it('has the autonomy checklist as an unscored nominal section with 6 areas', () => {
    const a = section('dc.autonomy');
    expect(a.scored).toBe(false);
    expect(a.number).toBeUndefined();
    expect(a.scale?.measurement).toBe('nominal');
    expect(a.scale?.levels).toEqual([
      // The seed lists the areas every member school should have and prints no level words: a
      // plain yes/no, in no words the seed does not use.
      { value: 0, label: 'No' },
      { value: 1, label: 'Yes' },
    ]);
    expect(a.description).toMatch(/^The MA Personalized Learning Network \(PLN\) believes/);
    expect(a.description).toContain('adoption of a “thin contract” or side letter provision');
    expect(a.description).toMatch(/are the two strongest options\.$/);
    expect(a.indicators.map((i) => i.id)).toEqual([
      'dc.autonomy.1',
      'dc.autonomy.2',
      'dc.autonomy.3',
      'dc.autonomy.4',
      'dc.autonomy.5',
      'dc.autonomy.6',
    ]);
    expect(a.indicators.map((i) => i.title)).toEqual([
      'Staffing',
      'School Calendar',
      'Curriculum and Assessment',
      'Professional Development',
      'Budget',
      'Governance',
    ]);
    expect(a.indicators.map((i) => i.criteria?.length)).toEqual([3, 2, 3, 2, 3, 4]);
    for (const i of a.indicators) {
      expect(i.text).not.toContain('This includes');
      for (const c of i.criteria ?? []) expect(c).not.toMatch(/^[●•\s]/);
    }
  });

  it('has unique ids throughout', () => {
    const ids = t.sections.flatMap((s) => [s.id, ...s.indicators.map((i) => i.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(6 + 28 + 6);
  });

  it('transcribes indicator texts exactly (after OCR fixes)', () => {
    expect(indicatorText('dc.1.4')).toBe(
      'District leaders engage stakeholders in a variety of key decision-making forums in the development of a district vision for personalized learning.',
    );
    expect(indicatorText('dc.1.7')).toBe(
      'The district has overall financial health and the availability of funds to support personalized learning principles. Available funds can be repurposed to purchase digital content and assessments or to fund professional development focused on personalized learning.',
    );
    expect(indicatorText('dc.3.4')).toBe(
      'The district has demonstrated progress and shown patterns of improvement (over 2-5 years) for all students and subgroups in student performance data, such as performance-based assessments, course completion, college going rates, graduation rates, and standardized test performance.',
    );
    expect(indicatorText('dc.4.1')).toBe(
      'The District supports its school’s regulatory flexibility and decision-making power to best meet the needs of students and create the conditions that realize the school’s vision of personalized learning.',
    );
    expect(indicatorText('dc.4.2')).toBe(
      'Schools identified by the district for personalized learning are empowered to make decisions regarding staffing, budget, curriculum and assessment, professional development, governance, and schedule. (See page 4-5)',
    );
    expect(indicatorText('dc.4.2')).toContain('curriculum and assessment');
    expect(indicatorText('dc.5.5')).toBe(
      'Districts identify schools have bandwidth of at least 100 Kbps / student.',
    );
    // The authors' own wording is kept, not corrected.
    expect(indicatorText('dc.5.6')).toBe(
      'District campuses have on-demand IT support, and most student and teacher issues are addressed by a tech who has had have formal training and/or significant prior experience; organizational structure and roles are well defined; and skill proficiency.',
    );
  });

  it('transcribes autonomy texts and bullets exactly', () => {
    const a = section('dc.autonomy');
    const area = (n: string) => findOne(a.indicators, (x) => x.number === n, `area ${n}`);
    expect(area('1').text).toBe(
      'The freedom to manage staff members as needed in order to create a unified school community.',
    );
    expect(area('1').criteria?.[1]).toBe(
      'Decide on the staffing pattern, job descriptions, and assignments which best meet the academic, social, and emotional needs of students',
    );
    expect(area('3').criteria?.[0]).toBe(
      'Freedom from local district curriculum requirements – PLN schools should be able to choose what content to cover, how to cover it, and when to cover it',
    );
    expect(area('6').text).toBe(
      'Schools have the freedom to create their own governing bodies that have increased decision making powers, while being mindful of state requirements including state testing and school councils, and always with final approval by the receiver/superintendent.',
    );
    expect(area('6').criteria).toEqual([
      'Set and maintain the school vision',
      'Budget approval',
      'Approval of annual work conditions within the school',
      'Set policies that the school community feels will help promote student success',
    ]);
  });

  it('has no PDF line-break artifacts in any text', () => {
    expectCleanText(data, {
      hyphenBreaks: true,
      // footnote digits glued to a word or comma, e.g. "graduation rates,15 and"
      forbid: [/[a-z],\d+ /],
    });
  });
});
