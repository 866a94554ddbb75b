import { describe, expect, it } from 'vitest';
import { launchReadiness } from './launch.js';
import { checklist, rate } from '../test-fixtures.js';

const decided = (indicatorId: string, value: number, ...raters: number[]) => ({
  ...rate(...raters),
  consensus: {
    indicatorId,
    value,
    rationale: 'discussed',
    decidedBy: 'f',
    decidedAt: '2026-11-23T10:00:00Z',
    ratings: rate(...raters).ratings,
  },
});

describe('launchReadiness', () => {
  it('is ready only when every category is decided and none is a barrier', () => {
    const r = launchReadiness(checklist, {
      'pre.vision': decided('pre.vision', 2, 2, 2),
      'pre.talent': decided('pre.talent', 3, 3, 2),
      'pre.tech': decided('pre.tech', 2, 1, 2),
    });
    expect(r).toMatchObject({ status: 'ready', ready: true, blockers: [], undecided: [] });
  });

  it('lists every blocker', () => {
    const r = launchReadiness(checklist, {
      'pre.vision': decided('pre.vision', 1, 1, 2),
      'pre.talent': decided('pre.talent', 3, 3, 3),
      'pre.tech': decided('pre.tech', 1, 1, 1),
    });
    expect(r.status).toBe('blocked');
    expect(r.ready).toBe(false);
    expect(r.blockers.map((b) => [b.indicatorId, b.title, b.level.label])).toEqual([
      ['pre.vision', 'Vision', 'Barrier to Launch'],
      ['pre.tech', 'Technology', 'Barrier to Launch'],
    ]);
  });

  it('is incomplete before the team decides, and names possible blockers', () => {
    const r = launchReadiness(checklist, {
      'pre.vision': rate(1, 2, 1),
      'pre.talent': decided('pre.talent', 2, 2),
    });
    expect(r.status).toBe('incomplete');
    expect(r.undecided.map((u) => u.indicatorId)).toEqual(['pre.vision', 'pre.tech']);
    expect(r.possibleBlockers).toEqual([{ indicatorId: 'pre.vision', title: 'Vision', raters: 2 }]);
  });
});
