import { describe, expect, it } from 'vitest';
import { indicatorStats } from './indicator.js';
import { RatingsError } from './validate.js';
import { checklist, rubric } from '../test-fixtures.js';

const scale = rubric.scale;

describe('indicatorStats', () => {
  it('describes a set of ratings', () => {
    const s = indicatorStats([2, 3, 3, 4], scale);
    expect(s.n).toBe(4);
    expect(s.counts.map((c) => c.count)).toEqual([0, 1, 2, 1]);
    expect(s.median).toBe(3);
    expect(s.mean).toBe(3);
    expect([s.min, s.max, s.range]).toEqual([2, 4, 2]);
    expect(s.modes).toEqual([3]);
    // 6 pairs: (3,3) exact; (2,3),(2,3),(3,4),(3,4) adjacent; (2,4) neither.
    expect(s.exactAgreement).toBeCloseTo(1 / 6, 10);
    expect(s.adjacentAgreement).toBeCloseTo(5 / 6, 10);
    // sample variance of positions [1,2,2,3] = 2/3; uniform null for 4 levels = 15/12.
    expect(s.rwg).toBeCloseTo(1 - 2 / 3 / 1.25, 10);
  });

  it('handles no ratings and one rating', () => {
    const none = indicatorStats([], scale);
    expect(none).toMatchObject({
      n: 0,
      median: null,
      mean: null,
      range: null,
      rwg: null,
      flag: null,
    });
    expect(none.modes).toEqual([]);
    const one = indicatorStats([2], scale);
    expect(one).toMatchObject({
      n: 1,
      median: 2,
      range: 0,
      exactAgreement: null,
      rwg: null,
      flag: null,
    });
  });

  it('gives the mean of the middle two as median for an even count, and several modes', () => {
    const s = indicatorStats([1, 1, 4, 4], scale);
    expect(s.median).toBe(2.5);
    expect(s.modes).toEqual([1, 4]);
  });

  it('gives rwg 1 for unanimity and truncates polarised ratings to 0', () => {
    expect(indicatorStats([3, 3, 3], scale).rwg).toBe(1);
    const polar = indicatorStats([1, 1, 4, 4], scale);
    expect(polar.disagreement).toBeGreaterThan(1);
    expect(polar.rwg).toBe(0);
  });

  it('measures distance in levels, not values', () => {
    const spaced = {
      ...scale,
      levels: [0, 5, 10].map((value, i) => ({ value, label: `L${i}` })),
    };
    const s = indicatorStats([0, 5], spaced);
    expect(s.range).toBe(1);
    expect(s.adjacentAgreement).toBe(1);
    expect(s.flag).toBeNull();
    expect(indicatorStats([0, 10], spaced).flag?.kind).toBe('spread');
  });

  it('refuses a value that is not on the scale', () => {
    expect(() => indicatorStats([5], scale)).toThrow(
      /rating 5 is not a level of this scale; allowed values: 1 /,
    );
    expect(() => indicatorStats([5], scale)).toThrow(RatingsError);
  });
});

describe('disagreement flags', () => {
  const kind = (...v: number[]) => indicatorStats(v, scale).flag?.kind ?? null;

  it('does not flag unanimous, adjacent or single ratings', () => {
    expect(kind(3, 3, 3)).toBeNull();
    expect(kind(2, 3, 3, 3)).toBeNull();
    expect(kind(4)).toBeNull();
  });

  it('flags one outlier when setting one rating aside leaves the rest within a level', () => {
    const s = indicatorStats([1, 3, 3, 4], scale);
    expect(s.flag).toMatchObject({ kind: 'one-outlier', reason: 'one outlier' });
    expect(s.flag?.detail).toBe(
      'one rater chose Area of Concern; the others Moving toward Sustainability–Sustainable',
    );
    expect(kind(4, 2, 2)).toBe('one-outlier');
  });

  it('calls a symmetric spread a spread, not an outlier', () => {
    expect(kind(1, 2, 3)).toBe('spread');
    expect(kind(1, 2, 2, 3)).toBe('spread');
    expect(indicatorStats([1, 3], scale).flag?.reason).toBe('spread of 2+ levels');
  });

  it('flags a split group: two camps, no majority', () => {
    expect(kind(2, 2, 3, 3)).toBe('split');
    expect(indicatorStats([1, 1, 4, 4], scale).flag).toMatchObject({
      kind: 'split',
      reason: 'split group',
      detail: '2 chose Area of Concern, 2 chose Sustainable',
    });
    // A majority is not a split.
    expect(kind(2, 2, 2, 3, 3)).toBeNull();
    // Four different levels: no two camps.
    expect(kind(1, 2, 3, 4)).toBe('spread');
  });

  it('works on a 3-level checklist', () => {
    expect(indicatorStats([1, 3, 3], checklist.scale).flag?.kind).toBe('one-outlier');
  });
});
