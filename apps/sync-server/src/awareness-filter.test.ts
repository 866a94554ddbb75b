import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isStaleAwarenessUpdate } from './awareness-filter.js';

/** An awareness update written by hand: [client, clock, JSON text] per entry. */
function update(entries: [number, number, string][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const [client, clock, json] of entries) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, json);
  }
  return encoding.toUint8Array(e);
}

/** A server-side awareness holding client 7 at clock 3 (state set) and client 8 removed at 2. */
function held(): Awareness {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  applyAwarenessUpdate(awareness, update([[7, 3, '{"user":{"name":"a"}}']]), 'setup');
  applyAwarenessUpdate(awareness, update([[8, 1, '{"user":{"name":"b"}}']]), 'setup');
  applyAwarenessUpdate(awareness, update([[8, 2, 'null']]), 'setup');
  return awareness;
}

/** Whether applyAwarenessUpdate changes anything (an 'update' event or the clocks held). */
function applies(bytes: Uint8Array): boolean {
  const awareness = held();
  const before = JSON.stringify([...awareness.meta].map(([id, m]) => [id, m.clock]));
  let emitted = false;
  awareness.on('update', () => (emitted = true));
  applyAwarenessUpdate(awareness, bytes, 'test');
  const after = JSON.stringify([...awareness.meta].map(([id, m]) => [id, m.clock]));
  return emitted || before !== after;
}

const cases: [string, Uint8Array][] = [
  ['an echo (same clock, same state)', update([[7, 3, '{"user":{"name":"a"}}']])],
  ['an echo with another state text', update([[7, 3, '{"user":{"name":"z"}}']])],
  ['an older clock', update([[7, 2, '{"user":{"name":"a"}}']])],
  ['an older clock with null', update([[7, 1, 'null']])],
  ['a newer clock (renewal)', update([[7, 4, '{"user":{"name":"a"}}']])],
  ['a new client', update([[9, 1, '{"user":{"name":"c"}}']])],
  ['a new client at clock 0', update([[9, 0, '{}']])],
  ['a removal at the same clock', update([[7, 3, 'null']])],
  ['a removal at the same clock, with whitespace', update([[7, 3, ' \n null\t']])],
  ['a removal of a client already removed', update([[8, 2, 'null']])],
  ['a removal of an unknown client at clock 0', update([[9, 0, 'null']])],
  ['the string "null" is not a removal', update([[7, 3, '"null"']])],
  [
    'an echo, then a change',
    update([
      [7, 3, '{}'],
      [9, 1, '{}'],
    ]),
  ],
  [
    'two echoes',
    update([
      [7, 3, '{}'],
      [8, 2, 'null'],
    ]),
  ],
  ['no entries', update([])],
];

describe('isStaleAwarenessUpdate', () => {
  it.each(cases)('agrees with applyAwarenessUpdate: %s', (_name, bytes) => {
    expect(isStaleAwarenessUpdate(held(), bytes)).toBe(!applies(bytes));
  });

  it('finds the stock client echo of a relayed update stale, and the renewal not', () => {
    const client = new Awareness(new Y.Doc());
    client.setLocalStateField('user', { name: 'a' });
    const server = new Awareness(new Y.Doc());
    server.setLocalState(null);
    const first = encodeAwarenessUpdate(client, [client.clientID]);
    expect(isStaleAwarenessUpdate(server, first)).toBe(false);
    applyAwarenessUpdate(server, first, 'client');
    expect(isStaleAwarenessUpdate(server, encodeAwarenessUpdate(server, [client.clientID]))).toBe(
      true,
    );
    client.setLocalStateField('user', { name: 'a' }); // a renewal bumps the clock
    expect(isStaleAwarenessUpdate(server, encodeAwarenessUpdate(client, [client.clientID]))).toBe(
      false,
    );
  });
});
