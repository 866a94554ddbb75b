import { describe, expect, it } from 'vitest';
import {
  formatSourceDate,
  indicatorIds,
  itemCounts,
  kindLabel,
  numbered,
  referenceLabel,
  summarize,
} from './catalogue';
import { maPlnDistrictConditions, schoolworksPrerequisites } from '@concord/rubric-core/templates';
import { checklistFixture, planFixture, rubricFixture } from './test/fixtures';

describe('formatSourceDate', () => {
  it('formats every precision the schema allows', () => {
    expect(formatSourceDate('2015-08-21')).toBe('August 21, 2015');
    expect(formatSourceDate('2020-03')).toBe('March 2020');
    expect(formatSourceDate('2015')).toBe('2015');
  });

  it('leaves an impossible month as printed', () => {
    expect(formatSourceDate('2015-13')).toBe('2015-13');
  });
});

describe('kindLabel', () => {
  it('names the three kinds', () => {
    expect(kindLabel('rubric')).toBe('Rubric');
    expect(kindLabel('checklist')).toBe('Checklist');
    expect(kindLabel('plan')).toBe('Plan framework');
  });
});

describe('indicatorIds', () => {
  it('walks nested sections in document order, retired included', () => {
    expect(indicatorIds(rubricFixture)).toEqual([
      'fx.a.1.1',
      'fx.a.1.3',
      'fx.a.1.x.1',
      'fx.b.1',
      'fx.c.1',
    ]);
  });

  it('uses metric indicators for plan frameworks', () => {
    expect(indicatorIds(planFixture)).toEqual(['m.att', 'm.prof', 'm.growth']);
  });
});

describe('summarize', () => {
  it('counts sections, live indicators, levels and outcome measures of a rubric', () => {
    const s = summarize(rubricFixture);
    expect(s.kindLabel).toBe('Rubric');
    expect(s.dateText).toBe('August 21, 2015');
    // An unscored section's items are counted on their own, under the section's title.
    expect(s.counts).toEqual([
      { count: 5, noun: 'sections' },
      { count: 3, noun: 'indicators' },
      { count: 1, noun: 'Autonomies' },
      { count: 3, noun: 'levels' },
      { count: 1, noun: 'outcome measure' },
    ]);
    expect(s.levels.map((l) => l.label)).toEqual(['Low', 'Mid', 'High']);
  });

  it('marks the level that blocks launch on a checklist', () => {
    const s = summarize(checklistFixture);
    expect(s.levels).toEqual([
      { value: 1, label: 'Barrier', blocksLaunch: true },
      { value: 2, label: 'Sufficient', blocksLaunch: false },
    ]);
    expect(s.counts[0]).toEqual({ count: 1, noun: 'section' });
  });

  it('counts District Conditions as the seed does: 28 indicators and 6 areas of autonomy', () => {
    // The card's description says 28 indicators; its counts said 34 (the autonomy areas in).
    const s = summarize(maPlnDistrictConditions);
    expect(s.description).toContain('28 indicators in five conditions');
    expect(s.counts).toEqual([
      { count: 6, noun: 'sections' },
      { count: 28, noun: 'indicators' },
      { count: 6, noun: 'Required Areas of Autonomy and Flexibility' },
      { count: 4, noun: 'levels' },
    ]);
    expect(itemCounts(schoolworksPrerequisites)).toEqual([{ count: 8, noun: 'categories' }]);
  });

  it('counts areas, phases, metrics and themes of a plan framework', () => {
    const s = summarize(planFixture);
    expect(s.kindLabel).toBe('Plan framework');
    expect(s.levels).toEqual([]);
    expect(s.counts).toEqual([
      { count: 2, noun: 'plan areas' },
      { count: 2, noun: 'phases' },
      { count: 3, noun: 'metrics' },
      { count: 1, noun: 'theme' },
    ]);
  });
});

describe('referenceLabel and numbered', () => {
  it('prefers a trailing abbreviation, then a short title, then the id', () => {
    expect(
      referenceLabel({ id: 'ccsso', title: 'Council of Chief State School Officers (CCSSO)' }),
    ).toBe('CCSSO');
    expect(referenceLabel({ id: 'iste', title: 'ISTE Standards' })).toBe('ISTE Standards');
    expect(referenceLabel({ id: 'np', title: 'A very long reference source title indeed' })).toBe(
      'NP',
    );
  });

  it('joins a section number and title', () => {
    expect(numbered('1', 'Leadership')).toBe('1. Leadership');
    expect(numbered('V.', 'Leadership')).toBe('V. Leadership');
    expect(numbered(undefined, 'Leadership')).toBe('Leadership');
  });
});
