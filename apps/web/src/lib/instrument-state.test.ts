import { describe, expect, it } from 'vitest';
import { stateLines, type InstrumentState } from './instrument-state';

const base: InstrumentState = {
  itemsTotal: 34,
  itemsAgreed: 0,
  itemsInDiscussion: 0,
  round: null,
  readiness: null,
  barriers: null,
};
const texts = (s: InstrumentState, noun = 'items') => stateLines(s, noun).map((l) => l.text);

describe('an instrument’s state in words', () => {
  it('before any round', () => {
    expect(texts(base)).toEqual(['No rating round yet', '0 of 34 items agreed']);
  });

  it('a round open: raters done of all, and what is revealed so far', () => {
    const round = { number: 2, open: true, items: 3, revealed: 0, raters: 3, ratersDone: 1 };
    expect(texts({ ...base, round })[0]).toBe('Round 2 open: 1 of 3 raters done');
    expect(texts({ ...base, round: { ...round, revealed: 1 } })[0]).toBe(
      'Round 2 open: 1 of 3 raters done, 1 of 3 items revealed',
    );
    expect(texts({ ...base, round: { ...round, raters: 1, ratersDone: 0 } })[0]).toBe(
      'Round 2 open: 0 of 1 rater done',
    );
    expect(texts({ ...base, round: { ...round, revealed: 3 } })[0]).toBe(
      'Round 2 revealed, still open',
    );
  });

  it('revealed, agreed and in discussion, each with a mark besides the words', () => {
    const lines = stateLines(
      {
        ...base,
        itemsAgreed: 12,
        itemsInDiscussion: 2,
        round: { number: 1, open: false, items: 34, revealed: 34, raters: 3, ratersDone: 3 },
      },
      'indicators',
    );
    expect(lines.map((l) => [l.mark, l.text])).toEqual([
      ['●', 'Round 1 revealed and closed'],
      ['◐', '12 of 34 indicators agreed · 2 in discussion'],
    ]);
  });

  it('launch readiness of a checklist: ready, blocked by barriers, or undecided', () => {
    const checklist = { ...base, itemsTotal: 8 };
    expect(texts({ ...checklist, itemsAgreed: 8, readiness: 'ready', barriers: 0 })).toContain(
      'Ready to launch',
    );
    expect(texts({ ...checklist, readiness: 'blocked', barriers: 2 })).toContain(
      'Not ready to launch: 2 barriers',
    );
    expect(texts({ ...checklist, readiness: 'incomplete', barriers: 0 })).toContain(
      'Launch readiness: not every category decided',
    );
  });
});
