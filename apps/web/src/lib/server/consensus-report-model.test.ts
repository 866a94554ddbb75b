import {
  createAssessment,
  createChecklist,
  indicatorEvidence,
  recordConsensus,
  replaceRichText,
  setTeamRating,
  writeOpenRound,
  writeReveal,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import {
  maPlnDistrictConditions as dc,
  schoolworksPrerequisites as prereq,
} from '@concord/rubric-core/templates';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  attachment,
  inert,
  readReport,
  reportFileName,
  reportSummary,
  reportTable,
  writeReportCsv,
} from './consensus-report-model';

const FACILITATOR = '00000000-0000-4000-8000-00000000000f';
const ZOE = '00000000-0000-4000-8000-0000000000a1';
const BEN = '00000000-0000-4000-8000-0000000000b2';
const people = { [FACILITATOR]: 'Fátima Ölçer, facilitator', [ZOE]: 'Zoë Ñúñez', [BEN]: 'Ben' };
const stamp = { by: FACILITATOR, at: '2026-12-01T10:00:00.000Z' };

const ids = (section: string) =>
  outline(dc)
    .entries.filter((e) => e.section.id === section)
    .map((e) => e.indicator.id);
const dc1 = ids('dc.1');
const first = outline(dc).entries[0]!;

const RATIONALE = 'We agreed, "mostly", after a long talk,\nand a second paragraph: café ☕';

/** Round 1 anonymised over dc.1, round 2 named over dc.1 again; a decision on the first item. */
function assessmentDoc(): Y.Doc {
  const doc = new Y.Doc();
  createAssessment(doc, dc);
  writeOpenRound(
    doc,
    1,
    { sections: ['dc.1'], anonymised: true, deadline: null },
    { A: 'Rater A', B: 'Rater B' },
    stamp,
  );
  writeReveal(
    doc,
    'r1',
    { 'dc.1': { [dc1[0]!]: { A: 1, B: 3 }, [dc1[1]!]: { A: 2, B: null } } },
    stamp,
  );
  writeOpenRound(
    doc,
    2,
    { sections: ['dc.1'], anonymised: false, deadline: null },
    { [ZOE]: 'Zoë Ñúñez', [BEN]: 'Ben' },
    stamp,
  );
  writeReveal(
    doc,
    'r2',
    { 'dc.1': { [dc1[0]!]: { [ZOE]: 2, [BEN]: 2 }, [dc1[1]!]: { [ZOE]: 9, [BEN]: 1 } } },
    stamp,
  );
  recordConsensus(doc, dc, {
    indicatorId: dc1[0]!,
    value: 2,
    by: FACILITATOR,
    at: '2026-12-02T11:30:00.000Z',
    rationale: RATIONALE,
  });
  replaceRichText(indicatorEvidence(doc, dc, dc1[0]!), '=HYPERLINK("http://x") minutes, p. 4');
  return doc;
}

/** One anonymised round over dc.1, revealed. */
function anonymisedOnly(): Y.Doc {
  const doc = new Y.Doc();
  createAssessment(doc, dc);
  writeOpenRound(
    doc,
    1,
    { sections: ['dc.1'], anonymised: true, deadline: null },
    { A: 'Rater A', B: 'Rater B' },
    stamp,
  );
  writeReveal(doc, 'r1', { 'dc.1': { [dc1[0]!]: { A: 1, B: 3 } } }, stamp);
  return doc;
}

describe('readReport', () => {
  it('reads every item with its rounds, the decision by name and the texts', () => {
    const report = readReport(assessmentDoc(), dc, people);
    expect(report.decisionWord).toBe('Consensus');
    const items = report.sections.flatMap((s) => s.items);
    expect(items.map((i) => i.id)).toEqual(outline(dc).entries.map((e) => e.indicator.id));
    const item = items[0]!;
    expect(item.statement).toBe(first.indicator.text);
    expect(item.status).toBe('agreed');
    expect(item.decision).toMatchObject({
      value: 2,
      by: 'Fátima Ölçer, facilitator',
      at: '2026-12-02T11:30:00.000Z',
    });
    expect(item.decision!.label).toBe(first.scale.levels.find((l) => l.value === 2)!.label);
    expect(item.rationale).toBe(RATIONALE);
    expect(item.rounds.map((r) => r.ratings.map((x) => [x.rater, x.value]))).toEqual([
      [
        ['Rater A', 1],
        ['Rater B', 3],
      ],
      [
        ['Zoë Ñúñez', 2],
        ['Ben', 2],
      ],
    ]);
    // A value not on the scale reads as not rated; so does a rater missing from the snapshot.
    expect(items[1]!.rounds[1]!.ratings[0]).toMatchObject({ value: null, label: 'Not rated' });
    expect(items[2]!.rounds[0]!.ratings.map((r) => r.value)).toEqual([null, null]);
    // Another section: no round revealed it.
    expect(items.find((i) => i.sectionId !== 'dc.1')!.rounds).toEqual([]);
  });
});

