import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './alpha.js';
import { fleissKappa, type FleissKappa, type FleissKappaResult } from './kappa.js';
import type { Rating } from './matrix.js';

const FC = { seed: 42, numRuns: 200 } as const;

/** Expands a units x categories count table into [unit][rater] ratings (categories 1..k). */
function fromCounts(table: readonly (readonly number[])[]): number[][] {
  return table.map((row) => row.flatMap((count, j) => new Array<number>(count).fill(j + 1)));
}

function defined(r: FleissKappaResult): FleissKappa {
  if (r.kappa === null) throw new Error(`expected a kappa, got: ${r.reason}`);
  return r;
}

const round3 = (x: number) => Number(x.toFixed(3));

/**
 * The worked example of Wikipedia, "Fleiss' kappa" (section "Worked example"): 10 subjects, 14
 * raters, 5 categories; published κ = 0.210, P̄ = 0.378, P̄e = 0.213, p_j = .143 .200 .279 .150 .229.
 * Formulas from Fleiss, J. L. (1971), Psychological Bulletin 76(5), 378–382.
 */
const WIKIPEDIA = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

describe('fleissKappa: published worked example', () => {
  it('Wikipedia "Fleiss\' kappa" example: κ = 0.210, P̄ = 0.378, P̄e = 0.213', () => {
    const r = defined(fleissKappa(fromCounts(WIKIPEDIA)));
    expect(round3(r.kappa)).toBe(0.21);
    expect(round3(r.observedAgreement)).toBe(0.378);
    expect(round3(r.expectedAgreement)).toBe(0.213);
    expect(r.perCategory.map((c) => round3(c.p))).toEqual([0.143, 0.2, 0.279, 0.15, 0.229]);
    expect(r.units).toBe(10);
    expect(r.ratersPerUnit).toBe(14);
    expect(r.categories).toEqual([1, 2, 3, 4, 5]);
  });
});

const POOL = [1, 2, 3, 4, 5, 0.5];
/** Complete data: every unit rated by the same number of raters. */
const completeArb = fc.integer({ min: 2, max: 8 }).chain((m) =>
  fc.array(fc.array(fc.constantFrom(...POOL), { minLength: m, maxLength: m }), {
    minLength: 1,
    maxLength: 15,
  }),
);

describe('fleissKappa: properties', () => {
  it('perfect agreement gives exactly 1, overall and per category', () => {
    const arb = fc.record({
      unitValues: fc
        .array(fc.constantFrom(...POOL), { minLength: 2, maxLength: 12 })
        .filter((vs) => new Set(vs).size >= 2),
      m: fc.integer({ min: 2, max: 10 }),
    });
    fc.assert(
      fc.property(arb, ({ unitValues, m }) => {
        const r = defined(fleissKappa(unitValues.map((v) => new Array<number>(m).fill(v))));
        expect(r.kappa).toBe(1);
        expect(r.observedAgreement).toBe(1);
        for (const c of r.perCategory) expect(c.kappa).toBeCloseTo(1, 12);
      }),
      FC,
    );
  });

  it('is unchanged by permuting units and raters', () => {
    const arb = completeArb.chain((data) => {
      const idx = (n: number) => Array.from({ length: n }, (_, i) => i);
      const width = data[0]?.length ?? 0;
      return fc.tuple(
        fc.constant(data),
        fc.shuffledSubarray(idx(data.length), { minLength: data.length }),
        fc.shuffledSubarray(idx(width), { minLength: width }),
      );
    });
    fc.assert(
      fc.property(arb, ([data, unitOrder, raterOrder]) => {
        const a = fleissKappa(data);
        const b = fleissKappa(unitOrder.map((u) => raterOrder.map((r) => data[u]?.[r] ?? null)));
        if (a.kappa === null) expect(b.kappa).toBeNull();
        else expect(b.kappa).toBeCloseTo(a.kappa, 12);
      }),
      FC,
    );
  });

  it('is at most 1, and null with a reason (never NaN) otherwise', () => {
    const anyArb = fc.array(
      fc.array(fc.option(fc.constantFrom(...POOL), { nil: null, freq: 5 }), { maxLength: 6 }),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(fc.oneof(completeArb, anyArb), (data: Rating[][]) => {
        const r = fleissKappa(data);
        if (r.kappa === null) {
          expect(r.reason.length).toBeGreaterThan(0);
        } else {
          expect(Number.isFinite(r.kappa)).toBe(true);
          expect(r.kappa).toBeLessThanOrEqual(1);
          for (const c of r.perCategory) expect(Number.isFinite(c.kappa)).toBe(true);
        }
      }),
      FC,
    );
  });

  it('overall κ is the p_j q_j-weighted mean of the per-category κ_j (Fleiss 1971)', () => {
    fc.assert(
      fc.property(completeArb, (data) => {
        const r = fleissKappa(data);
        if (r.kappa === null) return;
        let num = 0;
        let den = 0;
        for (const c of r.perCategory) {
          num += c.p * (1 - c.p) * c.kappa;
          den += c.p * (1 - c.p);
        }
        expect(num / den).toBeCloseTo(r.kappa, 9);
      }),
      FC,
    );
  });

  it('agrees with nominal alpha on complete data: α = 1 − (1 − κ)(n − 1)/n, n = units × raters', () => {
    // Derivation: with m ratings in every unit, alpha's D_o is 1 − P̄ and its D_e is
    // (1 − P̄e)·n/(n − 1), so the two differ only by alpha's small-sample correction.
    fc.assert(
      fc.property(completeArb, (data) => {
        const k = fleissKappa(data);
        const a = krippendorffAlpha(data, { level: 'nominal' });
        if (k.kappa === null) {
          expect(a.alpha).toBeNull();
          return;
        }
        const n = k.units * k.ratersPerUnit;
        expect(a.alpha).toBeCloseTo(1 - ((1 - k.kappa) * (n - 1)) / n, 9);
      }),
      FC,
    );
  });
});

