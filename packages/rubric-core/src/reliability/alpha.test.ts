import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHA_LEVELS, coincidenceMatrix, krippendorffAlpha, type AlphaLevel } from './alpha.js';
import type { Rating, ReliabilityData } from './matrix.js';

const FC = { seed: 42, numRuns: 200 } as const;

/** Krippendorff prints coders as rows; our data are [unit][rater]. */
function fromCoderRows(rows: readonly (readonly Rating[])[]): Rating[][] {
  const units = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: units }, (_, u) => rows.map((r) => r[u] ?? null));
}

const _ = null;

/**
 * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
 * Communication, University of Pennsylvania. repository.upenn.edu/asc_papers/43
 * Section C, "Nominal data, any number of observers, missing data": 4 observers x 12 units.
 * Published: nominal .743, ordinal .815, interval .849, ratio .797 (the paper reuses these data
 * for the ordinal, interval and ratio metrics).
 */
const KRIPPENDORFF_C = fromCoderRows([
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _], // observer A
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3], // observer B
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _], // observer C
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _], // observer D
]);

/** Same paper, the binary (dichotomous) example with two observers and no missing data: α = .095. */
const KRIPPENDORFF_A = fromCoderRows([
  [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
  [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]);

function alphaOf(data: ReliabilityData, level: AlphaLevel): number | null {
  return krippendorffAlpha(data, { level }).alpha;
}

describe('krippendorffAlpha: published worked examples (Krippendorff 2011)', () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)('section C data, %s level = %s', (level, published) => {
    const r = krippendorffAlpha(KRIPPENDORFF_C, { level });
    expect(r.alpha).not.toBeNull();
    expect(Number((r.alpha ?? NaN).toFixed(3))).toBe(published);
    // Unit 12 has a single rating and is dropped; the other 11 units give 40 pairable values.
    expect(r.pairable).toBe(40);
    expect(r.units).toBe(11);
    expect(r.droppedUnits).toBe(1);
    expect(r.values).toEqual([1, 2, 3, 4, 5]);
  });

  it('section C coincidences (hand-checked from the definition: o_11 = 3 + 2 + 2 = 7)', () => {
    const m = coincidenceMatrix(KRIPPENDORFF_C);
    if (!m.ok) throw new Error(m.reason);
    expect(m.marginals).toEqual([9, 13, 10, 5, 3]);
    expect(m.pairable).toBe(40);
    expect(m.matrix[0]?.[0]).toBe(7);
    expect(m.matrix[0]?.[1]).toBeCloseTo(4 / 3, 12);
    expect(m.matrix[4]).toEqual([0, 0, 0, 0, 3]);
    m.matrix.forEach((row, c) => {
      row.forEach((o, k) => expect(o).toBe(m.matrix[k]?.[c]));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(m.marginals[c] ?? NaN, 12);
    });
  });

  it('binary two-observer data, nominal = 0.095', () => {
    const r = krippendorffAlpha(KRIPPENDORFF_A, { level: 'nominal' });
    expect(Number((r.alpha ?? NaN).toFixed(3))).toBe(0.095);
    // α = 1 − (n − 1)·o_01 / (n_0·n_1) = 1 − 19·4 / (14·6)
    expect(r.alpha).toBeCloseTo(1 - 76 / 84, 12);
  });
});

/**
 * Independent reference: counts every ordered pair of raters within a unit (the O(m²) definition
 * the production code avoids) and uses the paper's ordinal formula literally, not mid-ranks.
 */
