import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
  combineSaveStatus,
  describeSaveStatus,
  isUpdateFrame,
  SaveTracker,
  type PendingStore,
} from './saved-state.svelte';

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

    t.localChange();
    t.frameSent(UPDATE); // message 2 carries change 1
    t.localChange();
    t.frameSent(UPDATE); // message 3 carries change 2
    expect(t.status).toEqual({ kind: 'saving', pending: 2 });
    t.saved(2);
    expect(t.status).toEqual({ kind: 'saving', pending: 1 });
    t.saved(3);
    expect(t.status).toEqual({ kind: 'saved' });
  });

  it('keeps changes made offline waiting, and settles them with the next connection', () => {
    const store = memoryStore();
    const t = new SaveTracker('d2', store);
    t.opened(true);
    t.closed(true);
    t.localChange();
    t.localChange();
    t.localChange();
    expect(t.status).toEqual({ kind: 'offline', pending: 3 });
    expect(describeSaveStatus(t.status)).toBe('Offline: 3 changes waiting');
    expect(store.data.get('concord:pending:d2')).toBe('3');

    t.opened(true);
    t.frameSent(STEP2); // the reconnect's step 2 carries all three
    expect(t.status.kind).toBe('saving');
    // An acknowledgement of a message from before the reconnect means nothing now.
    t.saved(0);
    expect(t.pending).toBe(3);
    t.saved(1);
    expect(t.status).toEqual({ kind: 'saved' });
    expect(store.data.has('concord:pending:d2')).toBe(false);
  });

  it('restores the waiting count after a reload, until the server has it', () => {
    const store = memoryStore();
    store.set('concord:pending:d3', '4');
    const t = new SaveTracker('d3', store);
    expect(t.pending).toBe(4);
    expect(describeSaveStatus(t.status)).toBe('Connecting: 4 changes waiting');
    t.opened(true);
    t.frameSent(STEP2);
    t.saved(1);
    expect(t.status).toEqual({ kind: 'saved' });
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
    expect(new SaveTracker('d5', store).pending).toBe(0);
  });
});

describe('combineSaveStatus', () => {
  it('shows the worst of the page’s documents, with the waiting changes added up', () => {
    expect(combineSaveStatus([{ kind: 'saved' }, { kind: 'saving', pending: 2 }])).toEqual({
      kind: 'saving',
      pending: 2,
    });
    expect(
      combineSaveStatus([
        { kind: 'offline', pending: 1 },
        { kind: 'saving', pending: 2 },
      ]),
    ).toEqual({ kind: 'offline', pending: 3 });
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
});
