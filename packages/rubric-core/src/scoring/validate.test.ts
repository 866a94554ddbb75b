import { describe, expect, it } from 'vitest';
import { checkRatings, RatingsError } from './validate.js';
import { scoreTemplate } from './sections.js';
import { discussionAgenda } from './agenda.js';
import { launchReadiness } from './launch.js';
import { summarizeAssessment } from './summary.js';
import { checklist, rate, rubric } from '../test-fixtures.js';

const twice = {
  ratings: [
    { raterId: 'r1', value: 2 },
    { raterId: 'r2', value: 3 },
    { raterId: 'r1', value: 2 },
  ],
};

describe('one rating per rater per indicator', () => {
  it('refuses the same rater twice for one indicator, naming the rater and the indicator', () => {
    const check = checkRatings(rubric, { 's1.1': twice, 's1.2': rate(3, 3) });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues).toHaveLength(1);
    expect(check.issues[0]).toMatchObject({
      path: 'ratings["s1.1"].ratings[2].raterId',
      indicatorId: 's1.1',
      raterId: 'r1',
    });
    expect(check.issues[0]!.message).toMatch(/rater "r1" appears twice for indicator "s1.1"/);
    expect(check.issues[0]!.message).toMatch(/keep only/);
  });

  it('is refused by every scoring entry point instead of counting two raters', () => {
    const ratings = { 's1.1': twice };
    expect(() => summarizeAssessment(rubric, ratings)).toThrow(RatingsError);
    expect(() => summarizeAssessment(rubric, ratings)).toThrow(/"r1" appears twice.*"s1.1"/);
    expect(() => scoreTemplate(rubric, ratings)).toThrow(RatingsError);
    expect(() => discussionAgenda(rubric, ratings)).toThrow(RatingsError);
    expect(() => launchReadiness(checklist, { 'pre.vision': twice })).toThrow(/"r1" appears twice/);
  });

  it('accepts distinct raters', () => {
    expect(checkRatings(rubric, { 's1.1': rate(1, 2, 3) })).toEqual({ ok: true });
  });
});
