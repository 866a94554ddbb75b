/**
 * Background compaction (TARGETS P3: stored rows bounded): once a document has enough stored
 * updates since its checkpoint, the server compacts it when it goes quiet, so the update rows
 * stay bounded however long it is edited, and the stored document is unchanged by it.
 */
import { describe, expect, it } from 'vitest';
import { metric, scrape } from './cluster.js';
import { sleep, stockClient, storedDoc, useSyncServer, waitFor } from './support.js';

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
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 40; i++) {
        const t = client.text;
        if (i % 10 === 9) t.delete(0, 1);
        else t.insert(t.length, String.fromCharCode(97 + ((round * 40 + i) % 26)));
      }
      await sleep(150); // quiet moments, as people pause
    }
    await waitFor(() => server.app.sync.persistence.pending === 0, 'all stored');
    const seq = server.app.sync.room(documentId)?.seq ?? 0;
    expect(seq).toBeGreaterThanOrEqual(240);
    await waitFor(() => server.app.compactor?.backlog === 0, 'compactions done', 10_000);
    await sleep(300); // the last idle timer
    await waitFor(() => server.app.compactor?.backlog === 0, 'compactions done', 10_000);

    expect(await updateRows(documentId)).toBeLessThan(AFTER);
    expect((await storedDoc(db.store, documentId)).getText('t').toString()).toBe(
      client.text.toString(),
    );
    const m = await scrape(server);
    expect(metric(m, 'concord_sync_compactions_total', { result: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(metric(m, 'concord_sync_compactions_total', { result: 'failed' })).toBe(0);

    // Editing goes on normally after compaction, and a fresh client loads it all.
    client.text.insert(0, '>');
    await waitFor(() => server.app.sync.persistence.pending === 0, 'stored');
    const fresh = stockClient(server.url, documentId, server.ticket(documentId, db.userId));
    clients.push(fresh);
    await fresh.synced();
    expect(fresh.text.toString()).toBe(client.text.toString());
  });
});
