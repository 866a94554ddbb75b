import { describe, expect, it } from 'vitest';
import { summarizeAssessment } from './summary.js';
import { checklist, rate, rubric } from '../test-fixtures.js';
import { fleissKappa, krippendorffAlpha } from '../reliability/index.js';

describe('summarizeAssessment', () => {
  it('combines stats, agenda, scores and reliability', () => {
    const s = summarizeAssessment(rubric, {
      's1.1': rate(3, 3, 3),
      's1.2': rate(1, 1, 2),
      's1.4': rate(4, 4, 4),
      's2.1': rate(1, 4, 4),
      'auto.1': rate(0, 1, 1), // own scale: not part of reliability
    });
    expect(s.stats.size).toBe(6);
    expect(s.flagged).toBe(1);
    expect(s.agenda[0]?.indicatorId).toBe('s2.1');
    expect(s.reliability.raters).toEqual(['r1', 'r2', 'r3']);
    expect(s.reliability.units).toBe(4);
    expect(s.reliability.alpha.alpha).not.toBeNull();
    expect(s.reliability.alpha.level).toBe('ordinal');
    expect(s.reliability.kappa.kappa).not.toBeNull();
    expect(s.scores.overall.scored).toBe(4);
    expect(s.launch).toBeUndefined();
  });

  it('gives perfect reliability for perfect agreement', () => {
    const s = summarizeAssessment(rubric, {
      's1.1': rate(1, 1),
      's1.2': rate(4, 4),
      's1.4': rate(2, 2),
    });
    expect(s.reliability.alpha.alpha).toBe(1);
    expect(s.reliability.kappa.kappa).toBe(1);
  });

  it('adds launch readiness for checklists', () => {
    const s = summarizeAssessment(checklist, { 'pre.vision': rate(1, 2) });
    expect(s.launch?.status).toBe('incomplete');
    expect(s.launch?.possibleBlockers[0]?.indicatorId).toBe('pre.vision');
  });

  it('computes the same alpha and kappa as the matrix functions, with missing ratings', () => {
    const rows = [
      [1, 2, null],
      [3, 3, 3],
      [4, null, null],
      [2, 2, 4],
      [null, 1, 1],
    ];
    const ids = ['s1.1', 's1.2', 's1.4', 's2.1', 's2.a.1'];
    const ratings = Object.fromEntries(ids.map((id, i) => [id, rate(...rows[i]!)]));
    const s = summarizeAssessment(rubric, ratings);
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const t = { ...rubric, scale: { ...rubric.scale, measurement: level } };
      const mine = summarizeAssessment(t, ratings).reliability.alpha;
      const ref = krippendorffAlpha(rows, { level });
      expect(mine.alpha).not.toBeNull();
      expect(mine.alpha).toBeCloseTo(ref.alpha!, 12);
      expect([mine.pairable, mine.units, mine.droppedUnits]).toEqual([
        ref.pairable,
        ref.units,
        ref.droppedUnits,
      ]);
    }
    // Unequal rating counts: kappa refuses with the same reason shape.
    expect(s.reliability.kappa.kappa).toBeNull();
    expect(fleissKappa(rows).kappa).toBeNull();
    const full = [
      [1, 2, 2],
      [3, 3, 3],
      [2, 2, 4],
    ];
    const r2 = Object.fromEntries(full.map((row, i) => [ids[i]!, rate(...row)]));
    expect(summarizeAssessment(rubric, r2).reliability.kappa.kappa).toBeCloseTo(
      fleissKappa(full).kappa!,
      12,
    );
  });
});
