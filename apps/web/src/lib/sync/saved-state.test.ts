import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
  combineSaveStatus,
  describeSaveStatus,
  isUpdateFrame,
  itemKeysOf,
  SaveTracker,
  type PendingStore,
} from './saved-state.svelte';
import * as Y from 'yjs';

function frame(type: number, sub: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
  return encoding.toUint8Array(e);
}
const STEP1 = frame(0, 0);
const STEP2 = frame(0, 1);
const UPDATE = frame(0, 2);
const AWARENESS = frame(1, 0);

function memoryStore(): PendingStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (k) => data.get(k) ?? null,
    set: (k, v) => void data.set(k, v),
    remove: (k) => void data.delete(k),
  };
}

describe('isUpdateFrame', () => {
  it('counts sync step 2 and update messages only', () => {
    expect(isUpdateFrame(STEP2)).toBe(true);
    expect(isUpdateFrame(UPDATE)).toBe(true);
    expect(isUpdateFrame(STEP1)).toBe(false);
    expect(isUpdateFrame(AWARENESS)).toBe(false);
    expect(isUpdateFrame(new Uint8Array([0]))).toBe(false);
  });
});

describe('SaveTracker', () => {
  it('is Saved only once the server acknowledged every local change', () => {
    const t = new SaveTracker('d1', memoryStore());
    t.opened(true);
    t.frameSent(STEP1);
    t.frameSent(STEP2); // message 1: nothing local yet
    t.saved(1);
    expect(t.status).toEqual({ kind: 'saved' });

    t.localChange(['item:1.1']);
    t.frameSent(UPDATE); // message 2 carries change 1
    t.localChange(['item:1.2']);
    t.frameSent(UPDATE); // message 3 carries change 2
    expect(t.status).toEqual({ kind: 'saving', pending: ['item:1.1', 'item:1.2'] });
    t.saved(2);
    expect(t.status).toEqual({ kind: 'saving', pending: ['item:1.2'] });
    t.saved(3);
    expect(t.status).toEqual({ kind: 'saved' });
  });

  it('counts items, not keystrokes: two sentences typed offline are edits to one item', () => {
    const store = memoryStore();
    const t = new SaveTracker('d2', store);
    t.opened(true);
    t.closed(true);
    for (const _ of 'Board minutes from September. The vision is adopted.') {
      t.localChange(['item:1.1']);
    }
    t.localChange(['item:1.1', 'item:2.3']);
    t.localChange(); // a change whose item is not known counts as one of its own
    expect(t.status).toEqual({
      kind: 'offline',
      pending: ['item:1.1', 'item:2.3', expect.stringMatching(/^change:/)],
    });
    expect(describeSaveStatus(t.status)).toBe('Offline: edits to 3 items waiting');
    expect(JSON.parse(store.data.get('concord:pending:d2')!)).toHaveLength(3);

    t.opened(true);
    t.frameSent(STEP2); // the reconnect's step 2 carries all of them
    expect(t.status.kind).toBe('saving');
    // An acknowledgement of a message from before the reconnect means nothing now.
    t.saved(0);
    expect(t.pending).toHaveLength(3);
    t.saved(1);
    expect(t.status).toEqual({ kind: 'saved' });
    expect(store.data.has('concord:pending:d2')).toBe(false);
  });

  it('restores the waiting items after a reload, until the server has them', () => {
    const store = memoryStore();
    store.set('concord:pending:d3', JSON.stringify(['item:1.1', 'item:1.2']));
    const t = new SaveTracker('d3', store);
    expect(t.pending).toEqual(['item:1.1', 'item:1.2']);
    expect(describeSaveStatus(t.status)).toBe('Connecting: edits to 2 items waiting');
    t.opened(true);
    t.frameSent(STEP2);
    t.saved(1);
    expect(t.status).toEqual({ kind: 'saved' });
    // A count kept by an older page reads as that many items.
    store.set('concord:pending:d6', '4');
    expect(new SaveTracker('d6', store).pending).toHaveLength(4);
  });

  it('a read-only connection counts nothing; a refusal is shown as cannot save', () => {
    const t = new SaveTracker('d4', memoryStore());
    t.readOnly = 'View only';
    t.opened(false);
    t.frameSent(STEP2);
    t.saved(1);
    expect(t.status).toEqual({ kind: 'read-only', reason: 'View only' });
    t.refused('read-only: this connection may not change the document');
    expect(describeSaveStatus(t.status)).toBe(
      "Can't save: read-only: this connection may not change the document",
    );
  });

  it('ignores junk in storage', () => {
    const store = memoryStore();
    store.set('concord:pending:d5', 'lots');
    expect(new SaveTracker('d5', store).pending).toEqual([]);
  });
});

describe('itemKeysOf', () => {
  it('names the item a transaction touched, the same in the instrument and my ratings', () => {
    const doc = new Y.Doc();
    const items = doc.getMap<Y.Map<unknown>>('items');
    const item = new Y.Map<unknown>();
    const evidence = new Y.XmlFragment();
    item.set('evidence', evidence);
    items.set('dc.1.1', item);
    const seen: string[][] = [];
    doc.on('update', (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) =>
      seen.push(itemKeysOf(tr.changed)),
    );
    const p = new Y.XmlElement('paragraph');
    evidence.insert(0, [p]);
    p.insert(0, [new Y.XmlText('Board minutes')]);
    doc.getMap('ratings').set('dc.1.1', 3);
    doc.getMap('goals').set('g1', 'x');
    doc.getXmlFragment('visionRich').insert(0, [new Y.XmlElement('paragraph')]);
    expect(seen).toEqual([
      ['item:dc.1.1'],
      ['item:dc.1.1'],
      ['item:dc.1.1'],
      ['goals/g1'],
      ['visionRich'],
    ]);
  });
});

describe('combineSaveStatus', () => {
  it('shows the worst of the page’s documents, with the waiting changes added up', () => {
    expect(combineSaveStatus([{ kind: 'saved' }, { kind: 'saving', pending: ['a', 'b'] }])).toEqual(
      { kind: 'saving', pending: ['a', 'b'] },
    );
    // An item changed in two documents (its rating and its evidence) waits once.
    expect(
      combineSaveStatus([
        { kind: 'offline', pending: ['item:1'] },
        { kind: 'saving', pending: ['item:1', 'item:2'] },
      ]),
    ).toEqual({ kind: 'offline', pending: ['item:1', 'item:2'] });
    expect(
      combineSaveStatus([
        { kind: 'read-only', reason: 'View only' },
        { kind: 'failed', reason: 'x' },
      ]),
    ).toEqual({ kind: 'failed', reason: 'x' });
    expect(combineSaveStatus([{ kind: 'read-only', reason: 'View only' }])).toEqual({
      kind: 'read-only',
      reason: 'View only',
    });
  });

  it('says View only for a viewer whose comments are all saved, not Saved', () => {
    const viewOnly = { kind: 'read-only', reason: 'View only' } as const;
    expect(combineSaveStatus([viewOnly, { kind: 'saved' }])).toEqual(viewOnly);
    // A comment of theirs still on its way is shown as such.
    expect(combineSaveStatus([viewOnly, { kind: 'saving', pending: ['threads/t1'] }])).toEqual({
      kind: 'saving',
      pending: ['threads/t1'],
    });
  });
});