describe('the CSV', () => {
  it('reads back with csv-parse: quotes, commas, newlines and non-ASCII names intact', () => {
    const csv = writeReportCsv(readReport(assessmentDoc(), dc, people));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows: string[][] = parse(csv, { bom: true });
    const [header, ...body] = rows;
    expect(header).toEqual([
      'Section',
      'Item',
      'Title',
      'Statement',
      'Round',
      'Rater A',
      'Rater B',
      'Zoë Ñúñez',
      'Ben',
      'Consensus level',
      'Consensus',
      'Status',
      'Recorded by',
      'Recorded at',
      'Rationale',
      'Evidence',
    ]);
    const col = (name: string) => header!.indexOf(name);
    // One row per item and round: two rounds for each dc.1 item, one row for every other item.
    expect(body).toHaveLength(outline(dc).entries.length + dc1.length);
    const [r1, r2] = body.filter((r) => r[col('Item')] === '1.1');
    expect(r1![col('Round')]).toBe('1');
    expect([r1![col('Rater A')], r1![col('Rater B')], r1![col('Zoë Ñúñez')]]).toEqual([
      '1',
      '3',
      '',
    ]);
    expect(r2![col('Round')]).toBe('2');
    expect([r2![col('Rater A')], r2![col('Zoë Ñúñez')], r2![col('Ben')]]).toEqual(['', '2', '2']);
    for (const row of [r1!, r2!]) {
      expect(row[col('Statement')]).toBe(first.indicator.text);
      expect(row[col('Consensus level')]).toBe('2');
      expect(row[col('Status')]).toBe('Agreed');
      expect(row[col('Recorded by')]).toBe('Fátima Ölçer, facilitator');
      expect(row[col('Recorded at')]).toBe('2026-12-02T11:30:00.000Z');
      expect(row[col('Rationale')]).toBe(RATIONALE);
      // A formula someone typed is made inert.
      expect(row[col('Evidence')]).toBe(`'=HYPERLINK("http://x") minutes, p. 4`);
    }
    const notRated = body.find((r) => r[col('Item')] === '1.2' && r[col('Round')] === '2')!;
    expect(notRated[col('Zoë Ñúñez')]).toBe('Not rated');
    const other = body.find((r) => r[col('Round')] === '')!;
    expect(other[col('Status')]).toBe('Not discussed');
    expect(other[col('Consensus')]).toBe('');
  });

  it('a checklist says team rating', () => {
    const doc = new Y.Doc();
    createChecklist(doc, prereq);
    const id = outline(prereq).entries[0]!.indicator.id;
    const level = outline(prereq).entries[0]!.scale.levels[0]!;
    setTeamRating(doc, prereq, {
      indicatorId: id,
      value: level.value,
      by: FACILITATOR,
      at: stamp.at,
    });
    const table = reportTable(readReport(doc, prereq, people));
    expect(table[0]).toContain('Team rating level');
    expect(table[1]).toContain(level.label);
  });

  it('inert, file name and header', () => {
    expect(inert('=1+1')).toBe("'=1+1");
    // A plain number, negative too, stays a number; text that only starts like one does not.
    expect(inert('-3')).toBe('-3');
    expect(inert('-3+cmd')).toBe("'-3+cmd");
    expect(inert('fine = good')).toBe('fine = good');
    const name = reportFileName('Springfield 2026/27', 'District Conditions: "draft"');
    expect(name).toBe('Springfield 2026 27 - District Conditions draft - consensus.csv');
    expect(attachment('Zoë - x.csv')).toBe(
      `attachment; filename="Zo_ - x.csv"; filename*=UTF-8''Zo%C3%AB%20-%20x.csv`,
    );
  });
});

