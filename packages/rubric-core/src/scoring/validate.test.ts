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

describe('ratings outside the scale: one rule everywhere', () => {
  const consensusOf = (indicatorId: string, value: number) => ({
    indicatorId,
    value,
    rationale: 'agreed',
    decidedBy: 'f1',
    decidedAt: '2026-11-23T10:00:00Z',
    ratings: [],
  });

  it('refuses a rating that is not a level, naming the rater, the indicator and the allowed values', () => {
    const check = checkRatings(rubric, { 's1.1': rate(3, 9), 'auto.1': rate(1, 4) });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.issues.map((i) => [i.path, i.indicatorId, i.raterId])).toEqual([
      ['ratings["s1.1"].ratings[1].value', 's1.1', 'r2'],
      ['ratings["auto.1"].ratings[1].value', 'auto.1', 'r2'],
    ]);
    expect(check.issues[0]!.message).toBe(
      'rater "r2" gave 9 for indicator "s1.1", which is not on its scale; allowed values: 1 (Area of Concern), 2 (Initial Steps), 3 (Moving toward Sustainability), 4 (Sustainable), or null for not rated. Correct the rating',
    );
    // A section with its own scale (0/1) is checked against that scale.
    expect(check.issues[1]!.message).toMatch(/allowed values: 0 \(Not in place\), 1 \(In place\)/);
  });

  it('refuses a value that is not a number at all', () => {
    const check = checkRatings(rubric, {
      's1.1': { ratings: [{ raterId: 'r1', value: '3' as unknown as number }] },
    });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.issues[0]!.message).toMatch(/gave the string "3"/);
  });

  it('section scoring never reaches a level from 9 or 42 (was: accepted, "Sustainable")', () => {
    expect(() => scoreTemplate(rubric, { 's1.1': rate(9, 42) })).toThrow(RatingsError);
    expect(() => scoreTemplate(rubric, { 's1.1': rate(9, 42) })).toThrow(
      /rater "r1" gave 9 for indicator "s1.1".*allowed values: 1 \(Area of Concern\)/,
    );
    expect(() =>
      scoreTemplate(rubric, { 's1.1': { ratings: [], consensus: consensusOf('s1.1', 42) } }),
    ).toThrow(/consensus recorded for indicator "s1.1" \(by "f1"\) is 42/);
  });

  it('launch readiness refuses it instead of treating it as undecided', () => {
    const ratings = {
      'pre.vision': { ratings: [], consensus: consensusOf('pre.vision', 7) },
      'pre.talent': { ratings: [], consensus: consensusOf('pre.talent', 2) },
      'pre.tech': { ratings: [], consensus: consensusOf('pre.tech', 2) },
    };
    expect(() => launchReadiness(checklist, ratings)).toThrow(RatingsError);
    expect(() => launchReadiness(checklist, { 'pre.vision': rate(2, 5) })).toThrow(
      /rater "r2" gave 5 for indicator "pre.vision".*1 \(Barrier to Launch\)/,
    );
  });

  it('the summary and the agenda raise the same error (was: a bare RangeError from the statistics)', () => {
    const ratings = { 's1.2': rate(1, 2, 5) };
    for (const run of [
      () => summarizeAssessment(rubric, ratings),
      () => discussionAgenda(rubric, ratings),
    ]) {
      expect(run).toThrow(RatingsError);
      expect(run).toThrow(/rater "r3" gave 5 for indicator "s1.2"/);
    }
  });
});