describe('fleissKappa: unsuitable and invalid input', () => {
  it('refuses unequal rating counts, saying how many units differ', () => {
    // Krippendorff's 2011 missing-data example: counts 3,4,4,4,4,4,4,4,4,3,2,1.
    const r = fleissKappa([
      [1, 1, null, 1],
      [2, 2, 3, 2],
      [3, 3, 3, 3],
      [3, 3, 3, 3],
      [2, 2, 2, 2],
      [1, 2, 3, 4],
      [4, 4, 4, 4],
      [1, 1, 2, 1],
      [2, 2, 2, 2],
      [null, 5, 5, 5],
      [null, null, 1, 1],
      [null, 3, null, null],
    ]);
    expect(r.kappa).toBeNull();
    if (r.kappa !== null) return;
    expect(r.reason).toMatch(/same number of ratings/);
    expect(r.reason).toMatch(/4 of 12 rated units differ from the most common count of 4/);
    expect(r.reason).toMatch(
      /data\[0\] has 3, data\[9\] has 3, data\[10\] has 2, data\[11\] has 1/,
    );
    expect(r.reason).toMatch(/Krippendorff's alpha/);
  });

  it('skips units nobody rated', () => {
    const r = defined(fleissKappa([[1, 2], [], [null, null], [2, 2]]));
    expect(r.units).toBe(2);
    expect(r.emptyUnits).toBe(2);
    expect(r.kappa).toBe(
      defined(
        fleissKappa([
          [1, 2],
          [2, 2],
        ]),
      ).kappa,
    );
  });

  it.each([
    ['no units', [], /nothing to compute/],
    ['no ratings', [[null], []], /nothing to compute/],
    ['one rating per unit', [[1], [null, 2]], /at least 2 ratings per unit/],
    [
      'identical ratings',
      [
        [3, 3],
        [3, 3],
      ],
      /identical/,
    ],
    ['NaN', [[1, Number.NaN]], /data\[0\]\[1\] is NaN/],
    ['a non-array unit', [null], /data\[0\] is null, not an array/],
  ] as const)('%s: null with a reason', (_label, data, reason) => {
    const r = fleissKappa(data as unknown as Rating[][]);
    expect(r.kappa).toBeNull();
    if (r.kappa === null) expect(r.reason).toMatch(reason);
  });
});
