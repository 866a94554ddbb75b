import { indicatorStats } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentInputError } from './errors.js';
import { readMeta } from './meta.js';
import { createRatings, ratingNote, readRatingNotes, readRatings, setRating } from './ratings.js';
import { toAssessmentRatings } from './scoring-input.js';
import { exchange, reload, twoPeers, typeInto, withHostileEdit } from './test-fixtures.js';

describe('ratings document', () => {
  it('starts with every indicator unrated', () => {
    const doc = new Y.Doc();
    createRatings(doc, rubric);
    expect(readMeta(doc)?.kind).toBe('ratings');
    const ratings = readRatings(doc, rubric);
    expect(Object.keys(ratings)).toHaveLength(34);
    expect(Object.values(ratings).every((v) => v === null)).toBe(true);
  });

  it('round-trips ratings and notes; null clears a rating', () => {
    const doc = new Y.Doc();
    createRatings(doc, rubric);
    setRating(doc, rubric, 'dc.1.1', 3);
    setRating(doc, rubric, 'dc.1.2', 2);
    setRating(doc, rubric, 'dc.autonomy.1', 0);
    setRating(doc, rubric, 'dc.1.2', null);
    typeInto(ratingNote(doc, rubric, 'dc.1.1'), 0, 'Strong cabinet support');
    const copy = reload(doc);
    expect(readRatings(copy, rubric)).toMatchObject({
      'dc.1.1': 3,
      'dc.1.2': null,
      'dc.autonomy.1': 0,
    });
    expect(readRatingNotes(copy, rubric)).toEqual({ 'dc.1.1': 'Strong cabinet support' });
  });

  it('refuses a value off the indicator’s scale, writing nothing', () => {
    const doc = new Y.Doc();
    createRatings(doc, rubric);
    const before = Y.encodeStateVector(doc);
    expect(() => setRating(doc, rubric, 'dc.autonomy.1', 3)).toThrow(DocumentInputError);
    expect(() => setRating(doc, rubric, 'dc.1.1', 2.5)).toThrow(/choose one of 1 Area of Concern/);
    expect(() => setRating(doc, rubric, 'dc.9.9', 2)).toThrow(/not an indicator/);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('a rating is one choice: concurrent ratings converge on one of them; notes merge', () => {
    const [laptop, phone] = twoPeers((doc) => createRatings(doc, rubric));
    setRating(laptop, rubric, 'dc.2.1', 2);
    setRating(phone, rubric, 'dc.2.1', 4);
    typeInto(ratingNote(laptop, rubric, 'dc.2.1'), 0, 'Vision drafted.');
    typeInto(ratingNote(phone, rubric, 'dc.2.1'), 0, 'Board adopted it. ');
    exchange(laptop, phone);
    const value = readRatings(laptop, rubric)['dc.2.1'];
    expect([2, 4]).toContain(value);
    expect(readRatings(phone, rubric)['dc.2.1']).toBe(value);
    const note = readRatingNotes(laptop, rubric)['dc.2.1']!;
    // Both typed into an empty note, so each made a paragraph: both kept, one line each.
    expect(note.split('\n').sort()).toEqual(['Board adopted it. ', 'Vision drafted.']);
    expect(readRatingNotes(phone, rubric)['dc.2.1']).toBe(note);
  });

  it('reads junk values as unrated and ignores unknown indicators', () => {
    const base = new Y.Doc();
    createRatings(base, rubric);
    setRating(base, rubric, 'dc.1.1', 3);
    const doc = withHostileEdit(base, (h) => {
      const ratings = h.getMap<unknown>('ratings');
      ratings.set('dc.1.2', '4');
      ratings.set('dc.1.4', 9);
      ratings.set('dc.1.5', new Y.Text('3'));
      ratings.set('dc.1.6', { value: 3 });
      ratings.set('not.an.indicator', 3);
      h.getMap<unknown>('notes').set('dc.1.1', 17);
    });
    const ratings = readRatings(doc, rubric);
    expect(ratings['dc.1.1']).toBe(3);
    for (const id of ['dc.1.2', 'dc.1.4', 'dc.1.5', 'dc.1.6']) expect(ratings[id]).toBeNull();
    expect('not.an.indicator' in ratings).toBe(false);
    expect(readRatingNotes(doc, rubric)).toEqual({});
  });

  it('does not throw when a hostile client used a root name as another type', () => {
    const hostile = new Y.Doc();
    hostile.getText('ratings').insert(0, 'dc.1.1=4');
    hostile.getArray('notes').push(['x']);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(hostile));
    expect(Object.values(readRatings(doc, rubric)).every((v) => v === null)).toBe(true);
    expect(readRatingNotes(doc, rubric)).toEqual({});
    expect(readMeta(doc)).toBeNull();
  });

  it('plugs into rubric-core: the raters’ values give the disagreement flags', () => {
    const raters = [
      [1, 2, 2, 3],
      [3, 2, 1, 3],
      [3, 2, 4, 2],
      [3, 2, 4, 2],
    ].map((values, i) => {
      const doc = new Y.Doc();
      createRatings(doc, rubric);
      ['dc.1.1', 'dc.1.2', 'dc.1.4', 'dc.1.5'].forEach((id, j) =>
        setRating(doc, rubric, id, values[j]!),
      );
      return { raterId: `r${i}`, ratings: readRatings(doc, rubric) };
    });
    const input = toAssessmentRatings(rubric, raters);
    const flag = (id: string) =>
      indicatorStats(
        input[id]!.ratings.flatMap((r) => (r.value === null ? [] : [r.value])),
        rubric.scale,
      ).flag?.kind ?? null;
    expect(flag('dc.1.1')).toBe('one-outlier'); // 1,3,3,3
    expect(flag('dc.1.2')).toBeNull(); // 2,2,2,2
    expect(flag('dc.1.4')).toBe('spread'); // 2,1,4,4
    expect(flag('dc.1.5')).toBe('split'); // 3,3,2,2
  });
});
