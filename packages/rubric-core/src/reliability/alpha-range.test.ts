import { describe, expect, it } from 'vitest';
import {
  ALPHA_DEFAULT_LEVEL,
  krippendorffAlpha,
  alphaFromTally,
  type AlphaLevel,
} from './alpha.js';
import { tallyUnits, type Rating } from './matrix.js';

const _ = null;
/** Krippendorff (2011) section C data, [unit][rater]. */
const C: Rating[][] = [
  [1, 1, _, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [_, 5, 5, 5],
  [_, _, 1, 1],
  [_, 3, _, _],
];
const scaled = (k: number) => C.map((row) => row.map((v) => (v === null ? null : v * k)));

describe('krippendorffAlpha: large and small magnitudes', () => {
  it.each([1e155, 1e200, 1e300, 2 ** 1000, 1e-200])(
    'interval and ratio alpha are unchanged when every value is multiplied by %s',
    (k) => {
      for (const level of ['interval', 'ratio'] as const) {
        const base = krippendorffAlpha(C, { level }).alpha!;
        const r = krippendorffAlpha(scaled(k), { level });
        expect(r.reason).toBeUndefined();
        expect(Number.isFinite(r.alpha)).toBe(true);
        expect(r.alpha).toBeCloseTo(base, 12);
        expect(Number.isFinite(r.observed) && Number.isFinite(r.expected)).toBe(true);
      }
    },
  );

  it('handles the whole range of doubles, including values of opposite sign near the limits', () => {
    const r = krippendorffAlpha(
      [
        [-1.7e308, -1.7e308],
        [1.7e308, 1.7e308],
        [0, 1.7e308],
      ],
      { level: 'interval' },
    );
    expect(Number.isFinite(r.alpha)).toBe(true);
    const small = krippendorffAlpha(
      [
        [-1, -1],
        [1, 1],
        [0, 1],
      ],
      { level: 'interval' },
    );
    expect(r.alpha).toBeCloseTo(small.alpha!, 12);
  });
});

describe('krippendorffAlpha: level of measurement', () => {
  it('defaults to ordinal (documented) when no level or no options are given', () => {
    expect(ALPHA_DEFAULT_LEVEL).toBe('ordinal');
    const ordinal = krippendorffAlpha(C, { level: 'ordinal' });
    expect(krippendorffAlpha(C).alpha).toBe(ordinal.alpha);
    expect(krippendorffAlpha(C, {}).alpha).toBe(ordinal.alpha);
    expect(krippendorffAlpha(C, { level: undefined }).level).toBe('ordinal');
    expect(alphaFromTally(tallyUnits(C, 2), undefined as unknown as AlphaLevel).alpha).toBe(
      ordinal.alpha,
    );
  });

  it('still refuses an unknown level with a reason', () => {
    const r = krippendorffAlpha(C, { level: 'cardinal' as AlphaLevel });
    expect(r.alpha).toBeNull();
    expect(r.reason).toMatch(/unknown level "cardinal"; use one of nominal, ordinal/);
  });
});
