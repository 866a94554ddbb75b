import { revealedRatings } from '@concord/documents';
import { groupAgreement, summarizeAssessment } from '@concord/rubric-core';
import { maPlnDistrictConditions } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { idsOf, roundOf as fixtureRound, type Snapshot } from './test-round';
import {
  alphaMeaning,
  coefficient,
  kappaMeaning,
  percent,
  roundStatistics,
  type Figure,
  type FigureKind,
} from './statistics';

const FOUR = { A: 'Rater A', B: 'Rater B', C: 'Rater C', D: 'Rater D' };
const roundOf = (
  revealed: Snapshot,
  raters: Record<string, string> = FOUR,
  sections = Object.keys(revealed),
) => fixtureRound(revealed, raters, 1, sections);

const dc = maPlnDistrictConditions;

/** Rows of [A, B, C, D] for the first items of a section. */
function ratingsOf(section: string, rows: (number | null)[][]): Snapshot[string] {
  const ids = idsOf(dc, section);
  return Object.fromEntries(
    rows.map((row, i) => [ids[i]!, Object.fromEntries(row.map((v, r) => ['ABCD'[r]!, v]))]),
  );
}

const fig = (figures: Figure[], kind: FigureKind) => {
  const f = figures.find((x) => x.kind === kind);
  if (!f) throw new Error(`no ${kind}`);
  return f;
};

// Planted disagreements: dc.1 mostly agreed, dc.2 with two items two or more levels apart.
const planted: Snapshot = {
  'dc.1': ratingsOf('dc.1', [
    [3, 3, 3, 3],
    [2, 2, 3, 2],
    [4, 4, 4, 3],
    [1, 1, 2, 1],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
  ]),
  'dc.2': ratingsOf('dc.2', [
    [1, 3, 3, 3],
    [1, 4, 2, 4],
    [2, 2, 2, 3],
    [4, 4, 4, 4],
  ]),
};

