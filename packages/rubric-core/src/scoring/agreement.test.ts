import { describe, expect, it } from 'vitest';
import { fleissKappa } from '../reliability/kappa.js';
import { groupAgreement } from './agreement.js';
import { indicatorStats } from './indicator.js';
import { rubric } from '../test-fixtures.js';

const scale = rubric.scale;
const stats = (...values: number[]) => indicatorStats(values, scale);

describe('groupAgreement', () => {
  it('averages the per-item shares of agreeing rater pairs', () => {
    // [3,3,3]: 3 of 3 pairs exact; [1,2,2]: 1 of 3 exact, 3 of 3 within one level.
    const g = groupAgreement([stats(3, 3, 3), stats(1, 2, 2)]);
    expect(g.units).toBe(2);
    expect(g.pairs).toBe(6);
    expect(g.exact).toBeCloseTo((1 + 1 / 3) / 2, 12);
    expect(g.adjacent).toBe(1);
  });

  it('counts each item once, whatever its number of raters', () => {
    const g = groupAgreement([stats(1, 4), stats(2, 2, 2, 2, 2, 2)]);
    expect(g.exact).toBe(0.5);
    expect(g.adjacent).toBe(0.5);
    expect(g.pairs).toBe(1 + 15);
  });

  it('leaves out items with fewer than two ratings, and says so when none is left', () => {
    expect(groupAgreement([stats(2), stats()])).toEqual({
      exact: null,
      adjacent: null,
      units: 0,
      pairs: 0,
    });
    expect(groupAgreement([stats(2), stats(2, 3)]).units).toBe(1);
  });

  it("equals Fleiss' observed agreement when every item has the same number of ratings", () => {
    const data = [
      [1, 1, 2, 4],
      [3, 3, 3, 3],
      [2, 3, 2, 1],
      [4, 4, 3, 3],
    ];
    const kappa = fleissKappa(data);
    if (kappa.kappa === null) throw new Error(kappa.reason);
    expect(groupAgreement(data.map((row) => stats(...row))).exact).toBeCloseTo(
      kappa.observedAgreement,
      12,
    );
  });
});
