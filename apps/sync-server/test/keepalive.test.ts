/**
 * Keepalive: the stock y-websocket client closes a socket that has received nothing for 30 s
 * and reconnects. It expects its own awareness renewals back; we relay presence to everyone but
 * its sender, so a client alone in a room (or one without presence) would hear nothing and
 * drop its connection every 30 s. A connection silent for the keepalive interval gets a
 * KEEPALIVE frame (an awareness update with no entries): the client counts it as a message,
 * applies it as nothing, and sends nothing back. Busy connections get none.
 */
import { describe, expect, it, vi } from 'vitest';
import { Connection } from '../src/connection.js';
import { KEEPALIVE_FRAME } from '../src/protocol.js';
import { stockClient, waitFor, useSyncServer } from './support.js';

/** Short, so the test takes a second; production uses KEEPALIVE_IDLE_MS (15 s). */
const IDLE_MS = 300;

const fx = useSyncServer({ app: () => ({ keepaliveIdleMs: IDLE_MS }) });

const isKeepalive = (frame: Uint8Array) =>
  frame.length === KEEPALIVE_FRAME.length && frame.every((b, i) => b === KEEPALIVE_FRAME[i]);

describe('keepalive', () => {
  it('reaches a lone client that hears nothing else, changes nothing, and draws no reply', async () => {
    const documentId = await fx.db.newDocument();
    const client = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    fx.clients.push(client);
    await client.synced();
    // The handshake may still be finishing after `synced` (on a cold open the stored state comes
    // first, then our sync step 1 and the answer to the client's): a keepalive comes only after
    // a silence, so once the first one is in, everything else that will come has come.
    await waitFor(() => client.received.some(isKeepalive), 'a first keepalive');
    let awarenessEvents = 0;
    client.provider.awareness.on('update', () => awarenessEvents++);
    let sent = 0;
    const ws = client.provider.ws!;
    const send = ws.send.bind(ws);
    ws.send = (data: Parameters<typeof ws.send>[0]) => {
      sent++;
      send(data);
    };
    const before = client.received.length;
    const heardBefore = client.provider.wsLastMessageReceived;

    await waitFor(
      () => client.received.slice(before).filter(isKeepalive).length >= 2,
      'two keepalives',
    );
    // Nothing else was sent to it; it stayed on the same socket and answered nothing.
    expect(client.received.slice(before).filter((frame) => !isKeepalive(frame))).toEqual([]);
    expect(client.closes).toEqual([]);
    expect(client.provider.wsconnected).toBe(true);
    expect(client.provider.ws).toBe(ws);
    expect(awarenessEvents).toBe(0);
    expect(sent).toBe(0);
    // The client's own idle timer (it reconnects after 30 s of silence) counted the keepalives:
    // nothing else reached it since `before`.
    expect(client.provider.wsLastMessageReceived).toBeGreaterThan(heardBefore);
  });

  it('is not sent to a connection that keeps receiving updates', async () => {
    // The server's idle clock (performance.now) is the test's for this one: it moves only when
    // the test says, after each edit has reached the reader, so "the reader heard something
    // within the last idle interval" holds by construction, not by how fast the machine runs.
    // The sweeps themselves still come on their own timer; the test waits for each.
    vi.useFakeTimers({ toFake: ['performance'] });
    const sweeps = vi.spyOn(Connection.prototype, 'keepAlive');
    try {
      const documentId = await fx.db.newDocument();
      const writer = stockClient(
        fx.server.url,
        documentId,
        fx.server.ticket(documentId, fx.db.userId),
      );
      const reader = stockClient(
        fx.server.url,
        documentId,
        fx.server.ticket(documentId, fx.db.userId),
      );
      fx.clients.push(writer, reader);
      await Promise.all([writer.synced(), reader.synced()]);
      const before = reader.received.length;
      // An edit every IDLE_MS / 3 of the server's clock for 5 idle intervals, a sweep after each:
      // the reader is never silent for an interval.
      for (let i = 0; i < 15; i++) {
        writer.text.insert(writer.text.length, 'x');
        await waitFor(() => reader.text.length === i + 1, 'the edit at the reader');
        vi.advanceTimersByTime(IDLE_MS / 3);
        const swept = sweeps.mock.calls.length;
        await waitFor(() => sweeps.mock.calls.length > swept, 'a keepalive sweep');
      }
      expect(reader.received.slice(before).filter(isKeepalive)).toEqual([]);
      // The writer, whom nobody sends anything, does get them.
      await waitFor(() => writer.received.some(isKeepalive), 'a keepalive to the writer');
    } finally {
      sweeps.mockRestore();
      vi.useRealTimers();
    }
  });
});
