import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EMPTY_UPDATE, mergeUpdates, squashUpdates } from './merge.js';

/** A text typed one character per update, every 5th edit a backspace, and a map entry changed. */
function typed(edits: number): Uint8Array[] {
  const doc = new Y.Doc();
  // Fixed, not Yjs's random one: encoded sizes depend on it (every item names its origin's
  // client), and a size is compared below. As large as most random ids are (a 5-byte varint);
  // with an id under 2^21 the squash saves a little less (the ratio is 0.60 instead of 0.58).
  doc.clientID = 0x9e3779b9;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('text');
  for (let i = 0; i < edits; i++) {
    if (i % 5 === 4) text.delete(text.length - 1, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  doc.getMap('meta').set('title', 'draft');
  doc.getMap('meta').set('title', 'final');
  return updates;
}

/** The whole state, deleted content included, as a document that keeps it re-encodes it. */
function fullState(update: Uint8Array): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, update);
  return Y.encodeStateAsUpdate(doc);
}

describe('squashUpdates', () => {
  it('holds exactly what the updates hold, deleted content included', () => {
    const updates = typed(300);
    const squashed = squashUpdates(updates);
    expect(fullState(squashed)).toEqual(fullState(mergeUpdates(updates)));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, squashed);
    expect(doc.getText('text').length).toBe(180);
    expect(doc.getMap('meta').get('title')).toBe('final');
    // The overwritten map value is still in the bytes (gc off), as mergeUpdates keeps it.
    const contents = Y.decodeUpdate(squashed).structs.flatMap((s) =>
      s instanceof Y.Item && s.content instanceof Y.ContentAny ? s.content.arr : [],
    );
    expect(contents).toContain('draft');
  });

  it('joins each run of typing into one item, where mergeUpdates keeps one per update', () => {
    const updates = typed(1_000);
    const merged = mergeUpdates(updates);
    const squashed = squashUpdates(updates);
    // One struct per inserting update (800 characters, 2 map values) ...
    expect(Y.decodeUpdate(merged).structs.length).toBe(802);
    // ... against one per run: 3 live characters and the one deleted after them per 5 edits.
    expect(Y.decodeUpdate(squashed).structs.length).toBeLessThanOrEqual(402);
    expect(squashed.byteLength).toBeLessThan(merged.byteLength * 0.6);
  });

  it('keeps updates whose dependencies are missing, to be completed by a later fold', () => {
    const updates = typed(50);
    const gap = 10;
    const squashed = squashUpdates([...updates.slice(0, gap), ...updates.slice(gap + 1)]);
    const doc = new Y.Doc({ gc: false });
    Y.applyUpdate(doc, squashed);
    expect(doc.store.pendingStructs).not.toBeNull();
    Y.applyUpdate(doc, updates[gap]!);
    expect(fullState(Y.encodeStateAsUpdate(doc))).toEqual(fullState(mergeUpdates(updates)));
  });

  it('folds a checkpoint with later updates as it folds the updates themselves', () => {
    const updates = typed(400);
    const checkpoint = squashUpdates(updates.slice(0, 200));
    expect(squashUpdates([checkpoint, ...updates.slice(200)])).toEqual(squashUpdates(updates));
  });

  it('folds nothing into the empty document', () => {
    expect(squashUpdates([])).toEqual(EMPTY_UPDATE);
  });
});
