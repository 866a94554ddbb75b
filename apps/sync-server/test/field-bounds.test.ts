/**
 * Bounds through a real socket: an update that would make a text field longer than its bound
 * is refused whole with a message naming the field,
 * and neither applied, relayed nor stored; the connection stays open and an update that fits is
 * applied.
 */
import { MAX_RICH_TEXT } from '@concord/documents';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applySyncFrames,
  rawClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
} from './support.js';
import { denials, lineOf } from './document-content.js';

// The database says the document's kind (a plan), so its shape and bounds are checked.
const fx = useSyncServer({ databaseAccess: {} });

/** The vision's first line (made when the vision is empty). */
const visionLine = (doc: Y.Doc) => lineOf(doc.getXmlFragment('visionRich'));
const visionOf = (doc: Y.Doc) => doc.getXmlFragment('visionRich').toString().length;

describe('text bounds on the socket', () => {
  it('refuses an update pushing the vision past the bound; the document stays as it was', async () => {
    const documentId = await fx.db.newDocument();
    const client = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    await syncBarrier(client);
    const doc = new Y.Doc();
    applySyncFrames(doc, client.frames);
    const send = (edit: (d: Y.Doc) => void) => {
      const before = Y.encodeStateVector(doc);
      edit(doc);
      client.send(syncUpdateFrame(Y.encodeStateAsUpdate(doc, before), 2));
    };
    const room = () => fx.server.app.sync.room(documentId)!.doc;
    const text = () => visionLine(room()).toString();

    send((d) => visionLine(d).insert(0, 'v'.repeat(MAX_RICH_TEXT - 10)));
    await syncBarrier(client);
    expect(text().length).toBe(MAX_RICH_TEXT - 10);
    const accepted = visionOf(room());

    // Eleven more: refused, the connection told why, nothing applied.
    const attempt = new Y.Doc();
    Y.applyUpdate(attempt, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(attempt);
    visionLine(attempt).insert(0, 'x'.repeat(11));
    client.send(syncUpdateFrame(Y.encodeStateAsUpdate(attempt, before), 2));
    await syncBarrier(client);
    expect(denials(client.frames)).toEqual([
      'visionRich would be 20,001 characters; the most is 20,000',
    ]);
    expect(visionOf(room())).toBe(accepted);
    expect(client.closeInfo).toBeNull();
    expect(fx.server.logs.some((l) => l.msg === 'update refused' && l.check === 'bounds')).toBe(
      true,
    );

    // Ten more fit exactly; a delete-only update on the full field passes too.
    send((d) => visionLine(d).insert(0, 'y'.repeat(10)));
    await syncBarrier(client);
    expect(text().length).toBe(MAX_RICH_TEXT);
    send((d) => visionLine(d).delete(0, 5));
    await syncBarrier(client);
    expect(text().length).toBe(MAX_RICH_TEXT - 5);
    expect(denials(client.frames)).toHaveLength(1);

    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    const stored = await storedDoc(fx.db.store, documentId);
    expect(visionLine(stored).toString()).toBe(text());
    expect(text()).not.toContain('x');
    client.close();
  });
});
