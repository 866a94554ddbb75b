import { describe, expect, it } from 'vitest';
import { scoreTemplate, indicatorScore } from './sections.js';
import { rate, rubric } from '../test-fixtures.js';

const consensus = (indicatorId: string, value: number) => ({
  indicatorId,
  value,
  rationale: 'agreed',
  decidedBy: 'f',
  decidedAt: '2026-11-23T10:00:00Z',
  ratings: [],
});

describe('scoreTemplate', () => {
  it('scores sections on rater medians before consensus', () => {
    const { sections, overall } = scoreTemplate(rubric, {
      's1.1': rate(2, 3), // median 2.5
      's1.2': rate(3, 3, 4), // median 3
      's2.1': rate(1, 1), // 1
      's2.a.1': rate(4, 4, null), // 4
      'auto.1': rate(1, 1),
    });
    const s1 = sections.find((s) => s.sectionId === 's1')!;
    expect(s1).toMatchObject({
      indicators: 3,
      scored: 2,
      basis: 'median',
      mean: 2.75,
      atOrAbove: 0.5,
    });
    expect(s1.readiness?.label).toBe('Initial Steps');
    const s2 = sections.find((s) => s.sectionId === 's2')!;
    expect(s2).toMatchObject({ indicators: 2, scored: 2, mean: 2.5 });
    const sub = sections.find((s) => s.sectionId === 's2.a')!;
    expect(sub).toMatchObject({ depth: 1, mean: 4 });
    // The autonomy checklist keeps its own scale and stays out of the overall.
    const auto = sections.find((s) => s.sectionId === 'auto')!;
    expect(auto).toMatchObject({ ownScale: true, mean: 1, atOrAbove: 1 });
    expect(auto.readiness?.label).toBe('In place');
    expect(overall).toMatchObject({ indicators: 5, scored: 4, basis: 'median' });
    expect(overall.mean).toBeCloseTo((2.5 + 3 + 1 + 4) / 4, 10);
    expect(overall.atOrAbove).toBe(0.5);
  });

  it('prefers consensus and reports mixed bases', () => {
    const ratings = {
      's1.1': { ...rate(1, 1), consensus: consensus('s1.1', 3) },
      's1.2': rate(2, 2),
    };
    expect(indicatorScore(ratings, 's1.1')).toEqual({ value: 3, basis: 'consensus' });
    const s1 = scoreTemplate(rubric, ratings).sections[0]!;
    expect(s1).toMatchObject({ basis: 'mixed', withConsensus: 1, mean: 2.5 });
  });

  it('reaches a level only when the mean reaches it', () => {
    const { overall } = scoreTemplate(rubric, {
      's1.1': rate(3),
      's1.2': rate(3),
      's1.4': rate(3),
      's2.1': rate(3),
      's2.a.1': rate(2),
    });
    expect(overall.mean).toBeCloseTo(2.8, 10);
    expect(overall.readiness?.value).toBe(2);
  });

  it('reports nothing scored as such', () => {
    const { overall } = scoreTemplate(rubric, {});
    expect(overall).toMatchObject({
      scored: 0,
      mean: null,
      basis: 'none',
      atOrAbove: null,
      readiness: null,
    });
  });

  it('accepts another threshold', () => {
    const { overall } = scoreTemplate(
      rubric,
      { 's1.1': rate(2), 's1.2': rate(4) },
      { threshold: 2 },
    );
    expect(overall.atOrAbove).toBe(1);
  });
});
