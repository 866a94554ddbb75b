import { outline } from '@concord/rubric-core';
import {
  maPlnDistrictConditions as rubric,
  schoolworksPrerequisites as checklist,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import { describeItem, ratedItems } from './gaps';

const pre = { documentId: 'd1', instrument: 'Prerequisites to Launch', school: null };
const dc = { documentId: 'd2', instrument: 'District Conditions', school: null };
const dcEntry = outline(rubric).entries[0]!;
const dcLevels = dcEntry.scale.levels;

describe('readiness gaps', () => {
  it('a Barrier to Launch, a rubric item below its ready level, and ready ones not', () => {
    const items = ratedItems([
      { ...pre, template: checklist, indicatorId: 'pre.funding', value: 1 },
      { ...pre, template: checklist, indicatorId: 'pre.research', value: 2 },
      { ...dc, template: rubric, indicatorId: dcEntry.indicator.id, value: dcLevels[0]!.value },
      { ...dc, template: rubric, indicatorId: dcEntry.indicator.id, value: dcLevels.at(-1)!.value },
    ]);
    expect(items.map((i) => [i.itemId, i.gap])).toEqual([
      ['pre.funding', 'barrier'],
      ['pre.research', null],
      [dcEntry.indicator.id, 'low'],
      [dcEntry.indicator.id, null],
    ]);
    expect(describeItem(items[0]!)).toBe(
      '6 Funding (Prerequisites to Launch): 1 Barrier to Launch',
    );
  });

  it('leaves out what the template does not have', () => {
    expect(
      ratedItems([
        { ...pre, template: checklist, indicatorId: 'pre.nope', value: 1 },
        { ...pre, template: checklist, indicatorId: 'pre.funding', value: 99 },
      ]),
    ).toEqual([]);
  });
});
