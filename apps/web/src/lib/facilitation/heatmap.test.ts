import { summarizeAssessment } from '@concord/rubric-core';
import { maPlnDistrictConditions, maPlnSchoolPlanning } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { idsOf, roundOf as fixtureRound, type Snapshot } from './test-round';
import {
  filterHeatmap,
  heatmapModel,
  NOT_RATED,
  patternOf,
  sectionChoices,
  type HeatmapRow,
} from './heatmap';
import { revealedData } from './statistics';

const roundOf = (
  revealed: Snapshot,
  raters: Record<string, string> = { A: 'Rater A', B: 'Rater B', C: 'Rater C' },
  sections = Object.keys(revealed),
) => fixtureRound(revealed, raters, 2, sections);

const dc = maPlnDistrictConditions;
const dc1 = idsOf(dc, 'dc.1');
const auto = idsOf(dc, 'dc.autonomy');

/** Planted: item 0 has one outlier (1 against 3, 3), item 1 a spread (1, 2, 3), item 2 adjacent
 * ratings, item 3 one rater missing; the other items of dc.1 nobody rated. */
const planted: Snapshot = {
  'dc.1': {
    [dc1[0]!]: { A: 1, B: 3, C: 3 },
    [dc1[1]!]: { A: 1, B: 2, C: 3 },
    [dc1[2]!]: { A: 2, B: 3, C: 3 },
    [dc1[3]!]: { A: 4, B: null, C: 4 },
  },
  'dc.autonomy': { [auto[0]!]: { A: 0, B: 1, C: 1 } },
};

const row = (rows: HeatmapRow[], id: string) => {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
};

describe('heatmapModel', () => {
  const model = heatmapModel(dc, roundOf(planted, undefined, ['dc.1', 'dc.2', 'dc.autonomy']));
  const rows = model.groups.flatMap((g) => g.rows);

  it('has a row for every revealed item, template order, grouped under the page headings', () => {
    expect(model.roundNumber).toBe(2);
    expect(model.groups.map((g) => [g.sectionId, g.heading, g.part])).toEqual([
      ['dc.1', '1 District Leadership', null],
      ['dc.autonomy', 'Required Areas of Autonomy and Flexibility', null],
    ]);
    expect(rows.map((r) => r.id)).toEqual([...dc1, ...auto]);
    expect(rows[0]?.label).toBe('1.1');
    expect(rows[0]?.name).toMatch(/^1\.1 The district Leadership Team/);
    expect(row(rows, auto[0]!).name).toBe('1 Staffing');
  });

  it('gives each rater a cell with the level number, its label and a pattern, or "not rated"', () => {
    expect(model.raters).toEqual([
      { key: 'A', name: 'Rater A' },
      { key: 'B', name: 'Rater B' },
      { key: 'C', name: 'Rater C' },
    ]);
    expect(row(rows, dc1[0]!).cells).toEqual([
      { raterKey: 'A', value: 1, pattern: 0, label: 'Area of Concern', text: '1' },
      { raterKey: 'B', value: 3, pattern: 2, label: 'Moving toward Sustainability', text: '3' },
      { raterKey: 'C', value: 3, pattern: 2, label: 'Moving toward Sustainability', text: '3' },
    ]);
    const missing = row(rows, dc1[3]!);
    expect(missing.cells[1]).toEqual({
      raterKey: 'B',
      value: null,
      pattern: null,
      label: NOT_RATED,
      text: '–',
    });
    expect(missing.rated).toBe(2);
    expect(row(rows, dc1[4]!).rated).toBe(0);
    // The yes/no list: its own labels, lowest and highest pattern.
    expect(row(rows, auto[0]!).cells.map((c) => [c.label, c.pattern])).toEqual([
      ['No', 0],
      ['Yes', 3],
      ['Yes', 3],
    ]);
  });

  it('flags ratings two or more levels apart with the reason in words', () => {
    expect(row(rows, dc1[0]!).flag).toEqual({
      kind: 'one-outlier',
      reason: 'one outlier',
      detail: 'one rater chose Area of Concern; the others Moving toward Sustainability',
      text: 'One outlier: one rater chose Area of Concern; the others Moving toward Sustainability',
    });
    expect(row(rows, dc1[1]!).flag?.text).toBe(
      'Spread of 2+ levels: ratings from Area of Concern to Moving toward Sustainability',
    );
    expect(row(rows, dc1[2]!).flag).toBeNull();
    expect(row(rows, dc1[3]!).flag).toBeNull();
    expect(model.flagged).toBe(2);
  });

  it("takes its flags from rubric-core's summary of the same ratings", () => {
    const { ratings } = revealedData(dc, roundOf(planted));
    const stats = summarizeAssessment(dc, ratings).stats;
    for (const r of rows) expect(r.flag?.kind ?? null).toBe(stats.get(r.id)?.flag?.kind ?? null);
  });

  it('finds a split group among four raters', () => {
    const four = { A: 'Rater A', B: 'Rater B', C: 'Rater C', D: 'Rater D' };
    const m = heatmapModel(
      dc,
      roundOf({ 'dc.1': { [dc1[0]!]: { A: 1, B: 1, C: 4, D: 4 } } }, four),
    );
    expect(m.groups[0]?.rows[0]?.flag?.text).toBe(
      'Split group: 2 chose Area of Concern, 2 chose Sustainable',
    );
  });

  it('lists a legend per scale, named by section where they differ', () => {
    expect(model.scales.map((s) => s.title)).toEqual([
      'Levels',
      'Levels in Required Areas of Autonomy and Flexibility',
    ]);
    expect(model.scales[0]?.levels).toEqual([
      { value: 1, label: 'Area of Concern', pattern: 0 },
      { value: 2, label: 'Initial Steps toward Sustainability', pattern: 1 },
      { value: 3, label: 'Moving toward Sustainability', pattern: 2 },
      { value: 4, label: 'Sustainable', pattern: 3 },
    ]);
    const one = heatmapModel(dc, roundOf({ 'dc.autonomy': planted['dc.autonomy']! }));
    expect(one.scales.map((s) => s.title)).toEqual(['Levels']);
  });

  it('shows names given for rater keys, raters only the ratings name, and reads an off-scale value as not rated', () => {
    const m = heatmapModel(
      dc,
      roundOf({ 'dc.1': { [dc1[0]!]: { A: 9, B: 2, Z: 3 } } }, { A: 'Rater A', B: 'Rater B' }),
      { A: 'Ana Alvarez' },
    );
    expect(m.raters).toEqual([
      { key: 'A', name: 'Ana Alvarez' },
      { key: 'B', name: 'Rater B' },
      { key: 'Z', name: 'Z' },
    ]);
    expect(m.groups[0]?.rows[0]?.cells.map((c) => c.text)).toEqual(['–', '2', '3']);
  });
});