describe('roundStatistics', () => {
  const round = roundOf(planted, FOUR, ['dc.1', 'dc.2', 'dc.3']);
  const stats = roundStatistics(dc, round);

  it("gives rubric-core's figures for the same ratings, the round's and each section's", () => {
    const summary = summarizeAssessment(dc, revealedRatings(round));
    const { alpha, kappa } = summary.reliability;
    if (alpha.alpha === null || kappa.kappa === null) throw new Error('expected figures');
    const f = stats.round.figures;
    expect(fig(f, 'alpha').value).toBe(alpha.alpha);
    expect(fig(f, 'kappa').value).toBe(kappa.kappa);
    const agreement = groupAgreement(summary.stats.values());
    expect(fig(f, 'exact').value).toBe(agreement.exact);
    expect(fig(f, 'adjacent').value).toBe(agreement.adjacent);
    expect(f.map((x) => x.basis)).toEqual(Array(4).fill('4 raters, 10 items'));

    const dc2 = summarizeAssessment(dc, revealedRatings(roundOf({ 'dc.2': planted['dc.2']! })));
    const section = stats.sections.find((s) => s.id === 'dc.2')!;
    expect(fig(section.figures, 'alpha').value).toBe(dc2.reliability.alpha.alpha);
    expect(fig(section.figures, 'kappa').value).toBe(dc2.reliability.kappa.kappa);
  });

  it('names the scopes as the page does and says when the round is not all revealed', () => {
    expect(stats.round.heading).toBe('Round 1');
    expect(stats.round.note).toBe('Rests on the 2 sections revealed so far, of 3.');
    expect(stats.sections.map((s) => s.heading)).toEqual([
      '1 District Leadership',
      '2 District Vision of Personalized Learning and Commitment to Multiple Personalized Learning Schools',
    ]);
  });

  it('explains each figure in one plain sentence', () => {
    const dc1 = stats.sections[0]!.figures;
    const dc2 = stats.sections[1]!.figures;
    const exact = fig(dc1, 'exact');
    // [3,3,3,3] 6/6, [2,2,3,2] 3/6, [4,4,4,3] 3/6, [1,1,2,1] 3/6, 6/6, 6/6: mean 0.75.
    expect(exact.value).toBe(0.75);
    expect(exact.sentence).toBe(
      '75%: on an average item, about 8 in 10 pairs of raters chose the same level.',
    );
    expect(fig(dc1, 'adjacent').sentence).toBe(
      '100%: on every item, every pair of raters chose the same level or levels next to each other.',
    );
    for (const f of [...dc1, ...dc2, ...stats.round.figures]) {
      expect(f.sentence).toMatch(/\.$/);
      expect(f.sentence.slice(0, -1)).not.toMatch(/[.!?]\s/); // one sentence
      expect(f.sentence.startsWith(`${f.display}: `)).toBe(true);
    }
    const alpha = fig(dc2, 'alpha');
    expect(alpha.value).toBeLessThan(0.667);
    expect(alpha.meaning).toBe(alphaMeaning(alpha.value!));
    expect(fig(dc2, 'kappa').meaning).toBe(kappaMeaning(fig(dc2, 'kappa').value!));
    expect(fig(dc2, 'exact').caution).toBe('Only 4 items: read it as a rough guide.');
    expect(fig(stats.round.figures, 'exact').caution).toBeNull();
  });

  it('says "Not enough data" with the reason where a figure cannot be computed', () => {
    // One rater per item: nothing to compare.
    const lone = roundStatistics(
      dc,
      roundOf({
        'dc.1': ratingsOf('dc.1', [
          [3, null, null, null],
          [null, 2, null, null],
        ]),
      }),
    ).round.figures;
    for (const f of lone) {
      expect(f.value).toBeNull();
      expect(f.display).toBe('Not enough data');
    }
    expect(fig(lone, 'alpha').sentence).toBe(
      'Not enough data: no item was rated by two or more raters, so there are no two ratings to compare.',
    );
    expect(fig(lone, 'kappa').meaning).toBe(
      'each item has a single rating; kappa needs at least two raters per item',
    );

    // A rater skipped an item: alpha is there, kappa is not.
    const skipped = roundStatistics(
      dc,
      roundOf({
        'dc.1': ratingsOf('dc.1', [
          [3, 3, 2, 3],
          [1, 2, null, 1],
          [4, 4, 3, 3],
        ]),
      }),
    ).round.figures;
    expect(fig(skipped, 'alpha').value).not.toBeNull();
    expect(fig(skipped, 'kappa').sentence).toBe(
      'Not enough data: kappa needs every item rated by the same number of raters, and 1 of 3 rated items has a different number of ratings than the usual 4 (alpha allows for that).',
    );
    expect(fig(skipped, 'kappa').basis).toBe('4 raters, 3 items');
    expect(fig(skipped, 'kappa').caution).toBeNull();

    // Everyone the same: complete agreement, but alpha and kappa have nothing to weigh it against.
    const same = roundStatistics(
      dc,
      roundOf({
        'dc.1': ratingsOf('dc.1', [
          [3, 3, 3, 3],
          [3, 3, 3, 3],
        ]),
      }),
    ).round.figures;
    expect(fig(same, 'exact').display).toBe('100%');
    expect(fig(same, 'alpha').meaning).toMatch(/every rating is the same level/);
    expect(fig(same, 'kappa').meaning).toMatch(/every rating is the same level/);

    // Nothing rated yet.
    const none = roundStatistics(dc, roundOf({ 'dc.1': {} })).round.figures;
    expect(none.map((f) => f.meaning)).toEqual(Array(4).fill('no item of these has been rated'));
  });

  it('leaves out items not scored on the rubric scale, and says so', () => {
    const auto = idsOf(dc, 'dc.autonomy');
    const round = roundOf({
      'dc.1': planted['dc.1']!,
      'dc.autonomy': { [auto[0]!]: { A: 0, B: 1, C: 1, D: 1 } },
    });
    const stats = roundStatistics(dc, round);
    expect(stats.round.note).toBe("6 items not scored on the rubric's scale are left out.");
    expect(fig(stats.round.figures, 'exact').items).toBe(6);
    const autonomy = stats.sections.find((s) => s.id === 'dc.autonomy')!;
    expect(autonomy.note).toBe(
      "These items are not scored on the rubric's scale, so no agreement figures are given for them.",
    );
    expect(autonomy.figures.every((f) => f.value === null)).toBe(true);
  });

  it('cautions where a figure rests on few raters', () => {
    const two = roundStatistics(
      dc,
      roundOf(
        {
          'dc.1': ratingsOf('dc.1', [
            [1, 3],
            [2, 2],
            [3, 4],
            [4, 4],
            [1, 2],
            [2, 3],
          ]),
        },
        { A: 'Rater A', B: 'Rater B' },
      ),
    ).round.figures;
    expect(fig(two, 'alpha').caution).toBe('Only 2 raters: read it as a rough guide.');
  });
});

describe('wording', () => {
  it("reads alpha against Krippendorff's 0.667 and 0.8", () => {
    expect(alphaMeaning(0.85)).toMatch(/rely on the ratings/);
    expect(alphaMeaning(0.7)).toMatch(/tentative conclusions, not yet/);
    expect(alphaMeaning(0.3)).toMatch(/too little/);
    expect(alphaMeaning(-0.1)).toMatch(/more than chance would give/);
  });

  it('reads kappa in Landis and Koch bands', () => {
    expect(
      [-0.1, 0.1, 0.2, 0.3, 0.42, 0.7, 0.9].map((k) => /\((.+)\)$/.exec(kappaMeaning(k))?.[1]),
    ).toEqual([
      'poor agreement',
      'slight agreement',
      'slight agreement',
      'fair agreement',
      'moderate agreement',
      'substantial agreement',
      'almost perfect agreement',
    ]);
  });

  it('prints coefficients with the decimals that keep them in their band', () => {
    expect(coefficient(0.4213, kappaMeaning)).toBe('0.42');
    expect(coefficient(0.666, alphaMeaning)).toBe('0.666');
    expect(coefficient(0.7996, alphaMeaning)).toBe('0.7996');
    expect(coefficient(-0.05, alphaMeaning)).toBe('\u22120.05');
    expect(coefficient(-0.001, kappaMeaning)).toBe('\u22120.001');
  });

  it('never rounds a share to 100% or 0% that is not', () => {
    expect(percent(1)).toBe('100%');
    expect(percent(0.996)).toBe('99%');
    expect(percent(0.004)).toBe('1%');
    expect(percent(0)).toBe('0%');
  });
});
