/**
 * Cold open: the clients waiting for a load get the stored bytes before the room applies them
 * (room.ts, sendEarly), and right after the load a client that has nothing is answered with the
 * loaded bytes instead of a fresh encoding (stateFor). The content goes out once per client, and
 * whatever happens to the document after the load still reaches a client that joins later.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  applySyncFrames,
  frameKind,
  rawClient,
  stockClient,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
} from './support.js';

const fx = useSyncServer();

function client(documentId: string) {
  const c = stockClient(fx.server.url, documentId, fx.server.ticket(documentId, fx.db.userId));
  fx.clients.push(c);
  return c;
}

async function storedDocument(text: string): Promise<string> {
  const documentId = await fx.db.newDocument();
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) source.getText('t').insert(source.getText('t').length, ch);
  await fx.db.store.append(updates.map((update) => ({ documentId, update })));
  return documentId;
}

describe('cold open', () => {
  it('gives a fresh client the stored content', async () => {
    const documentId = await storedDocument('stored text');
    const c = client(documentId);
    await c.synced();
    expect(c.text.toString()).toBe('stored text');
  });

  it('gives a client joining right after an edit the edit too, not only the loaded bytes', async () => {
    const documentId = await storedDocument('abc');
    const first = client(documentId);
    await first.synced();
    first.text.insert(3, 'XYZ');
    // The edit reaches the server's document (relayed to a second reader) before the next join.
    const watcher = client(documentId);
    await waitFor(() => watcher.text.toString() === 'abcXYZ', 'the edit relayed');
    const late = client(documentId);
    await late.synced();
    expect(late.text.toString()).toBe('abcXYZ');
  });

  it('sends the stored content first and once, then answers the client’s step 1 with nothing more', async () => {
    const documentId = await storedDocument('the stored history');
    const raw = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    // What the stock client sends on open: its (empty) state vector.
    raw.send(syncUpdateFrame(Y.encodeStateVector(new Y.Doc()), 0));
    const step2s = () =>
      raw.frames.filter((f) => frameKind(f).type === 0 && frameKind(f).sub === 1);
    await waitFor(() => step2s().length === 2, 'the early content and the answer to step 1');
    const [early, answer] = step2s() as [Uint8Array, Uint8Array];
    expect(raw.frames.indexOf(early)).toBe(0); // before the server's own step 1
    const fromEarly = new Y.Doc();
    applySyncFrames(fromEarly, [early]);
    expect(fromEarly.getText('t').toString()).toBe('the stored history');
    expect(answer.byteLength).toBeLessThan(8); // an empty update: nothing sent twice
    raw.close();
    await raw.closed;
  });
});
