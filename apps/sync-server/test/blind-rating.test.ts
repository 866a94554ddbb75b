/**
 * R6, blind rating: before the facilitator reveals, no other client ever receives a byte of a
 * rater's ratings. Hand-made clients of another rater, the facilitator, a viewer and the owner,
 * each with a validly signed ticket claiming everything, try to open rater A's ratings document;
 * every byte the server sends them is recorded at the TCP level and checked. After reveal they
 * may read it and not change it; after hiding again, their open connections are closed.
 */
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../src/protocol.js';
import {
  addMember,
  ALL,
  applySyncFrames,
  changeAccess,
  createDocument,
  frameKind,
  rawClient,
  rawUpgradeBytes,
  stockClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
  websocketPayloads,
} from './support.js';

const INDICATOR = 'dc.1.1';

/** The plain text of the rater's note on INDICATOR ('' when there is none). */
function noteOf(doc: Y.Doc): string {
  const note = doc.getMap('notes').get(INDICATOR);
  return note instanceof Y.XmlFragment
    ? note
        .toArray()
        .map((p) => (p instanceof Y.XmlElement ? p.toArray().join('') : ''))
        .join('\n')
    : '';
}

const fx = useSyncServer({ databaseAccess: { recheckMs: 50 } });

describe('R6: blind rating', () => {
  it('before reveal nobody else receives a byte of a rater’s ratings; after reveal, read-only', async () => {
    const { handle, workspaceId } = fx.db;
    const raterA = await fx.db.newUser();
    const raterB = await fx.db.newUser();
    const facilitator = await fx.db.newUser();
    const viewer = await fx.db.newUser();
    await changeAccess(handle, workspaceId, 'membership.role-change', {
      userId: facilitator,
      role: 'facilitator',
    });
    await changeAccess(handle, workspaceId, 'membership.role-change', {
      userId: viewer,
      role: 'viewer',
    });
    const assessment = await createDocument(handle, { workspaceId, kind: 'assessment' });
    const ratingsA = await createDocument(handle, {
      workspaceId,
      kind: 'ratings',
      parentId: assessment,
      ownerId: raterA,
    });
    const ratingsB = await createDocument(handle, {
      workspaceId,
      kind: 'ratings',
      parentId: assessment,
      ownerId: raterB,
    });

    // B watches everything B may open while A rates.
    const bShared = await rawClient(
      fx.server.url,
      assessment,
      fx.server.ticket(assessment, raterB),
    );
    const bOwn = await rawClient(fx.server.url, ratingsB, fx.server.ticket(ratingsB, raterB));

    // A rates, with a note nobody could guess.
    const secret = `A-private-note-${randomBytes(12).toString('hex')}`;
    const a = stockClient(fx.server.url, ratingsA, fx.server.ticket(ratingsA, raterA));
    fx.clients.push(a);
    await a.synced();
    a.doc.transact(() => {
      a.doc.getMap('ratings').set(INDICATOR, 4);
      const note = new Y.XmlFragment();
      a.doc.getMap('notes').set(INDICATOR, note);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(secret)]);
      note.insert(0, [paragraph]);
    });
    await waitFor(() => {
      const room = fx.server.app.sync.room(ratingsA);
      return room !== undefined && noteOf(room.doc) === secret;
    }, 'A’s note at the server');
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'A’s ratings stored');
    expect(noteOf(await storedDoc(fx.db.store, ratingsA))).toBe(secret);
    const secretBytes = Buffer.from(secret, 'utf8');
    // Any 16-byte window of A's stored state: more than the note, the rating's bytes too.
    const stateA = Buffer.from(Y.encodeStateAsUpdate(a.doc));
    const windows = (bytes: Buffer) =>
      Array.from({ length: Math.max(0, stateA.length - 15) }, (_, i) =>
        stateA.subarray(i, i + 16),
      ).filter((w) => bytes.includes(w)).length;

    const path = (userId: string) =>
      `/sync/${ratingsA}?ticket=${encodeURIComponent(fx.server.ticket(ratingsA, userId, ALL))}`;
    for (const [who, userId] of [
      ['rater B', raterB],
      ['facilitator', facilitator],
      ['viewer', viewer],
      ['owner', fx.db.userId],
    ] as const) {
      const { bytes, status } = await rawUpgradeBytes(fx.server.port, path(userId));
      expect(status, who).toBe(403);
      expect(bytes.includes(secretBytes), who).toBe(false);
      expect(windows(bytes), who).toBe(0);
      // An HTTP refusal and nothing else: no upgrade, so no WebSocket frame at all.
      const text = bytes.toString('utf8');
      const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { reason: string };
      expect(body.reason, who).toBe('no-access');
      expect(text.includes('101 Switching Protocols'), who).toBe(false);
      expect(websocketPayloads(bytes).length, who).toBe(0);
    }
    // Nor did anything reach B's other connections.
    await Promise.all([syncBarrier(bShared), syncBarrier(bOwn)]);
    for (const frames of [bShared.frames, bOwn.frames]) {
      const all = Buffer.concat(frames.map((f) => Buffer.from(f)));
      expect(all.includes(secretBytes)).toBe(false);
      expect(windows(all)).toBe(0);
    }

    // Reveal: B may read A's ratings, not change them.
    await changeAccess(handle, workspaceId, 'ratings.reveal', { documentId: assessment });
    // The same byte-level client now gets the upgrade and the server's first frame (its sync
    // step 1), so the frame decoding above would have seen frames had there been any.
    const upgraded = await rawUpgradeBytes(fx.server.port, path(raterB), {
      until: (bytes) => websocketPayloads(bytes).length > 0,
    });
    expect(upgraded.status).toBe(101);
    const firstFrame = websocketPayloads(upgraded.bytes)[0]!;
    expect(firstFrame.opcode).toBe(2);
    expect(frameKind(firstFrame.payload)).toEqual({ type: 0, sub: 0 });
    const bReads = await rawClient(fx.server.url, ratingsA, fx.server.ticket(ratingsA, raterB));
    await syncBarrier(bReads);
    const seen = new Y.Doc();
    applySyncFrames(seen, bReads.frames);
    expect(noteOf(seen)).toBe(secret);
    expect(seen.getMap('ratings').get(INDICATOR)).toBe(4);
    seen.getMap('ratings').set(INDICATOR, 1);
    bReads.send(syncUpdateFrame(Y.encodeStateAsUpdate(seen), 2));
    await waitFor(
      () => bReads.frames.some((f) => frameKind(f).type === 2),
      'permission denied for B',
    );
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    const stored = await storedDoc(fx.db.store, ratingsA);
    expect(stored.getMap('ratings').get(INDICATOR)).toBe(4);

    // Hide again: B loses read, on the open connection too.
    await changeAccess(handle, workspaceId, 'ratings.hide', { documentId: assessment });
    expect((await bReads.closed).code).toBe(CLOSE.ACCESS_REVOKED);
    const again = await rawUpgradeBytes(fx.server.port, path(raterB));
    expect(again.status).toBe(403);
    bShared.close();
    bOwn.close();
  });

  it('a viewer with a membership in another workspace gets nothing either', async () => {
    const { handle, workspaceId } = fx.db;
    const raterA = await fx.db.newUser();
    const assessment = await createDocument(handle, { workspaceId, kind: 'assessment' });
    const ratingsA = await createDocument(handle, {
      workspaceId,
      kind: 'ratings',
      parentId: assessment,
      ownerId: raterA,
    });
    // Someone from another district's workspace, even after reveal here.
    const [district] = await handle.sql.query<{ id: string }>(
      {
        name: 'test_district',
        text: `insert into districts (name, state) values ('Other', 'NY') returning id::text as id`,
      },
      [],
    );
    const [other] = await handle.sql.query<{ id: string }>(
      {
        name: 'test_workspace',
        text: `insert into workspaces (district_id, name, school_year) values ($1, 'Other', '2026-27') returning id::text as id`,
      },
      [district!.id],
    );
    const stranger = await fx.db.newUser();
    await handle.sql.query(
      { name: 'test_unmember_one', text: 'delete from memberships where user_id = $1' },
      [stranger],
    );
    await addMember(handle, other!.id, stranger, 'owner');
    await changeAccess(handle, workspaceId, 'ratings.reveal', { documentId: assessment });
    const { status, bytes } = await rawUpgradeBytes(
      fx.server.port,
      `/sync/${ratingsA}?ticket=${encodeURIComponent(fx.server.ticket(ratingsA, stranger, ALL))}`,
    );
    expect(status).toBe(403);
    expect(bytes.toString('utf8')).toContain('not-a-member');
  });
});
