import { describe, expect, it } from 'vitest';
import { movement, recordConsensus } from './consensus.js';
import { rate, rubric } from '../test-fixtures.js';

const base = {
  indicatorId: 's1.1',
  value: 3,
  rationale: '  Evidence from the data team  ',
  decidedBy: 'user-facilitator',
  decidedAt: '2026-11-23T10:15:00Z',
  ratings: rate(1, 3, 4, null).ratings,
};

describe('recordConsensus', () => {
  it('records the decision and keeps every original rating', () => {
    const r = recordConsensus(base, rubric.scale);
    if (!r.ok) throw new Error('expected ok');
    expect(r.value.rationale).toBe('Evidence from the data team');
    expect(r.value.ratings.map((x) => x.value)).toEqual([1, 3, 4, null]);
    expect(Object.isFrozen(r.value.ratings)).toBe(true);
  });

  it('names each bad field', () => {
    const r = recordConsensus(
      { ...base, value: 7, rationale: ' ', decidedBy: '', decidedAt: 'yesterday' },
      rubric.scale,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(['value', 'rationale', 'decidedBy', 'decidedAt']);
    expect(r.issues[0]?.message).toContain('4 Sustainable');
  });
});

describe('movement', () => {
  it('measures how far each rater moved, in levels', () => {
    const r = recordConsensus(base, rubric.scale);
    if (!r.ok) throw new Error('expected ok');
    const m = movement(r.value, rubric.scale);
    expect(m.perRater).toEqual([
      { raterId: 'r1', from: 1, to: 3, levels: 2 },
      { raterId: 'r2', from: 3, to: 3, levels: 0 },
      { raterId: 'r3', from: 4, to: 3, levels: -1 },
    ]);
    expect(m.moved).toBe(2);
    expect(m.meanAbsolute).toBe(1);
    expect(m.maxAbsolute).toBe(2);
  });
});
