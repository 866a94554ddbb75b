/**
 * Awareness renewals: a state sent again unchanged with a higher clock ("still here", every 15 s
 * from the stock client) is relayed within AWARENESS_RENEWAL_DELAY_MS, batched with the room's
 * other renewals into one message; a real change (a new state, a moved cursor, a client that
 * leaves) is relayed at once. Without the batch, every renewal reaches every client as its own
 * message and each client echoes each one: N² messages per round each way.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { presenceUser } from '@concord/auth/presence';
import { UNNAMED } from '../src/awareness-guard.js';
import { AWARENESS_RENEWAL_BURST, AWARENESS_RENEWAL_DELAY_MS } from '../src/limits.js';
import { MESSAGE_AWARENESS } from '../src/protocol.js';
import {
  rawClient,
  sleep,
  stockClient,
  waitFor,
  useSyncServer,
  type RawClient,
} from './support.js';

const fx = useSyncServer();

/** An awareness message: [clientId, clock, state] entries. */
function awarenessFrame(entries: [number, number, unknown][]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(update, client);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

/** The awareness messages a raw client received after index `from`, decoded. */
function awarenessReceived(client: RawClient, from: number): [number, number, unknown][][] {
  return client.frames.slice(from).flatMap((frame) => {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MESSAGE_AWARENESS) return [];
    const u = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(u);
    const entries: [number, number, unknown][] = [];
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(u);
      const clock = decoding.readVarUint(u);
      const state = JSON.parse(decoding.readVarString(u)) as Record<string, unknown> | null;
      // The server writes who the state is from (the ticket's user: R14); the rest is as sent.
      if (state !== null) {
        expect(state.user).toEqual(presenceUser(fx.db.userId, UNNAMED));
        delete state.user;
      }
      entries.push([clientId, clock, state]);
    }
    return entries.length > 0 ? [entries] : [];
  });
}

/** How long a test waits for a batch: the delay itself plus a budget for a busy machine (a
 * batch is told from a change by what it holds and by when it may come, never by a deadline). */
const BATCH_BUDGET_MS = AWARENESS_RENEWAL_DELAY_MS + 20_000;

/** Three raw clients in a fresh document, once the second (the observer) has been greeted. */
async function threeInOneRoom(): Promise<[RawClient, RawClient, RawClient]> {
  const documentId = await fx.db.newDocument();
  const ticket = fx.server.ticket(documentId, fx.db.userId);
  const clients = await Promise.all(
    [0, 1, 2].map(() => rawClient(fx.server.url, documentId, ticket)),
  );
  await waitFor(() => clients[1]!.frames.length > 0, 'the observer greeted');
  return clients as [RawClient, RawClient, RawClient];
}

