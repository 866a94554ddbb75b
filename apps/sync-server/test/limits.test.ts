/**
 * Limits (TARGETS R4): message size, document size, connections per user, messages per second.
 * Each closes only the offending connection, with its documented code and a log line; a
 * bystander on the same document keeps syncing.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../src/protocol.js';
import {
  rawClient,
  stockClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  waitFor,
  type StockClient,
  useSyncServer,
} from './support.js';

const LIMITS = {
  maxMessageBytes: 16 * 1024,
  maxDocumentBytes: 50 * 1024,
  maxConnectionsPerUser: 3,
  messagesPerSecond: 20,
  messageBurst: 40,
};

const fx = useSyncServer({ limits: LIMITS });

/** A stock client on `documentId` for a user of its own, synced. */
async function bystander(documentId: string): Promise<StockClient> {
  const c = stockClient(
    fx.server.url,
    documentId,
    fx.server.ticket(documentId, await fx.db.newUser()),
  );
  fx.clients.push(c);
  await c.synced();
  return c;
}

/** The bystander still edits and the edit is stored. */
async function stillWorks(c: StockClient, documentId: string, mark: string) {
  c.text.insert(0, mark);
  // In the room first: from then on its write is counted as pending.
  await waitFor(
    () =>
      fx.server.app.sync.room(documentId)?.doc.getText('t').toString().startsWith(mark) ?? false,
    'the edit in the room',
  );
  await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'the edit stored');
  expect((await storedDoc(fx.db.store, documentId)).getText('t').toString()).toContain(mark);
  expect(c.provider.wsconnected).toBe(true);
}

const logged = (code: number) =>
  fx.server.logs.some(
    (l) => l.msg === 'closing sync connection' && l.code === code && l.level === 40,
  );

describe('limits', () => {
  it('a message over the size limit closes that connection with 4413', async () => {
    const documentId = await fx.db.newDocument();
    const other = await bystander(documentId);
    const offender = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    offender.send(new Uint8Array(LIMITS.maxMessageBytes + 1));
    expect((await offender.closed).code).toBe(CLOSE.MESSAGE_TOO_LARGE);
    expect(logged(CLOSE.MESSAGE_TOO_LARGE)).toBe(true);
    await stillWorks(other, documentId, 'size ok ');
  });

  it('a frame far over the limit is dropped by the WebSocket layer (1009)', async () => {
    const documentId = await fx.db.newDocument();
    const offender = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    offender.send(new Uint8Array(LIMITS.maxMessageBytes * 2 + 1));
    expect((await offender.closed).code).toBe(1009);
  });

  it('an update that would grow the document past its limit closes with 4420, nothing stored', async () => {
    const documentId = await fx.db.newDocument();
    const other = await bystander(documentId);
    const offender = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    const doc = new Y.Doc();
    let closed: { code: number } | null = null;
    void offender.closed.then((c) => (closed = c));
    // 12 KiB pieces: each message fits, the fifth pushes the document past 50 KiB.
    for (let i = 0; i < 6 && !closed; i++) {
      const before = Y.encodeStateVector(doc);
      doc.getText('big').insert(0, String(i).repeat(12 * 1024));
      offender.send(syncUpdateFrame(Y.encodeStateAsUpdate(doc, before)));
      await new Promise((r) => setTimeout(r, 30));
    }
    expect((await offender.closed).code).toBe(CLOSE.DOCUMENT_TOO_LARGE);
    expect(logged(CLOSE.DOCUMENT_TOO_LARGE)).toBe(true);
    // The four accepted pieces may still be on their way to the database (a loaded machine).
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    const stored = await storedDoc(fx.db.store, documentId);
    expect(Y.encodeStateAsUpdate(stored).byteLength).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
    expect(stored.getText('big').length).toBe(4 * 12 * 1024);
    // Small edits by others still fit.
    await stillWorks(other, documentId, 'room left ');
  });

  it('more messages per second than allowed closes that connection with 4529', async () => {
    const documentId = await fx.db.newDocument();
    const other = await bystander(documentId);
    const offender = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    for (let i = 0; i < 100; i++) offender.send(Uint8Array.of(3)); // query awareness, cheap
    expect((await offender.closed).code).toBe(CLOSE.RATE_LIMITED);
    expect(logged(CLOSE.RATE_LIMITED)).toBe(true);
    await stillWorks(other, documentId, 'rate ok ');
  });

  it('a user’s connection beyond the limit closes with 4530; theirs and others’ stay', async () => {
    const documentId = await fx.db.newDocument();
    const other = await bystander(documentId);
    const user = await fx.db.newUser();
    const ticket = () => fx.server.ticket(documentId, user);
    const held = [];
    for (let i = 0; i < LIMITS.maxConnectionsPerUser; i++)
      held.push(await rawClient(fx.server.url, documentId, ticket()));
    const extra = await rawClient(fx.server.url, documentId, ticket());
    expect((await extra.closed).code).toBe(CLOSE.TOO_MANY_CONNECTIONS);
    expect(logged(CLOSE.TOO_MANY_CONNECTIONS)).toBe(true);
    for (const h of held) expect(h.closeInfo).toBeNull();
    // One closes: there is room again.
    const before = fx.server.app.sync.stats().connections;
    held[0]!.close();
    await held[0]!.closed;
    await waitFor(
      () => fx.server.app.sync.stats().connections === before - 1,
      'the close to count',
    );
    const again = await rawClient(fx.server.url, documentId, ticket());
    // Accepted and served (a refused one is closed before it is answered), not "open for 50 ms".
    await syncBarrier(again);
    expect(again.closeInfo).toBeNull();
    await stillWorks(other, documentId, 'connections ok ');
    for (const h of [...held, again]) h.close();
  });
});