/** Who each letter stands for (round_raters), as the loader gives it to a facilitator only. The
 * named round's entry is there to show it is not read: a named round's names are real already. */
const REAL_NAMES = {
  r1: { A: 'Ben', B: 'Zoë Ñúñez' },
  r2: { [ZOE]: 'not this', [BEN]: 'nor this' },
};

describe('real names in an anonymised round', () => {
  it('are shown beside the letters when given, in every rating and in the CSV header', () => {
    const report = readReport(assessmentDoc(), dc, people, REAL_NAMES);
    const item = report.sections[0]!.items[0]!;
    expect(item.rounds.map((r) => r.ratings.map((x) => [x.rater, x.value]))).toEqual([
      [
        ['Rater A (Ben)', 1],
        ['Rater B (Zoë Ñúñez)', 3],
      ],
      [
        ['Zoë Ñúñez', 2],
        ['Ben', 2],
      ],
    ]);
    const rows: string[][] = parse(writeReportCsv(report), { bom: true });
    const [header, ...body] = rows;
    // The same columns in the same order as without the names; only the labels say more.
    expect(header!.slice(4, 9)).toEqual([
      'Round',
      'Rater A (Ben)',
      'Rater B (Zoë Ñúñez)',
      'Zoë Ñúñez',
      'Ben',
    ]);
    expect(header).toHaveLength(16);
    const r1 = body.find((r) => r[1] === '1.1' && r[4] === '1')!;
    expect(r1.slice(5, 9)).toEqual(['1', '3', '', '']);
  });

  it('a key the mapping lacks keeps its letter alone', () => {
    const report = readReport(assessmentDoc(), dc, people, { r1: { A: 'Ben' } });
    expect(report.sections[0]!.items[0]!.rounds[0]!.ratings.map((r) => r.rater)).toEqual([
      'Rater A (Ben)',
      'Rater B',
    ]);
  });

  it('are nowhere without them: letters only, in the report, the CSV and the heatmap', () => {
    const report = readReport(assessmentDoc(), dc, people, null);
    expect(report.raterNames['r1']).toEqual({ A: 'Rater A', B: 'Rater B' });
    const csv = writeReportCsv(report);
    expect(csv).not.toContain('Rater A (');
    const header = reportTable(report)[0]!;
    expect(header.filter((h) => h.startsWith('Rater'))).toEqual(['Rater A', 'Rater B']);
    const doc = anonymisedOnly();
    const summary = reportSummary(dc, readReport(doc, dc, people));
    expect(summary.heatmap?.raters.map((r) => r.name)).toEqual(['Rater A', 'Rater B']);
  });

  it('the print page heatmap names them too when given', () => {
    const summary = reportSummary(dc, readReport(anonymisedOnly(), dc, people, REAL_NAMES));
    expect(summary.heatmap?.roundNumber).toBe(1);
    expect(summary.heatmap?.raters.map((r) => r.name)).toEqual([
      'Rater A (Ben)',
      'Rater B (Zoë Ñúñez)',
    ]);
  });
});

describe('reportSummary', () => {
  it('scores from the decision, else the latest round; the heatmap of the latest reveal', () => {
    const report = readReport(assessmentDoc(), dc, people);
    const summary = reportSummary(dc, report);
    expect(summary.readiness).toBeNull();
    expect(summary.heatmap?.roundNumber).toBe(2);
    expect(summary.lowest).toEqual([]);
    const s1 = summary.scores.sections.find((s) => s.sectionId === 'dc.1')!;
    expect(s1.withConsensus).toBe(1);
    expect(s1.basis).toBe('mixed');
  });

  it('launch readiness for a checklist', () => {
    const doc = new Y.Doc();
    createChecklist(doc, prereq);
    const summary = reportSummary(prereq, readReport(doc, prereq, people));
    expect(summary.readiness?.status).toBe('incomplete');
    expect(summary.heatmap).toBeNull();
  });
});

describe('reportSummary lowest', () => {
  it('lists decisions at the lowest level of their scale', () => {
    const doc = assessmentDoc();
    const low = first.scale.levels[0]!;
    recordConsensus(doc, dc, {
      indicatorId: dc1[1]!,
      value: low.value,
      by: FACILITATOR,
      at: stamp.at,
    });
    const { lowest } = reportSummary(dc, readReport(doc, dc, people));
    expect(lowest.map((l) => [l.id, l.level])).toEqual([[dc1[1]!, low.label]]);
  });
});
