/**
 * The pure mapping from an instrument document to query-table rows (projection-rows.ts): the
 * consensus as the readers see it, and ratings from revealed round snapshots only, a later
 * reveal replacing an earlier one, anonymised keys turned into users, nothing private.
 */
import {
  consensusRationale,
  createAssessment,
  createChecklist,
  createRatings,
  recordConsensus,
  replaceRichText,
  sectionItems,
  setIndicatorStatus,
  setRating,
  setTeamRating,
  writeOpenRound,
  writeReveal,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import {
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { consensusRows, instrumentRows, revealedRatingRows } from './projection-rows.js';

const FAC = '00000000-0000-4000-8000-0000000000fa';
const ANA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const AT = '2026-12-01T10:00:00.000Z';

const entries = outline(rubric).entries;
const sections = [...new Set(entries.map((e) => e.section.id))];
const [s1, s2] = [sections[0]!, sections[1]!];
const items1 = sectionItems(rubric, [s1]).get(s1)!;
const items2 = sectionItems(rubric, [s2]).get(s2)!;
const levels = entries[0]!.scale.levels.map((l) => l.value);

function assessment(): Y.Doc {
  const doc = new Y.Doc();
  createAssessment(doc, rubric);
  return doc;
}

function reveal(
  doc: Y.Doc,
  number: number,
  section: string,
  ratings: Record<string, Record<string, number | null>>,
  raters: Record<string, string>,
) {
  const id = `r${number}`;
  writeOpenRound(doc, number, { sections: [section], anonymised: false, deadline: null }, raters, {
    by: FAC,
    at: AT,
  });
  writeReveal(doc, id, { [section]: ratings }, { by: FAC, at: AT });
}

describe('consensus rows', () => {
  it('has one row per indicator: status, decision and rationale as the readers see them', () => {
    const doc = assessment();
    const [a, b, c] = [
      entries[0]!.indicator.id,
      entries[1]!.indicator.id,
      entries[2]!.indicator.id,
    ];
    recordConsensus(doc, rubric, { indicatorId: a, value: levels[2]!, by: FAC, at: AT });
    replaceRichText(consensusRationale(doc, rubric, a), 'Coaching is funded  ');
    setIndicatorStatus(doc, rubric, b, 'in-discussion');
    // A decision whose author is not a user id keeps its level, without the author.
    recordConsensus(doc, rubric, { indicatorId: c, value: levels[1]!, by: 'someone', at: AT });

    const rows = consensusRows(doc, rubric);
    expect(rows.map((r) => r.indicatorId)).toEqual(entries.map((e) => e.indicator.id));
    expect(rows[0]).toEqual({
      indicatorId: a,
      value: levels[2],
      rationale: 'Coaching is funded  ',
      status: 'agreed',
      decidedBy: FAC,
      decidedAt: AT,
    });
    expect(rows[1]).toEqual({
      indicatorId: b,
      value: null,
      rationale: null,
      status: 'in-discussion',
      decidedBy: null,
      decidedAt: null,
    });
    expect(rows[2]).toMatchObject({ value: levels[1], decidedBy: null, status: 'agreed' });
    expect(rows[3]).toMatchObject({ status: 'not-discussed', value: null });
  });

  it('reads a checklist’s team ratings', () => {
    const doc = new Y.Doc();
    createChecklist(doc, checklist);
    const first = outline(checklist).entries[0]!;
    const level = first.scale.levels[1]!.value;
    setTeamRating(doc, checklist, {
      indicatorId: first.indicator.id,
      value: level,
      by: FAC,
      at: AT,
    });
    const rows = consensusRows(doc, checklist);
    expect(rows).toHaveLength(outline(checklist).entries.length);
    expect(rows[0]).toMatchObject({ value: level, status: 'agreed', decidedBy: FAC });
  });

  it('reads junk as absent, never throws', () => {
    const doc = assessment();
    const id = entries[0]!.indicator.id;
    const item = doc.getMap('items').get(id) as Y.Map<unknown>;
    item.set('decision', { value: 'high', by: FAC, at: AT });
    item.set('status', 'agreed');
    expect(consensusRows(doc, rubric)[0]).toMatchObject({ status: 'in-discussion', value: null });
  });
});

describe('ratings rows', () => {
  it('are empty before a reveal, whatever the raters have rated', () => {
    const doc = assessment();
    writeOpenRound(
      doc,
      1,
      { sections: [s1], anonymised: false, deadline: null },
      {
        [ANA]: 'Ana',
      },
      { by: FAC, at: AT },
    );
    // A rater's own ratings document is not an input at all: only the instrument is.
    const mine = new Y.Doc();
    createRatings(mine, rubric);
    setRating(mine, rubric, items1[0]!, levels[0]!);
    expect(revealedRatingRows(doc, rubric, { r1: { [ANA]: ANA } })).toEqual([]);
  });

  it('hold each rater’s revealed level per item, null where not rated', () => {
    const doc = assessment();
    reveal(
      doc,
      1,
      s1,
      Object.fromEntries(items1.map((id, i) => [id, { [ANA]: levels[i % 4]!, [BEN]: null }])),
      { [ANA]: 'Ana', [BEN]: 'Ben' },
    );
    const rows = revealedRatingRows(doc, rubric, { r1: { [ANA]: ANA, [BEN]: BEN } });
    expect(rows).toHaveLength(items1.length * 2);
    expect(rows.slice(0, 2)).toEqual([
      { indicatorId: items1[0], raterId: ANA, value: levels[0], roundId: 'r1' },
      { indicatorId: items1[0], raterId: BEN, value: null, roundId: 'r1' },
    ]);
  });

  it('name the user behind an anonymised key, and leave out a key nobody is known for', () => {
    const doc = assessment();
    reveal(
      doc,
      1,
      s1,
      { [items1[0]!]: { A: levels[1]!, B: levels[2]!, C: levels[0]! } },
      {
        A: 'Rater A',
        B: 'Rater B',
        C: 'Rater C',
      },
    );
    const rows = revealedRatingRows(doc, rubric, { r1: { A: BEN, B: ANA } });
    expect(rows).toEqual([
      { indicatorId: items1[0], raterId: ANA, value: levels[2], roundId: 'r1' },
      { indicatorId: items1[0], raterId: BEN, value: levels[1], roundId: 'r1' },
    ]);
  });

  it('keep every round’s reveal of an item side by side; an open round adds nothing', () => {
    const doc = assessment();
    const [x, y] = [items1[0]!, items1[1]!];
    reveal(
      doc,
      1,
      s1,
      { [x]: { [ANA]: levels[0]!, [BEN]: levels[3]! }, [y]: { [ANA]: levels[1]! } },
      {
        [ANA]: 'Ana',
        [BEN]: 'Ben',
      },
    );
    // Round 2 re-rates the section with Ana only; round 3 is open over s2, not revealed.
    reveal(doc, 2, s1, { [x]: { [ANA]: levels[2]! } }, { [ANA]: 'Ana' });
    writeOpenRound(
      doc,
      3,
      { sections: [s2], anonymised: false, deadline: null },
      {
        [ANA]: 'Ana',
      },
      { by: FAC, at: AT },
    );
    const users = { r1: { [ANA]: ANA, [BEN]: BEN }, r2: { [ANA]: ANA }, r3: { [ANA]: ANA } };
    const [first, second] = ANA < BEN ? [ANA, BEN] : [BEN, ANA];
    const value = (rater: string) => (rater === ANA ? levels[0] : levels[3]);
    expect(revealedRatingRows(doc, rubric, users)).toEqual([
      { indicatorId: x, raterId: first, value: value(first), roundId: 'r1' },
      { indicatorId: x, raterId: second, value: value(second), roundId: 'r1' },
      { indicatorId: x, raterId: ANA, value: levels[2], roundId: 'r2' },
      { indicatorId: y, raterId: ANA, value: levels[1], roundId: 'r1' },
    ]);
    expect(items2.length).toBeGreaterThan(0);
  });

  it('leave out items that are not indicators of the template', () => {
    const doc = assessment();
    reveal(
      doc,
      1,
      s1,
      { 'not-an-item': { [ANA]: 1 }, [items1[0]!]: { [ANA]: levels[0]! } },
      {
        [ANA]: 'Ana',
      },
    );
    expect(instrumentRows(doc, rubric, { r1: { [ANA]: ANA } }).ratings).toEqual([
      { indicatorId: items1[0], raterId: ANA, value: levels[0], roundId: 'r1' },
    ]);
  });
});