describe('filterHeatmap', () => {
  const model = heatmapModel(dc, roundOf(planted));

  it('keeps one section, or flagged items only, and the legend of what is shown', () => {
    const all = filterHeatmap(model, { section: null, flaggedOnly: false });
    expect(all.rows).toBe(dc1.length + auto.length);
    expect(all.scales).toHaveLength(2);

    const section = filterHeatmap(model, { section: 'dc.autonomy', flaggedOnly: false });
    expect(section.groups.map((g) => g.sectionId)).toEqual(['dc.autonomy']);
    expect(section.scales.map((s) => s.title)).toEqual([
      'Levels in Required Areas of Autonomy and Flexibility',
    ]);

    const flagged = filterHeatmap(model, { section: null, flaggedOnly: true });
    expect(flagged.groups.map((g) => g.sectionId)).toEqual(['dc.1']);
    expect(flagged.groups[0]?.rows.map((r) => r.id)).toEqual([dc1[0], dc1[1]]);
    expect(flagged.rows).toBe(2);
    expect(flagged.scales).toHaveLength(1);

    expect(filterHeatmap(model, { section: 'dc.autonomy', flaggedOnly: true }).rows).toBe(0);
  });
});

describe('the School Planning Tool', () => {
  const spt = maPlnSchoolPlanning;
  const c1 = idsOf(spt, 'spt.c1');
  const c2 = idsOf(spt, 'spt.c2');
  const p1 = idsOf(spt, 'spt.p1');
  const model = heatmapModel(
    spt,
    roundOf({
      'spt.p1': { [p1[0]!]: { A: 1, B: 4, C: 4 } },
      'spt.c2': { [c2[0]!]: { A: 2, B: 2, C: 2 } },
      'spt.c1': { [c1[0]!]: { A: 3, B: 3, C: 2 } },
    }),
  );

  it('names conditions and principles apart, under their parts', () => {
    expect(model.groups.map((g) => [g.heading, g.part?.title])).toEqual([
      ['Condition 1: School Leadership & Vision', 'School Conditions for Personalized Learning'],
      [
        'Condition 2: Aligned District and School Autonomies',
        'School Conditions for Personalized Learning',
      ],
      ['Principle 1: Dispositions for Learning', 'Principles of Personalized Learning'],
    ]);
    expect(model.groups[2]?.rows[0]?.label).toBe('Principle 1.1');
  });

  it("prints a part's heading before the first group shown of it", () => {
    const all = filterHeatmap(model, { section: null, flaggedOnly: false });
    expect(all.groups.map((g) => g.partHeading)).toEqual([
      'School Conditions for Personalized Learning',
      null,
      'Principles of Personalized Learning',
    ]);
    const c2only = filterHeatmap(model, { section: 'spt.c2', flaggedOnly: false });
    expect(c2only.groups[0]?.partHeading).toBe('School Conditions for Personalized Learning');
  });

  it('offers the revealed sections by part, with their flag counts', () => {
    expect(sectionChoices(model)).toEqual([
      {
        part: 'School Conditions for Personalized Learning',
        sections: [
          { id: 'spt.c1', heading: 'Condition 1: School Leadership & Vision', flagged: 0 },
          {
            id: 'spt.c2',
            heading: 'Condition 2: Aligned District and School Autonomies',
            flagged: 0,
          },
        ],
      },
      {
        part: 'Principles of Personalized Learning',
        sections: [{ id: 'spt.p1', heading: 'Principle 1: Dispositions for Learning', flagged: 1 }],
      },
    ]);
  });
});

describe('patternOf', () => {
  it('spreads scales of up to four levels from the lowest pattern to the highest', () => {
    expect([0, 1, 2, 3].map((p) => patternOf(p, 4))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2].map((p) => patternOf(p, 3))).toEqual([0, 2, 3]);
    expect([0, 1].map((p) => patternOf(p, 2))).toEqual([0, 3]);
    expect(patternOf(0, 1)).toBe(0);
    expect([0, 5, 6, 7].map((p) => patternOf(p, 8))).toEqual([0, 5, 0, 1]);
  });
});
