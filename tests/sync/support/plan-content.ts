/**
 * What the sync tests write into their `plan` documents, where a plan's shape allows it
 * (@concord/documents/shapes): the server knows each document's kind and refuses anything else
 * (unknown roots and keys, a value of the wrong type, a Yjs type replaced by a new one), so every
 * edit a test expects to pass is one a person could make in the web app.
 *
 * Every document starts from `planSeed()` (appended to the store before any client connects):
 * one goal and one metric holding the containers the tests edit. Clients edit inside them only
 * once they hold the seed (synced, or a hand-made client that applied the same bytes first), so
 * no client ever creates a shared container (several clients creating the same one at once would
 * replace each other's, which the server refuses):
 *
 * - goals/<GOAL_ID>/title: a Y.Text (a line of plain characters, at most 20,000);
 * - goals/<GOAL_ID>/owners: a Y.Array of user ids (strings);
 * - goals/<GOAL_ID>/{area,status,confidence,dueDate}: plain values (ids, one of low/medium/high,
 *   a date), each replaced whole and removable;
 * - metrics/<METRIC_ID>/baseline: a Y.Map of subgroup key -> number, entries removable;
 * - metrics/<METRIC_ID>/actuals: a Y.Array of { subgroup, date, value } records.
 */
import * as Y from 'yjs';

export const GOAL_ID = 'sync-goal';
export const METRIC_ID = 'sync-metric';
/** The seed's Yjs client id (fixed, so every copy of the seed is the same bytes; far below the
 * test clients' ids). */
const SEED_CLIENT_ID = 1;

/** A plan document's state holding the goal and the metric the tests edit (empty). */
export function planSeed(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = SEED_CLIENT_ID;
  doc.transact(() => {
    const goal = new Y.Map<unknown>();
    doc.getMap('goals').set(GOAL_ID, goal);
    goal.set('title', new Y.Text());
    goal.set('owners', new Y.Array());
    const metric = new Y.Map<unknown>();
    doc.getMap('metrics').set(METRIC_ID, metric);
    metric.set('baseline', new Y.Map());
    metric.set('actuals', new Y.Array());
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

function entry<T>(doc: Y.Doc, root: 'goals' | 'metrics', id: string, key: string): T {
  const holder = doc.getMap(root).get(id);
  const value = holder instanceof Y.Map ? (holder.get(key) as unknown) : undefined;
  if (value === undefined) {
    throw new Error(`${root}/${id}/${key} is missing: the client does not hold the seed yet`);
  }
  return value as T;
}

/** The seeded goal (plain values are set and removed on it). */
export function goal(doc: Y.Doc): Y.Map<unknown> {
  const value = doc.getMap('goals').get(GOAL_ID);
  if (!(value instanceof Y.Map)) throw new Error('the client does not hold the seed yet');
  return value;
}

/** The seeded goal's title, where the tests type. */
export function title(doc: Y.Doc): Y.Text {
  return entry<Y.Text>(doc, 'goals', GOAL_ID, 'title');
}

/** The seeded goal's title as text ('' when the doc does not hold the seed). */
export function titleText(doc: Y.Doc): string {
  const holder = doc.getMap('goals').get(GOAL_ID);
  const text = holder instanceof Y.Map ? holder.get('title') : undefined;
  return text instanceof Y.Text ? text.toString() : '';
}

export function owners(doc: Y.Doc): Y.Array<string> {
  return entry<Y.Array<string>>(doc, 'goals', GOAL_ID, 'owners');
}

/** The seeded metric's baseline: subgroup key -> number. */
export function baseline(doc: Y.Doc): Y.Map<number> {
  return entry<Y.Map<number>>(doc, 'metrics', METRIC_ID, 'baseline');
}

/** The seeded metric's baseline as a plain object ({} when the doc does not hold the seed). */
export function baselineJSON(doc: Y.Doc): Record<string, number> {
  const holder = doc.getMap('metrics').get(METRIC_ID);
  const map = holder instanceof Y.Map ? holder.get('baseline') : undefined;
  return map instanceof Y.Map ? (map.toJSON() as Record<string, number>) : {};
}

export interface Actual {
  subgroup: string;
  date: string;
  value: number;
}

export function actuals(doc: Y.Doc): Y.Array<Actual> {
  return entry<Y.Array<Actual>>(doc, 'metrics', METRIC_ID, 'actuals');
}
