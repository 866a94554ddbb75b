import { outline, summarizeAssessment } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anonymousKey,
  fullyRevealed,
  latestRound,
  openRound,
  progressOf,
  roundItems,
  readFrozen,
  readRounds,
  revealedRatings,
  sectionItems,
  writeClose,
  writeFrozen,
  writeNudge,
  writeOpenRound,
  writeProgress,
  writeRater,
  writeReveal,
  writeTimer,
} from './round.js';

const stamp = { by: 'fac-1', at: '2026-12-07T19:00:00.000Z' };
const sections = [...new Set(outline(rubric).entries.map((e) => e.section.id))];
const first = sections[0]!;
const second = sections[1]!;

function docWithRound(anonymised = false) {
  const doc = new Y.Doc();
  doc.clientID = 1;
  const id = writeOpenRound(
    doc,
    1,
    { sections: [first, second], items: null, anonymised, deadline: '2026-12-10' },
    { 'u-ana': 'Ana', 'u-ben': 'Ben' },
    stamp,
  );
  return { doc, id };
}

describe('rating rounds', () => {
  it('reads back a round as it was opened', () => {
    const { doc, id } = docWithRound();
    expect(id).toBe('r1');
    const round = latestRound(doc)!;
    expect(round).toMatchObject({
      id: 'r1',
      number: 1,
      sections: [first, second],
      items: null,
      anonymised: false,
      deadline: '2026-12-10',
      opened: stamp,
      closed: null,
      raters: { 'u-ana': 'Ana', 'u-ben': 'Ben' },
      progress: {},
      revealed: {},
    });
    expect(openRound(doc)?.id).toBe('r1');
  });

  it('survives a round trip through an update (another replica reads the same)', () => {
    const { doc } = docWithRound();
    writeProgress(doc, 'r1', 'u-ana', { [first]: 2, [second]: 0 });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readRounds(copy)).toEqual(readRounds(doc));
  });

  it('writes progress only when the counts change', () => {
    const { doc } = docWithRound();
    expect(writeProgress(doc, 'r1', 'u-ana', { [first]: 2 })).toBe(true);
    expect(writeProgress(doc, 'r1', 'u-ana', { [first]: 2 })).toBe(false);
    expect(writeProgress(doc, 'r1', 'u-ana', { [first]: 3 })).toBe(true);
    expect(latestRound(doc)!.progress).toEqual({ 'u-ana': { [first]: 3 } });
  });

  it('counts rated items per section, and only levels of the scale', () => {
    const items = sectionItems(rubric, [first]).get(first)!;
    const level = outline(rubric).entries[0]!.scale.levels[0]!.value;
    const ratings = { [items[0]!]: level, [items[1]!]: 99, [items[2]!]: null };
    expect(progressOf(rubric, { sections: [first, second], items: null }, ratings)).toEqual({
      [first]: 1,
      [second]: 0,
    });
  });

  it('a round on chosen items rates and counts only those', () => {
    const items = sectionItems(rubric, [first]).get(first)!;
    const doc = new Y.Doc();
    doc.clientID = 1;
    writeOpenRound(
      doc,
      2,
      { sections: [first], items: [items[1]!], anonymised: false, deadline: null },
      { 'u-ana': 'Ana' },
      stamp,
    );
    const round = latestRound(doc)!;
    expect(round.items).toEqual([items[1]]);
    expect(roundItems(rubric, round)).toEqual(new Map([[first, [items[1]]]]));
    const level = outline(rubric).entries[0]!.scale.levels[0]!.value;
    // Rated before (round 1) and now: only the chosen item counts.
    expect(progressOf(rubric, round, { [items[0]!]: level, [items[1]!]: level })).toEqual({
      [first]: 1,
    });
  });

  it('keeps a revealed snapshot, feeds rubric-core, and closes', () => {
    const { doc } = docWithRound();
    const [a, b] = sectionItems(rubric, [first]).get(first)!;
    writeReveal(
      doc,
      'r1',
      { [first]: { [a!]: { 'u-ana': 1, 'u-ben': 3 }, [b!]: { 'u-ana': 2, 'u-ben': null } } },
      stamp,
    );
    const round = latestRound(doc)!;
    expect(round.revealed[first]?.ratings[a!]).toEqual({ 'u-ana': 1, 'u-ben': 3 });
    expect(fullyRevealed(round)).toBe(false);
    const ratings = revealedRatings(round);
    expect(ratings[a!]?.ratings).toEqual([
      { raterId: 'u-ana', value: 1 },
      { raterId: 'u-ben', value: 3 },
    ]);
    const summary = summarizeAssessment(rubric, ratings);
    expect(summary.stats.get(a!)?.n).toBe(2);
    writeClose(doc, 'r1', stamp);
    expect(openRound(doc)).toBeNull();
    expect(latestRound(doc)!.closed).toEqual(stamp);
  });

  it('adds late raters and nudges', () => {
    const { doc } = docWithRound(true);
    writeRater(doc, 'r1', 'C', 'Rater C');
    writeNudge(doc, 'r1', 'C', stamp);
    const round = latestRound(doc)!;
    expect(round.anonymised).toBe(true);
    expect(round.raters.C).toBe('Rater C');
    expect(round.nudges).toEqual({ C: stamp });
  });

  it('marks frozen indicators of a ratings document, keeping the first round that froze them', () => {
    const doc = new Y.Doc();
    writeFrozen(doc, ['D-1.1', 'D-1.2'], 'r1');
    writeFrozen(doc, ['D-1.2', 'D-1.3'], 'r2');
    expect([...readFrozen(doc)].sort()).toEqual(['D-1.1', 'D-1.2', 'D-1.3']);
    expect(doc.getMap('frozen').get('D-1.2')).toBe('r1');
  });

  it('reads junk as absent', () => {
    const doc = new Y.Doc();
    const rounds = doc.getMap('rounds');
    rounds.set('r9', 'not a map');
    const half = new Y.Map();
    rounds.set('r8', half);
    half.set('opened', { number: 'eight' });
    expect(readRounds(doc)).toEqual([]);
  });

  it('keeps one discussion timer, stopped with null', () => {
    const { doc } = docWithRound();
    expect(latestRound(doc)!.timer).toBeNull();
    const timer = { item: 'dc.1.1', seconds: 300, startedAt: stamp.at, by: stamp.by };
    writeTimer(doc, 'r1', timer);
    expect(latestRound(doc)!.timer).toEqual(timer);
    writeTimer(doc, 'r1', null);
    expect(latestRound(doc)!.timer).toBeNull();
  });

  it('names anonymised raters A to Z, then AA', () => {
    expect([0, 1, 25, 26, 27].map(anonymousKey)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });
});