describe('awareness renewals', () => {
  it('are relayed late and together, while changes go at once', async () => {
    const [a, b, observer] = await threeInOneRoom();
    const ana = { name: 'Ana' };
    const ben = { name: 'Ben' };

    // New states: at once.
    let mark = observer.frames.length;
    a.send(awarenessFrame([[101, 1, ana]]));
    b.send(awarenessFrame([[202, 1, ben]]));
    await waitFor(() => awarenessReceived(observer, mark).length === 2, 'both new states');

    // Renewals (same states, next clock): nothing at once, then one message with both.
    mark = observer.frames.length;
    const renewedAt = performance.now();
    a.send(awarenessFrame([[101, 2, ana]]));
    b.send(awarenessFrame([[202, 2, ben]]));
    // Not at once: nothing for a while (a slow machine only makes this wait longer than needed).
    await sleep(AWARENESS_RENEWAL_DELAY_MS / 4);
    expect(awarenessReceived(observer, mark)).toEqual([]);
    await waitFor(
      () => awarenessReceived(observer, mark).length > 0,
      'the batched renewals',
      BATCH_BUDGET_MS,
    );
    // A lower bound: the batch waited out its delay. Load can only make it later.
    expect(performance.now() - renewedAt).toBeGreaterThanOrEqual(AWARENESS_RENEWAL_DELAY_MS - 50);
    const batch = awarenessReceived(observer, mark);
    expect(batch).toHaveLength(1);
    expect(batch[0]!.sort((x, y) => x[0] - y[0])).toEqual([
      [101, 2, ana],
      [202, 2, ben],
    ]);

    // A change after a renewal: at once, and the renewal it overtakes is not sent again.
    mark = observer.frames.length;
    const moved = { name: 'Ana', cursor: 7 };
    a.send(awarenessFrame([[101, 3, ana]]));
    a.send(awarenessFrame([[101, 4, moved]]));
    await waitFor(() => awarenessReceived(observer, mark).length === 1, 'the change');
    expect(awarenessReceived(observer, mark)).toEqual([[[101, 4, moved]]]);
    // Then a renewal of b's: it goes out in the room's next batch, which holds every renewal
    // still owed. Waiting for it (not for a guessed time) shows a's overtaken one is not owed.
    b.send(awarenessFrame([[202, 3, ben]]));
    await waitFor(
      () => awarenessReceived(observer, mark).length === 2,
      'b’s renewal',
      BATCH_BUDGET_MS,
    );
    expect(awarenessReceived(observer, mark)).toEqual([[[101, 4, moved]], [[202, 3, ben]]]);
    for (const c of [a, b, observer]) c.close();
  });

  it('go out early in a big room, so no one message carries more than a burst', async () => {
    const [sender, observer, third] = await threeInOneRoom();
    // One connection speaking for many client ids (as a client relaying presence would).
    const ids = Array.from({ length: 200 }, (_, i) => 5_000 + i);
    const state = { name: 'many' };
    let mark = observer.frames.length;
    sender.send(awarenessFrame(ids.map((id) => [id, 1, state])));
    await waitFor(() => awarenessReceived(observer, mark).length === 1, 'the new states');
    mark = observer.frames.length;
    sender.send(awarenessFrame(ids.map((id) => [id, 2, state])));
    // 3 connections: a batch is due at ceil(512 / 3) renewals, without waiting for the delay.
    // What the first message holds says so (the delay alone would send all 200 in one), however
    // long the machine takes to deliver it.
    const perBatch = Math.ceil(AWARENESS_RENEWAL_BURST / 3);
    await waitFor(
      () => awarenessReceived(observer, mark).length >= 1,
      'an early batch',
      BATCH_BUDGET_MS,
    );
    expect(awarenessReceived(observer, mark)[0]).toHaveLength(perBatch);
    await waitFor(
      () => awarenessReceived(observer, mark).length === 2,
      'the rest, on time',
      BATCH_BUDGET_MS,
    );
    expect(awarenessReceived(observer, mark)[1]).toHaveLength(ids.length - perBatch);
    for (const c of [sender, observer, third]) c.close();
  });

  it('keep stock clients present to each other, each getting the others’ renewals in one message', async () => {
    const documentId = await fx.db.newDocument();
    const ticket = fx.server.ticket(documentId, fx.db.userId);
    const clients = Array.from({ length: 4 }, () => stockClient(fx.server.url, documentId, ticket));
    fx.clients.push(...clients);
    await Promise.all(clients.map((c) => c.synced()));
    clients.forEach((c, i) => c.provider.awareness.setLocalStateField('user', { name: `u${i}` }));
    const everyoneSeesEveryone = () =>
      clients.every((c) =>
        clients.every((o) => c.provider.awareness.getStates().has(o.doc.clientID)),
      );
    await waitFor(everyoneSeesEveryone, 'every presence everywhere');
    const clockAt = (c: (typeof clients)[number], o: (typeof clients)[number]) =>
      c.provider.awareness.meta.get(o.doc.clientID)?.clock ?? 0;
    const before = clockAt(clients[0]!, clients[1]!);
    // What the stock client does every 15 s, at once for all four.
    const received = clients.map((c) => c.received.length);
    for (const c of clients)
      c.provider.awareness.setLocalState(c.provider.awareness.getLocalState());
    await waitFor(
      () => clients.every((c) => clients.every((o) => c === o || clockAt(c, o) > before)),
      'every renewal everywhere',
      BATCH_BUDGET_MS,
    );
    expect(everyoneSeesEveryone()).toBe(true);
    // Each client got the three others' renewals in one message (not three).
    clients.forEach((c, i) => {
      const frames = c.received.slice(received[i]).filter((f) => f[0] === MESSAGE_AWARENESS);
      expect(frames.length).toBe(1);
    });
  });
});
