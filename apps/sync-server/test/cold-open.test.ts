/**
 * Cold open: right after loading a document, a client that has nothing is answered with the
 * loaded bytes instead of a fresh encoding (room.ts, stateFor). Whatever happens to the document
 * after the load must still reach a client that joins within the reuse window.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { stockClient, useSyncServer, waitFor } from './support.js';

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
});
