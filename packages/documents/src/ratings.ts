/**
 * One rater's private ratings document (kind `ratings`, owned by the rater, parent = the
 * assessment or checklist it rates): per indicator the chosen level value (a single choice, last
 * writer wins by design; null = cleared) and a note (rich text, a Y.XmlFragment since schema v2,
 * so the rater's laptop and phone merge). The server withholds the whole document from everyone else until the facilitator
 * reveals, which is why ratings are not kept in the shared assessment.
 */
import { outline, type LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { refuse } from './errors.js';
import { entryOf } from './leveled.js';
import { writeMeta } from './meta.js';
import { fragmentAt } from './rich-text.js';
import { ROOT } from './schema.js';
import { asFragment, rootMap, show, textOf } from './values.js';

/** Level value per indicator id, null where the rater has not rated (or wrote junk). */
export type RatingsSnapshot = Record<string, number | null>;

/** Lays out a new ratings document for `template`: nothing rated, an empty note per indicator. */
export function createRatings(doc: Y.Doc, template: LeveledTemplate): void {
  doc.transact(() => {
    writeMeta(doc, 'ratings', template);
    doc.getMap(ROOT.ratings);
    const notes = doc.getMap<Y.XmlFragment>(ROOT.notes);
    for (const entry of outline(template).entries) {
      notes.set(entry.indicator.id, new Y.XmlFragment());
    }
  });
}

/**
 * Every active indicator of the template with the rater's level, or null when unrated. A value
 * that is not a level of that indicator's scale reads as null: it plugs straight into
 * rubric-core's RaterRating.
 */
export function readRatings(doc: Y.Doc, template: LeveledTemplate): RatingsSnapshot {
  const ratings = rootMap(doc, ROOT.ratings);
  const out: RatingsSnapshot = {};
  for (const entry of outline(template).entries) {
    const value = ratings?.get(entry.indicator.id);
    out[entry.indicator.id] =
      typeof value === 'number' && entry.scale.levels.some((l) => l.value === value) ? value : null;
  }
  return out;
}

/** The rater's non-empty notes, by indicator id. */
export function readRatingNotes(doc: Y.Doc, template: LeveledTemplate): Record<string, string> {
  const notes = rootMap(doc, ROOT.notes);
  const out: Record<string, string> = {};
  for (const entry of outline(template).entries) {
    const note = textOf(notes?.get(entry.indicator.id));
    if (note.trim() !== '') out[entry.indicator.id] = note;
  }
  return out;
}

/** Sets (or with null, clears) the rater's level for one indicator. */
export function setRating(
  doc: Y.Doc,
  template: LeveledTemplate,
  indicatorId: string,
  value: number | null,
): void {
  const entry = entryOf(template, indicatorId);
  refuse([
    value !== null &&
      !entry.scale.levels.some((l) => l.value === value) &&
      `value: choose one of ${entry.scale.levels.map((l) => `${l.value} ${l.label}`).join(', ')}, or null to clear; got ${show(value)}`,
  ]);
  doc.transact(() => doc.getMap(ROOT.ratings).set(indicatorId, value));
}

/**
 * The rater's note on one indicator, for an editor to bind to: created when missing, and a v1
 * Y.Text note converted to a fragment with the same text.
 */
export function ratingNote(
  doc: Y.Doc,
  template: LeveledTemplate,
  indicatorId: string,
): Y.XmlFragment {
  entryOf(template, indicatorId);
  const notes = doc.getMap<unknown>(ROOT.notes);
  const existing = asFragment(notes.get(indicatorId));
  if (existing) return existing;
  let fragment!: Y.XmlFragment;
  doc.transact(() => {
    fragment = fragmentAt(notes, indicatorId);
  });
  return fragment;
}
