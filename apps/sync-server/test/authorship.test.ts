/**
 * R15 at the socket: a member's comment is theirs. The author of a new thread or message, who
 * resolves a thread and whose read marks a change writes are the connection's user (the ticket),
 * never whoever the client names; a member removes only their own messages. A refused update is
 * refused whole and changes nothing, in the room or the store.
 */
import {
  addThread,
  createComments,
  markThreadRead,
  readThreads,
  reply,
  resolveThread,
} from '@concord/documents';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applySyncFrames,
  createDocument,
  rawClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
} from './support.js';
import { denials } from './document-content.js';

const fx = useSyncServer({ databaseAccess: {} });

const AT = '2026-11-23T10:00:00Z';
const users = { author: '', other: '', viewer: '' };

beforeAll(async () => {
  users.author = await fx.db.newUser();
  users.other = await fx.db.newUser();
  users.viewer = await fx.db.newUser();
  await fx.db.handle.sql.query(
    { name: 'test_viewer_role', text: `update memberships set role = 'viewer' where user_id = $1` },
    [users.viewer],
  );
});

/** A comments document with one thread by `author` (its first message m1). */
async function comments(): Promise<string> {
  const { handle, workspaceId } = fx.db;
  const parentId = await createDocument(handle, { workspaceId, kind: 'assessment' });
  const id = await createDocument(handle, { workspaceId, kind: 'comments', parentId });
  const doc = new Y.Doc();
  createComments(doc);
  addThread(doc, {
    threadId: 't1',
    id: 'm1',
    anchor: { kind: 'indicator', id: 'dc.1.1' },
    author: users.author,
    body: 'Is this current?',
    at: AT,
  });
  await fx.db.store.append([{ documentId: id, update: Y.encodeStateAsUpdate(doc) }]);
  return id;
}

/** `userId` makes `edit` on their copy of the document; the reasons it was refused, if any. */
async function edit(documentId: string, userId: string, change: (doc: Y.Doc) => void) {
  const client = await rawClient(fx.server.url, documentId, fx.server.ticket(documentId, userId));
  await syncBarrier(client);
  const doc = new Y.Doc();
  applySyncFrames(doc, client.frames);
  const before = Y.encodeStateVector(doc);
  change(doc);
  client.send(syncUpdateFrame(Y.encodeStateAsUpdate(doc, before), 2));
  await syncBarrier(client);
  client.close();
  return denials(client.frames);
}

/** The threads as the store holds them, and the room if it is still open (they must agree). */
async function threads(documentId: string) {
  await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
  const stored = readThreads(await storedDoc(fx.db.store, documentId));
  const room = fx.server.app.sync.room(documentId);
  if (room) expect(readThreads(room.doc)).toEqual(stored);
  return stored;
}

describe('R15: authorship of comments', () => {
  it('refuses a thread or a reply written as someone else; one’s own goes through', async () => {
    const id = await comments();
    for (const who of [users.other, users.viewer]) {
      expect(
        await edit(id, who, (d) =>
          addThread(d, {
            anchor: { kind: 'indicator', id: 'dc.1.2' },
            author: users.author,
            body: 'Looks wrong to me.',
            at: AT,
          }),
        ),
      ).toEqual([expect.stringMatching(/^threads\/thread-[^/]+\/createdBy: must be you/)]);
      expect(
        await edit(id, who, (d) =>
          reply(d, 't1', { author: users.author, body: 'I agree with myself.', at: AT }),
        ),
      ).toEqual([expect.stringMatching(/^threads\/t1\/messages: an element author: must be you/)]);
    }
    expect((await threads(id)).map((t) => t.messages.length)).toEqual([1]);

    // Their own words, under their own name: the viewer comments too (the role table).
    expect(
      await edit(id, users.viewer, (d) =>
        reply(d, 't1', { author: users.viewer, body: 'Yes, March.', at: AT }),
      ),
    ).toEqual([]);
    expect((await threads(id))[0]!.messages.map((m) => m.author)).toEqual([
      users.author,
      users.viewer,
    ]);
  });

  it('refuses deleting or changing another’s message; lets an author delete their own', async () => {
    const id = await comments();
    expect(
      await edit(id, users.author, (d) =>
        reply(d, 't1', { id: 'm2', author: users.author, body: 'Typo here.', at: AT }),
      ),
    ).toEqual([]);
    const messages = (d: Y.Doc) =>
      (d.getMap('threads').get('t1') as Y.Map<unknown>).get('messages') as Y.Array<unknown>;
    // Delete, and "edit" (delete and insert a changed copy), someone else's message.
    expect(await edit(id, users.other, (d) => messages(d).delete(0, 1))).toEqual([
      expect.stringMatching(/^threads\/t1\/messages: an element is another person’s message/),
    ]);
    expect(
      await edit(id, users.other, (d) =>
        d.transact(() => {
          messages(d).delete(1, 1);
          messages(d).insert(1, [
            { id: 'm2', author: users.author, body: 'Changed.', createdAt: AT, mentions: [] },
          ]);
        }),
      ),
    ).toHaveLength(1);
    expect((await threads(id))[0]!.messages.map((m) => m.body)).toEqual([
      'Is this current?',
      'Typo here.',
    ]);
    // The author removes their own reply.
    expect(await edit(id, users.author, (d) => messages(d).delete(1, 1))).toEqual([]);
    expect((await threads(id))[0]!.messages.map((m) => m.id)).toEqual(['m1']);
  });

  it('resolves, and marks as read, only as oneself; a thread’s first facts are set once', async () => {
    const id = await comments();
    expect(
      await edit(id, users.other, (d) => resolveThread(d, 't1', { by: users.author, at: AT })),
    ).toEqual([expect.stringMatching(/^threads\/t1\/resolved: by: must be you/)]);
    expect(await edit(id, users.other, (d) => markThreadRead(d, users.author, 't1', 1))).toEqual([
      expect.stringMatching(/^reads\/.+: the key is another person’s read mark/),
    ]);
    expect(
      await edit(id, users.author, (d) =>
        (d.getMap('threads').get('t1') as Y.Map<unknown>).set('createdBy', users.author),
      ),
    ).toEqual([expect.stringMatching(/^threads\/t1\/createdBy: is set once/)]);
    expect(
      await edit(id, users.other, (d) => resolveThread(d, 't1', { by: users.other, at: AT })),
    ).toEqual([]);
    expect(await edit(id, users.other, (d) => markThreadRead(d, users.other, 't1', 1))).toEqual([]);
    expect((await threads(id))[0]!.resolved).toEqual({ by: users.other, at: AT });
  });
});
