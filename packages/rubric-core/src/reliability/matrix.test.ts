import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReliabilityData, tallyUnits, type Rating, type Tally } from './matrix.js';

const FC = { seed: 42, numRuns: 200 } as const;

/** The multiset of values in each kept unit, rebuilt from a tally, as sorted arrays. */
function unitsOf(t: Tally): number[][] {
  return t.units.map((u) =>
    u.valueIndex
      .flatMap((i, a) => new Array<number>(u.counts[a] ?? 0).fill(t.values[i] ?? NaN))
      .sort((x, y) => x - y),
  );
}

describe('checkReliabilityData', () => {
  it('accepts finite numbers and nulls, ragged or not', () => {
    expect(checkReliabilityData([])).toEqual({ ok: true });
    expect(checkReliabilityData([[1, null, -2.5], [], [0]])).toEqual({ ok: true });
  });

  it('names the first bad cell and counts the rest', () => {
    const r = checkReliabilityData([
      [1, NaN],
      [Infinity, 2, undefined],
    ]);
    expect(r).toEqual({
      ok: false,
      reason:
        'data[0][1] is NaN (and 2 more invalid ratings); ratings must be finite numbers, or null for a missing rating',
    });
  });

  it('flags a sparse-array hole as undefined', () => {
    // eslint-disable-next-line no-sparse-arrays
    const r = checkReliabilityData([[1, , 2]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/data\[0\]\[1\] is undefined/);
  });

  it('rejects non-arrays', () => {
    expect(checkReliabilityData('1,2').ok).toBe(false);
    expect(checkReliabilityData([[1], 'x']).ok).toBe(false);
  });
});

describe('tallyUnits', () => {
  it('counts values per unit and drops units below minRatings', () => {
    const t = tallyUnits([[3, 1, 3, null], [7], [null, null], [1, 1]], 2);
    expect(t.values).toEqual([1, 3]);
    expect(t.dropped).toBe(2);
    expect(t.units.map((u) => u.unit)).toEqual([0, 3]);
    expect(t.units.map((u) => u.total)).toEqual([3, 2]);
    expect(unitsOf(t)).toEqual([
      [1, 3, 3],
      [1, 1],
    ]);
  });

  it('treats -0 as 0', () => {
    expect(tallyUnits([[-0, 0]], 2).values).toEqual([0]);
    expect(tallyUnits([[-0, 0.5]], 2).values).toEqual([0, 0.5]);
    expect(Object.is(tallyUnits([[-0, 1]], 2).values[0], 0)).toBe(true);
  });

  it('gives the same tally through the integer table and the hash-map paths', () => {
    const rating = fc.option(fc.integer({ min: -3, max: 6 }), { nil: null, freq: 4 });
    const arb = fc.array(fc.array(rating, { maxLength: 8 }), { maxLength: 15 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 3 }), (data: Rating[][], minRatings) => {
        const viaTable = tallyUnits(data, minRatings);
        // Shifting by a non-integer forces the hash-map path without changing the structure.
        const shifted = data.map((row) => row.map((v) => (v === null ? null : v + 0.25)));
        const viaMap = tallyUnits(shifted, minRatings);
        expect(viaMap.values).toEqual(viaTable.values.map((v) => v + 0.25));
        expect(unitsOf(viaMap)).toEqual(unitsOf(viaTable).map((u) => u.map((v) => v + 0.25)));
        expect(viaMap.dropped).toBe(viaTable.dropped);
        // Both reproduce the input multisets exactly.
        const expected = data
          .map((row) => row.filter((v): v is number => v !== null).sort((x, y) => x - y))
          .filter((u) => u.length >= minRatings);
        expect(unitsOf(viaTable)).toEqual(expected);
        expect([...viaTable.values].sort((x, y) => x - y)).toEqual(viaTable.values);
      }),
      FC,
    );
  });

  it('handles integers spread too widely for a lookup table', () => {
    const t = tallyUnits(
      [
        [1e9, -1e9, 1e9],
        [2 ** 40, 5],
      ],
      2,
    );
    expect(t.values).toEqual([-1e9, 5, 1e9, 2 ** 40]);
    expect(unitsOf(t)).toEqual([
      [-1e9, 1e9, 1e9],
      [5, 2 ** 40],
    ]);
  });
});