function referenceAlpha(data: ReliabilityData, level: AlphaLevel): number | null {
  const units = data
    .map((row) => row.filter((v): v is number => v !== null))
    .filter((u) => u.length >= 2);
  const values = [...new Set(units.flat())].sort((a, b) => a - b);
  if (values.length < 2) return null;
  const V = values.length;
  const at = (v: number) => values.indexOf(v);
  const o = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  for (const u of units) {
    for (let i = 0; i < u.length; i++) {
      for (let j = 0; j < u.length; j++) {
        if (i === j) continue;
        const row = o[at(u[i] ?? 0)];
        if (row) row[at(u[j] ?? 0)] = (row[at(u[j] ?? 0)] ?? 0) + 1 / (u.length - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  const delta = (c: number, k: number): number => {
    const vc = values[c] ?? 0;
    const vk = values[k] ?? 0;
    switch (level) {
      case 'nominal':
        return c === k ? 0 : 1;
      case 'ordinal': {
        if (c === k) return 0;
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g] ?? 0;
        return (s - ((nc[c] ?? 0) + (nc[k] ?? 0)) / 2) ** 2;
      }
      case 'interval':
        return (vc - vk) ** 2;
      case 'ratio':
        return c === k ? 0 : ((vc - vk) / (vc + vk)) ** 2;
    }
  };
  let dO = 0;
  let dE = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      dO += (o[c]?.[k] ?? 0) * delta(c, k);
      dE += (nc[c] ?? 0) * (nc[k] ?? 0) * delta(c, k);
    }
  }
  return 1 - (n - 1) * (dO / dE);
}

const POOL = [0, 1, 2, 3, 4, 7.5, 10];
const rating = fc.option(fc.constantFrom(...POOL), { nil: null, freq: 4 });
const dataArb = (minUnits = 0) =>
  fc.integer({ min: 1, max: 7 }).chain((r) =>
    fc.array(fc.array(rating, { minLength: r, maxLength: r }), {
      minLength: minUnits,
      maxLength: 15,
    }),
  );
const levelArb = fc.constantFrom(...ALPHA_LEVELS);

describe('krippendorffAlpha: properties', () => {
  it('matches the O(m²) pairwise reference implementation', () => {
    fc.assert(
      fc.property(dataArb(), levelArb, (data, level) => {
        const got = alphaOf(data, level);
        const want = referenceAlpha(data, level);
        if (want === null) expect(got).toBeNull();
        else expect(got).toBeCloseTo(want, 9);
      }),
      FC,
    );
  });

  it('perfect agreement gives exactly 1 at every level, missing ratings or not', () => {
    const arb = fc.record({
      unitValues: fc
        .array(fc.constantFrom(...POOL), { minLength: 2, maxLength: 12 })
        .filter((vs) => new Set(vs).size >= 2),
      raters: fc.integer({ min: 2, max: 8 }),
      mask: fc.array(fc.boolean(), { minLength: 96, maxLength: 96 }),
      level: levelArb,
    });
    fc.assert(
      fc.property(arb, ({ unitValues, raters, mask, level }) => {
        // The first two raters always rate, so every unit stays pairable.
        const data = unitValues.map((v, u) =>
          Array.from({ length: raters }, (_, r) =>
            r < 2 || mask[(u * raters + r) % mask.length] ? v : null,
          ),
        );
        const res = krippendorffAlpha(data, { level });
        expect(res.alpha).toBe(1);
        expect(res.observed).toBe(0);
      }),
      FC,
    );
  });

  it('is unchanged by permuting units and raters', () => {
    const arb = dataArb(1).chain((data) => {
      const width = data[0]?.length ?? 0;
      const idx = (n: number) => Array.from({ length: n }, (_, i) => i);
      return fc.tuple(
        fc.constant(data),
        fc.shuffledSubarray(idx(data.length), { minLength: data.length }),
        fc.shuffledSubarray(idx(width), { minLength: width }),
        levelArb,
      );
    });
    fc.assert(
      fc.property(arb, ([data, unitOrder, raterOrder, level]) => {
        const permuted = unitOrder.map((u) => raterOrder.map((r) => data[u]?.[r] ?? null));
        const a = alphaOf(data, level);
        const b = alphaOf(permuted, level);
        if (a === null) expect(b).toBeNull();
        else expect(b).toBeCloseTo(a, 12);
      }),
      FC,
    );
  });

  it('is at most 1, and null with a reason (never NaN) when undefined', () => {
    fc.assert(
      fc.property(dataArb(), levelArb, (data, level) => {
        const r = krippendorffAlpha(data, { level });
        expect(Number.isFinite(r.observed) && Number.isFinite(r.expected)).toBe(true);
        if (r.alpha === null) {
          expect(r.reason.length).toBeGreaterThan(0);
        } else {
          expect(Number.isFinite(r.alpha)).toBe(true);
          expect(r.alpha).toBeLessThanOrEqual(1);
        }
      }),
      FC,
    );
  });

  it('ignores an added unit with a single rating', () => {
    const arb = dataArb().chain((data) =>
      fc.tuple(
        fc.constant(data),
        fc.integer({ min: 0, max: data.length }),
        fc.integer({ min: 0, max: (data[0]?.length ?? 1) - 1 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        levelArb,
      ),
    );
    fc.assert(
      fc.property(arb, ([data, at, rater, value, level]) => {
        const width = data[0]?.length ?? 1;
        const lone = Array.from({ length: width }, (_, r) => (r === rater ? value : null));
        const withLone = [...data.slice(0, at), lone, ...data.slice(at)];
        const before = krippendorffAlpha(data, { level });
        const after = krippendorffAlpha(withLone, { level });
        expect(after.alpha).toBe(before.alpha);
        expect(after.values).toEqual(before.values);
        expect(after.droppedUnits).toBe(before.droppedUnits + 1);
      }),
      FC,
    );
  });
});

describe('krippendorffAlpha: degenerate and invalid input', () => {
  it.each(ALPHA_LEVELS)('%s: says why when all values are identical', (level) => {
    const r = krippendorffAlpha(
      [
        [3, 3, 3],
        [3, null, 3],
      ],
      { level },
    );
    expect(r.alpha).toBeNull();
    expect(r.reason).toMatch(/identical/);
    expect(r.expected).toBe(0);
    expect(r.pairable).toBe(5);
  });

  it.each([
    ['no units', []],
    ['empty units', [[], []]],
    ['only missing ratings', [[null, null], [null]]],
    ['one rating per unit', [[1, null], [null, 2], [3]]],
  ] as const)('%s: null with a reason', (_label, data) => {
    for (const level of ALPHA_LEVELS) {
      const r = krippendorffAlpha(data, { level });
      expect(r.alpha).toBeNull();
      expect(r.reason).toMatch(/pairable/);
      expect(r.observed).toBe(0);
      expect(r.expected).toBe(0);
    }
  });

  it('rejects non-finite and non-number ratings with the cell named', () => {
    const cases: [unknown, RegExp][] = [
      [
        [
          [1, 2],
          [1, Number.NaN],
        ],
        /data\[1\]\[1\] is NaN/,
      ],
      [
        [
          [1, Infinity],
          [1, -Infinity],
        ],
        /data\[0\]\[1\] is Infinity \(and 1 more invalid rating\)/,
      ],
      [[[1, '2']], /data\[0\]\[1\] is the string "2"/],
      [[[1, undefined]], /data\[0\]\[1\] is undefined/],
      [[[1, 2], 3], /data\[1\] is 3, not an array/],
      [{ 0: [1, 2] }, /must be an array of units/],
    ];
    for (const [data, message] of cases) {
      const r = krippendorffAlpha(data as ReliabilityData, { level: 'interval' });
      expect(r.alpha).toBeNull();
      expect(r.reason).toMatch(message);
    }
  });

  it('accepts ragged rows: a short row means the later raters did not rate it', () => {
    const ragged = [[1, 2], [2, 2, 3], [3]];
    const padded = [
      [1, 2, null],
      [2, 2, 3],
      [3, null, null],
    ];
    for (const level of ALPHA_LEVELS) expect(alphaOf(ragged, level)).toBe(alphaOf(padded, level));
  });

  it('ratio level refuses negative values, interval accepts them', () => {
    const data = [
      [-1, -1],
      [2, 3],
      [0, 1],
    ];
    const r = krippendorffAlpha(data, { level: 'ratio' });
    expect(r.alpha).toBeNull();
    expect(r.reason).toMatch(/non-negative/);
    expect(alphaOf(data, 'interval')).not.toBeNull();
  });

  it('rejects an unknown level passed from untyped code', () => {
    const r = krippendorffAlpha([[1, 2]], { level: 'likert' as AlphaLevel });
    expect(r.alpha).toBeNull();
    expect(r.reason).toMatch(/unknown level "likert"/);
  });
});
