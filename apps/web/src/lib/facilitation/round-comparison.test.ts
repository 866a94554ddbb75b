import { outline } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { latestResults, resultsSource, roundComparisons } from './round-comparison';
import { idsOf, roundOf } from './test-round';

const s1 = outline(rubric).entries[0]!.section.id;
const [x, y, z] = idsOf(rubric, s1);
const levels = outline(rubric).entries[0]!.scale.levels;
const [l1, l2, l3, l4] = levels.map((l) => l.value);
const raters = { A: 'Rater A', B: 'Rater B', C: 'Rater C' };

// Round 1 over the section; round 2 re-rates x only (B moves down two, C up one, A stays).
const r1 = roundOf(
  {
    [s1]: {
      [x!]: { A: l1!, B: l4!, C: l2! },
      [y!]: { A: l2!, B: l2!, C: l2! },
      [z!]: { A: l3!, B: null, C: l3! },
    },
  },
  raters,
  1,
);
const r2 = {
  ...roundOf({ [s1]: { [x!]: { A: l1!, B: l2!, C: l3! } } }, raters, 2),
  items: [x!],
};

describe('rounds compared side by side', () => {
  it('each rater’s move, in levels and words, and the spread before and after', () => {
    const [only, ...rest] = roundComparisons(rubric, [r1, r2], { B: 'Rater B (Ben)' });
    expect(rest).toEqual([]);
    expect(only!.id).toBe(x);
    expect(only!.before.round).toBe(1);
    expect(only!.after.round).toBe(2);
    expect(
      only!.raters.map((r) => [r.name, r.before?.value, r.after?.value, r.moved, r.text]),
    ).toEqual([
      ['Rater A', l1, l1, 0, 'no change'],
      ['Rater B (Ben)', l4, l2, -2, 'down 2 levels'],
      ['Rater C', l2, l3, 1, 'up 1 level'],
    ]);
    expect(only!.raters[1]!.before?.label).toBe(levels[3]!.label);
    expect(only!.spreadBefore).toBe(3);
    expect(only!.spreadAfter).toBe(2);
    expect(only!.spreadText).toBe('Spread 3 levels → 2 levels: closer');
    expect([only!.movedCount, only!.bothRated]).toEqual([2, 3]);
  });

  it('says when a rater did not rate in one round, and when all agree', () => {
    const r3 = {
      ...roundOf({ [s1]: { [x!]: { A: l2!, B: l2!, C: null } } }, raters, 3),
      items: [x!],
    };
    const [c] = roundComparisons(rubric, [r1, r2, r3]);
    expect(c!.before.round).toBe(2);
    expect(c!.raters.find((r) => r.key === 'C')!.text).toBe('not rated in round 3');
    expect(c!.spreadText).toBe('Spread 2 levels → all agree: closer');
  });

  it('nothing to compare after one round', () => {
    expect(roundComparisons(rubric, [r1])).toEqual([]);
  });
});

describe('the latest results', () => {
  it('take each item from the latest round that revealed it, the rest as round 1 left them', () => {
    const merged = latestResults([r1, r2])!;
    expect(merged.number).toBe(2);
    expect(merged.revealed[s1]!.ratings[x!]).toEqual({ A: l1, B: l2, C: l3 });
    expect(merged.revealed[s1]!.ratings[y!]).toEqual({ A: l2, B: l2, C: l2 });
    expect(Object.keys(merged.revealed[s1]!.ratings).sort()).toEqual([x, y, z].sort());
    expect(resultsSource([r1, r2])).toBe(
      'Latest ratings: round 2 for 1 item, round 1 for the rest.',
    );
  });

  it('are the round itself when only one has revealed, and null before any', () => {
    expect(latestResults([r1])).toBe(r1);
    expect(resultsSource([r1])).toBeNull();
    expect(latestResults([])).toBeNull();
    const open = { ...r2, revealed: {} };
    expect(latestResults([r1, open])).toBe(r1);
  });
});
