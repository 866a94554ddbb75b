/**
 * Background compaction (TARGETS P3: stored rows bounded): once a document has enough stored
 * updates since its checkpoint, the server compacts it when it goes quiet, so the update rows
 * stay bounded however long it is edited, and the stored document is unchanged by it.
 */
import { describe, expect, it } from 'vitest';
import { metric, scrape } from './cluster.js';
import { stockClient, storedDoc, useSyncServer, waitFor } from './support.js';

const AFTER = 50;

describe('background compaction', () => {
  const fx = useSyncServer({
    app: () => ({ compaction: { afterUpdates: AFTER, idleMs: 100, maxWaitMs: 1_000 } }),
  });

  async function updateRows(documentId: string): Promise<number> {
    const [row] = await fx.db.handle.sql.query<{ n: string | number }>(
      {
        name: 'concord_test_update_rows',
        text: 'select count(*) as n from document_updates where document_id = $1',
      },
      [documentId],
    );
    return Number(row?.n);
  }

  it('keeps update rows bounded after many updates, without changing the document', async () => {
    const { db, server, clients } = fx;
    const documentId = await db.newDocument();
    const client = stockClient(server.url, documentId, server.ticket(documentId, db.userId));
    clients.push(client);
    await client.synced();
    let sent = 0;
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++, sent++) {
        const t = client.text;
        if (i % 10 === 9) t.delete(0, 1);
        else t.insert(t.length, String.fromCharCode(97 + ((round * 40 + i) % 26)));
      }
      // A pause, as people make: the round is stored and, once the document is due (every
      // other round), compacted while it is quiet. Waiting for that, not for a guessed time,
      // keeps the run the same on any machine (a slow one would otherwise pile every update
      // up for one compaction at the end).
      await waitFor(
        () =>
          (server.app.sync.room(documentId)?.seq ?? 0) >= sent &&
          server.app.sync.persistence.pending === 0,
        'the round stored',
      );
      await expect.poll(() => updateRows(documentId), { timeout: 20_000 }).toBeLessThan(AFTER);
    }
    const seq = server.app.sync.room(documentId)?.seq ?? 0;
    expect(seq).toBeGreaterThanOrEqual(240);
    await waitFor(() => server.app.compactor?.backlog === 0, 'compactions done');

    expect(await updateRows(documentId)).toBeLessThan(AFTER);
    expect((await storedDoc(db.store, documentId)).getText('t').toString()).toBe(
      client.text.toString(),
    );
    const m = await scrape(server);
    expect(metric(m, 'concord_sync_compactions_total', { result: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(metric(m, 'concord_sync_compactions_total', { result: 'failed' })).toBe(0);

    // Editing goes on normally after compaction, and a fresh client loads it all.
    client.text.insert(0, '>');
    // Stored: the room's seq has moved past the edit (pending alone is 0 before it arrives).
    await waitFor(
      () =>
        (server.app.sync.room(documentId)?.seq ?? 0) > seq &&
        server.app.sync.persistence.pending === 0,
      'stored',
    );
    const fresh = stockClient(server.url, documentId, server.ticket(documentId, db.userId));
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.text.toString()).toBe(client.text.toString());
  });
});
