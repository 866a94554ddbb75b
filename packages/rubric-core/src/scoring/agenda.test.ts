import { describe, expect, it } from 'vitest';
import { discussionAgenda } from './agenda.js';
import { rate, rubric } from '../test-fixtures.js';

describe('discussionAgenda', () => {
  it('orders by disagreement with reasons, skips agreed and unrated indicators', () => {
    const agenda = discussionAgenda(rubric, {
      's1.1': rate(3, 3, 3),
      's1.2': rate(2, 2, 3, 3),
      's1.4': { ...rate(1, 4), status: 'agreed' },
      's2.1': rate(1, 3, 3, 3),
      's2.a.1': rate(2, 3),
      // auto.1 unrated
    });
    expect(agenda.map((a) => [a.indicatorId, a.kind])).toEqual([
      ['s2.1', 'one-outlier'],
      ['s1.2', 'split'],
      ['s2.a.1', 'adjacent'],
      ['s1.1', 'unanimous'],
    ]);
    expect(agenda[0]?.reason).toBe('one outlier');
    expect(agenda[0]?.sectionPath).toEqual(['s2']);
    expect(agenda[2]?.sectionPath).toEqual(['s2', 's2.a']);
  });

  it('skips an indicator once a consensus is recorded', () => {
    const consensus = {
      indicatorId: 's1.1',
      value: 2,
      rationale: 'x',
      decidedBy: 'u',
      decidedAt: '2026-11-23T10:00:00Z',
      ratings: [],
    };
    const agenda = discussionAgenda(rubric, { 's1.1': { ...rate(1, 4), consensus } });
    expect(agenda).toEqual([]);
  });

  it('keeps rubric order for ties', () => {
    const agenda = discussionAgenda(rubric, {
      's2.1': rate(1, 3),
      's1.2': rate(1, 3),
      's1.1': rate(1, 3),
    });
    expect(agenda.map((a) => a.indicatorId)).toEqual(['s1.1', 's1.2', 's2.1']);
  });
});
