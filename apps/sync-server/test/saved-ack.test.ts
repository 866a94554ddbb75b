/**
 * "Saved" acknowledgements: a client that connects with ?ack=1 is told, after COMMIT, the
 * document's highest stored seq and how many of its update messages are stored; a stock client
 * never receives the extra message type.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { decodeSaved, MESSAGE_SAVED } from '../src/protocol.js';
import {
  frameKind,
  rawClient,
  stockClient,
  storedDoc,
  syncUpdateFrame,
  waitFor,
  useSyncServer,
} from './support.js';

const fx = useSyncServer();

describe('saved acknowledgements', () => {
  it('come after COMMIT, in order, with increasing seqs, and cover every acknowledged update', async () => {
    const documentId = await fx.db.newDocument();
    const client = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
      '&ack=1',
    );
    await waitFor(() => client.frames.length > 0, 'sync step 1 from the server');

    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    for (let i = 0; i < 40; i++) {
      text.insert(text.length, String.fromCharCode(97 + (i % 26)));
      client.send(syncUpdateFrame(updates.at(-1)!));
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }

    const acks = () => client.frames.map(decodeSaved).filter((a) => a !== null);
    await waitFor(() => acks().at(-1)?.count === 40, 'all 40 updates acknowledged');
    const seen = acks();
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.seq).toBeGreaterThan(seen[i - 1]!.seq);
      expect(seen[i]!.count).toBeGreaterThan(seen[i - 1]!.count);
    }
    // Group commit: fewer acknowledgements than updates is expected under load, never more.
    expect(seen.length).toBeLessThanOrEqual(40);
    expect(seen.at(-1)!.seq).toBe(40);

    // Every acknowledged update is in the store.
    const stored = await storedDoc(fx.db.store, documentId);
    expect(stored.getText('t').toString()).toBe(text.toString());
    client.close();
  });

  it('acknowledge an update that changed nothing once what came before is stored', async () => {
    const documentId = await fx.db.newDocument();
    const client = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
      '&ack=1',
    );
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'once');
    const update = Y.encodeStateAsUpdate(doc);
    client.send(syncUpdateFrame(update));
    client.send(syncUpdateFrame(update));
    const acks = () => client.frames.map(decodeSaved).filter((a) => a !== null);
    await waitFor(() => acks().at(-1)?.count === 2, 'both acknowledged');
    expect(acks().at(-1)!.seq).toBe(1);
    client.close();
  });

  it('are never sent to a stock client, which does not know the type', async () => {
    const documentId = await fx.db.newDocument();
    const stock = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    const opted = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
      {
        ack: true,
      },
    );
    fx.clients.push(stock, opted);
    // The opted-in stock client needs a handler for the extra type, as an app would add.
    const saved: { seq: number; count: number }[] = [];
    opted.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
      saved.push({ seq: decoding.readVarUint(decoder), count: decoding.readVarUint(decoder) });
    };
    await Promise.all([stock.synced(), opted.synced()]);
    for (let i = 0; i < 10; i++) {
      stock.text.insert(0, 's');
      opted.text.insert(0, 'o');
    }
    await waitFor(() => stock.text.length === 20 && opted.text.length === 20, 'convergence');
    // Its sync step 2 and its 10 edits: 11 update messages, all acknowledged.
    await waitFor(() => (saved.at(-1)?.count ?? 0) >= 11, 'the opted-in client’s acknowledgements');
    expect(stock.received.length).toBeGreaterThan(0);
    expect(stock.received.filter((f) => frameKind(f).type === MESSAGE_SAVED)).toEqual([]);
    expect(opted.received.some((f) => frameKind(f).type === MESSAGE_SAVED)).toBe(true);
  });
});
