import { schoolworksPrerequisites } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { decisionView, decisionWord, paragraphsOf } from './team-rating';

const levels = schoolworksPrerequisites.scale.levels;
const members = [
  { id: 'u1', name: 'Fran Facilitator' },
  { id: 'u2', name: 'Ray Rater' },
];

describe('decisionView', () => {
  it('names the level as the template has it, the recorder and the date', () => {
    expect(
      decisionView({ value: 1, by: 'u1', at: '2026-09-16T20:00:00Z' }, levels, members, 'UTC'),
    ).toEqual({
      level: '1 Barrier to Launch',
      by: 'Fran Facilitator',
      date: 'September 16, 2026',
      at: '2026-09-16T20:00:00Z',
    });
  });

  it("dates the decision in the reader's time zone", () => {
    const at = '2026-09-16T20:00:00Z';
    const d = { value: 3, by: 'u2', at };
    expect(decisionView(d, levels, members, 'America/New_York').date).toBe('September 16, 2026');
    expect(decisionView(d, levels, members, 'Asia/Tokyo').date).toBe('September 17, 2026');
    expect(decisionView(d, levels, members, 'UTC').level).toBe('3 Asset to Implementation');
  });

  it('says a former member recorded it when the recorder is no longer a member', () => {
    expect(
      decisionView({ value: 2, by: 'gone', at: '2026-09-16T20:00:00Z' }, levels, members).by,
    ).toBe('A former member');
  });
});

describe('decisionWord', () => {
  it("uses each artifact's word", () => {
    expect(decisionWord('prerequisites')).toBe('Team rating');
    expect(decisionWord('assessment')).toBe('Consensus rating');
  });
});

describe('paragraphsOf', () => {
  it('splits plain rich text into its paragraphs, dropping blank ones', () => {
    expect(paragraphsOf('One.\n\n  Two. \n')).toEqual(['One.', 'Two.']);
    expect(paragraphsOf('')).toEqual([]);
  });
});
