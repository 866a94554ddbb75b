/** Stock y-websocket clients co-editing one document converge, character by character. */
import { describe, expect, it } from 'vitest';
import { stockClient, storedDoc, waitFor, useSyncServer } from './support.js';

const fx = useSyncServer();

function client(documentId: string, userId: string) {
  const c = stockClient(fx.server.url, documentId, fx.server.ticket(documentId, userId));
  fx.clients.push(c);
  return c;
}

describe('two stock clients on one document', () => {
  it('merge concurrent inserts character by character, and a late joiner gets everything', async () => {
    const documentId = await fx.db.newDocument();
    const a = client(documentId, fx.db.userId);
    const b = client(documentId, fx.db.userId);
    await Promise.all([a.synced(), b.synced()]);

    a.text.insert(0, 'Hello world');
    await waitFor(() => b.text.toString() === 'Hello world', 'b to receive a’s text');

    // Both edit the same spot at the same time, without seeing each other's edit first.
    a.text.insert(5, ', dear');
    b.text.insert(11, '!');
    b.text.insert(0, '>> ');
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.length === 21,
      'convergence',
    );
    expect(a.text.toString()).toBe('>> Hello, dear world!');

    // Interleaved typing into the same word from both sides.
    for (let i = 0; i < 20; i++) {
      a.text.insert(a.text.length, 'a');
      b.text.insert(3, 'b');
    }
    await waitFor(
      () => a.text.toString() === b.text.toString() && a.text.length === 61,
      'second convergence',
    );
    expect(a.text.toString().match(/a/g)?.length).toBeGreaterThanOrEqual(20);
    expect(a.text.toString().match(/b/g)?.length).toBe(20);

    const c = client(documentId, fx.db.userId);
    await c.synced();
    expect(c.text.toString()).toBe(a.text.toString());

    // Everything relayed is also stored.
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes to settle');
    expect((await storedDoc(fx.db.store, documentId)).getText('t').toString()).toBe(
      a.text.toString(),
    );
  });

  it('keeps documents apart', async () => {
    const [d1, d2] = [await fx.db.newDocument(), await fx.db.newDocument()];
    const a = client(d1, fx.db.userId);
    const b = client(d2, fx.db.userId);
    await Promise.all([a.synced(), b.synced()]);
    a.text.insert(0, 'one');
    b.text.insert(0, 'two');
    const a2 = client(d1, fx.db.userId);
    await a2.synced();
    await waitFor(() => a2.text.toString() === 'one', 'a2 to see d1');
    expect(b.text.toString()).toBe('two');
  });

  it('relays awareness and removes a client’s presence when it leaves', async () => {
    const documentId = await fx.db.newDocument();
    const a = client(documentId, fx.db.userId);
    const b = client(documentId, fx.db.userId);
    await Promise.all([a.synced(), b.synced()]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(
      () =>
        (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: unknown } | undefined)
          ?.user !== undefined,
      'b to see a’s presence',
    );
    a.provider.disconnect();
    await waitFor(
      () => !b.provider.awareness.getStates().has(a.doc.clientID),
      'a’s presence to go',
    );
  });
});
