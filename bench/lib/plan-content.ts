/**
 * What the sync benchmarks write, where a `plan` document's shape allows it
 * (@concord/documents/shapes): Concord's server knows each document's kind and refuses anything
 * else (unknown roots and keys, values of the wrong type, a Yjs type replaced by a new one). Every
 * server under comparison (the floor, Hocuspocus, Concord) gets exactly the same client writes.
 *
 * - Fan-out (P1, P2, P5): every client writes entries into one shared map, the baseline of the
 *   plan's metric METRIC_ID (`metrics/<METRIC_ID>/baseline/<key>` -> a finite number; keys like
 *   `12.3` are valid subgroup keys). The metric and its map are in FANOUT_SEED, which Concord's
 *   store holds before anyone connects and every client applies before it connects (the same
 *   bytes: a client that has the document already), so no client creates the shared map (several
 *   creating it at once would replace each other's, which Concord refuses).
 * - Cold load (P3): one writer adds goal GOAL_ID with an empty title (a Y.Text: a line of plain
 *   characters, at most 20,000) and types into that title.
 */
import * as Y from 'yjs';

export const METRIC_ID = 'bench-metric';
export const GOAL_ID = 'bench-goal';
/** The seed's Yjs client id: fixed, so every copy of the seed is the same bytes. */
const SEED_CLIENT_ID = 1;

function fanoutSeed(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = SEED_CLIENT_ID;
  doc.transact(() => {
    const metric = new Y.Map<unknown>();
    doc.getMap('metrics').set(METRIC_ID, metric);
    metric.set('baseline', new Y.Map());
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** A plan document's state holding metric METRIC_ID with an empty baseline map. */
export const FANOUT_SEED: Uint8Array = fanoutSeed();

/** The shared map of the fan-out (in a doc that holds FANOUT_SEED). */
export function fanoutMap(doc: Y.Doc): Y.Map<number> {
  const metric = doc.getMap('metrics').get(METRIC_ID);
  const baseline = metric instanceof Y.Map ? metric.get('baseline') : undefined;
  if (!(baseline instanceof Y.Map)) throw new Error('the document does not hold FANOUT_SEED');
  return baseline as Y.Map<number>;
}

/** Adds goal GOAL_ID with an empty title to `doc` (one transaction) and returns the title. */
export function addGoal(doc: Y.Doc): Y.Text {
  const title = new Y.Text();
  doc.transact(() => {
    const goal = new Y.Map<unknown>();
    doc.getMap('goals').set(GOAL_ID, goal);
    goal.set('title', title);
  });
  return title;
}

/** Goal GOAL_ID's title in `doc`, or undefined while the doc does not have it. */
export function goalTitle(doc: Y.Doc): Y.Text | undefined {
  const goal = doc.getMap('goals').get(GOAL_ID);
  const title = goal instanceof Y.Map ? goal.get('title') : undefined;
  return title instanceof Y.Text ? title : undefined;
}
