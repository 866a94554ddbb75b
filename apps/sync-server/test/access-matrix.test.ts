/**
 * R5 at the protocol level: every role (and a non-member) against every kind of document, for
 * every sync capability, with hand-made clients holding tickets that claim everything. What a
 * connection can actually do (receive the content; have an update applied, relayed and stored;
 * have its presence relayed; on a checklist or assessment, have a recorded decision applied) must
 * equal `documentCapabilities` from the one capability table, and nothing else: 0 unauthorized
 * successes. A refused write changes nothing anywhere: not the
 * room, not the store, not what other clients receive.
 */
import { documentCapabilities, type Role, type SyncCapability } from '@concord/auth/roles';
import { schema } from '@concord/db';
import { decisionFields, DOCUMENT_SHAPES } from '@concord/documents/shapes';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  ALL,
  applySyncFrames,
  createDocument,
  frameKind,
  rawClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
  type RawClient,
} from './support.js';
import { contentText, seededContent, writeMarker } from './document-content.js';

const fx = useSyncServer({ databaseAccess: {} });

type Subject = 'owner' | 'facilitator' | 'rater' | 'viewer' | 'non-member';
const SUBJECTS: Subject[] = ['owner', 'facilitator', 'rater', 'viewer', 'non-member'];

type Cell =
  | 'prerequisites'
  | 'assessment'
  | 'plan'
  | 'comments'
  | 'ratings: own, before reveal'
  | "ratings: other's, before reveal"
  | 'ratings: own, after reveal'
  | "ratings: other's, after reveal";
const CELLS: Cell[] = [
  'prerequisites',
  'assessment',
  'plan',
  'comments',
  'ratings: own, before reveal',
  "ratings: other's, before reveal",
  'ratings: own, after reveal',
  "ratings: other's, after reveal",
];

interface Doc {
  id: string;
  kind: 'prerequisites' | 'assessment' | 'plan' | 'comments' | 'ratings';
  ownerId: string | null;
  revealed: boolean;
  /** Who may read it, to watch what other clients receive (null: nobody but the subject). */
  observerId: string | null;
}

const users = {} as Record<Subject | 'other-rater', string>;
const docs = new Map<string, Doc>();

function docFor(subject: Subject, cell: Cell): Doc {
  const doc = docs.get(`${subject}|${cell}`) ?? docs.get(`*|${cell}`);
  if (!doc) throw new Error(`no document for ${subject} / ${cell}`);
  return doc;
}

function expected(subject: Subject, doc: Doc): readonly SyncCapability[] {
  if (subject === 'non-member') return [];
  return documentCapabilities(
    { userId: users[subject], role: subject as Role },
    { kind: doc.kind, ownerId: doc.ownerId, revealed: doc.revealed },
  );
}

const seedText = (documentId: string) => `content of ${documentId}`;

const hasDecisionFields = (kind: Doc['kind']) => decisionFields(DOCUMENT_SHAPES[kind]).length > 0;

beforeAll(async () => {
  const { handle, workspaceId } = fx.db;
  const account = async (name: string) => {
    const [user] = await handle.db
      .insert(schema.users)
      .values({ email: `${name}.${Date.now()}@example.org`, displayName: name })
      .returning();
    return user!.id;
  };
  users.owner = fx.db.userId;
  for (const role of ['facilitator', 'rater', 'viewer'] as const) {
    users[role] = await account(role);
    await addMember(handle, workspaceId, users[role], role);
  }
  users['other-rater'] = await account('other-rater');
  await addMember(handle, workspaceId, users['other-rater'], 'rater');
  // A former member: their account and own ratings remain, their membership does not.
  users['non-member'] = await account('non-member');

  const shared = async (cell: Cell, kind: Doc['kind'], parentId?: string) => {
    const id = await createDocument(handle, {
      workspaceId,
      kind,
      ...(parentId && { parentId }),
    });
    docs.set(`*|${cell}`, { id, kind, ownerId: null, revealed: false, observerId: users.owner });
    return id;
  };
  await shared('prerequisites', 'prerequisites');
  const hidden = await shared('assessment', 'assessment');
  await shared('plan', 'plan');
  await shared('comments', 'comments', hidden);
  const revealed = await createDocument(handle, { workspaceId, kind: 'assessment' });
  await handle.sql.query(
    { name: 'test_reveal_now', text: 'update documents set revealed_at = now() where id = $1' },
    [revealed],
  );

  const ratings = async (parentId: string, ownerId: string, isRevealed: boolean) => ({
    id: await createDocument(handle, { workspaceId, kind: 'ratings', parentId, ownerId }),
    kind: 'ratings' as const,
    ownerId,
    revealed: isRevealed,
    // Before reveal only the owner reads it (and only while a member); after, every member.
    observerId: isRevealed ? users.owner : ownerId === users['non-member'] ? null : ownerId,
  });
  for (const subject of SUBJECTS) {
    docs.set(
      `${subject}|ratings: own, before reveal`,
      await ratings(hidden, users[subject], false),
    );
    docs.set(
      `${subject}|ratings: own, after reveal`,
      await ratings(revealed, users[subject], true),
    );
  }
  docs.set(`*|ratings: other's, before reveal`, await ratings(hidden, users['other-rater'], false));
  docs.set(`*|ratings: other's, after reveal`, await ratings(revealed, users['other-rater'], true));

  for (const doc of docs.values()) {
    const y = seededContent(doc.kind, seedText(doc.id));
    await fx.db.store.append([{ documentId: doc.id, update: Y.encodeStateAsUpdate(y) }]);
    y.destroy();
  }
});

// ---- probing one connection ----

/** Awareness client ids with a (non-null) state in the awareness frames among `frames`. */
function presentClients(frames: Uint8Array[]): Set<number> {
  const ids = new Set<number>();
  for (const frame of frames) {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== 1) continue;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const count = decoding.readVarUint(inner);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(inner);
      decoding.readVarUint(inner);
      if (JSON.parse(decoding.readVarString(inner)) !== null) ids.add(clientId);
    }
  }
  return ids;
}

const contains = (frames: Uint8Array[], marker: string) =>
  frames.some((f) => Buffer.from(f).includes(Buffer.from(marker, 'utf8')));

interface Outcome {
  granted: SyncCapability[];
  /** HTTP status of a refused upgrade, or 101. */
  status: number;
  /** Bytes of the marker reached the observer though the write was refused. */
  leakedToObserver: boolean;
  deniedMessages: number;
}

let nextClientId = 1_000_000;

async function probe(subject: Subject, doc: Doc, observer: RawClient | null): Promise<Outcome> {
  const ticket = fx.server.ticket(doc.id, users[subject], ALL);
  const granted: SyncCapability[] = [];
  let client: RawClient;
  try {
    client = await rawClient(fx.server.url, doc.id, ticket);
  } catch (error) {
    // rawClient rejects with "HTTP <status>" when the upgrade is refused.
    const status = Number(/^HTTP (\d+)$/.exec((error as Error).message)?.[1] ?? 0);
    return { granted, status, leakedToObserver: false, deniedMessages: 0 };
  }
  const observed = observer?.frames.length ?? 0;

  // read: the stored content arrives
  await syncBarrier(client);
  const seen = new Y.Doc();
  applySyncFrames(seen, client.frames);
  if (contentText(doc.kind, seen).includes(seedText(doc.id))) granted.push('read');

  // write: an update with a marker, then whether the room applied it
  const marker = `written by ${subject} ${nextClientId}`;
  // Written where the document's shape allows it, on a copy of what the client received.
  const before = Y.encodeStateVector(seen);
  writeMarker(doc.kind, seen, marker, users[subject]);
  client.send(syncUpdateFrame(Y.encodeStateAsUpdate(seen, before), 2));
  // awareness: a presence update, then whether the room holds it
  const presenceDoc = new Y.Doc();
  presenceDoc.clientID = nextClientId++;
  // The constructor publishes clock 0; this is clock 1, which a peer applies (0 it ignores).
  const presence = new Awareness(presenceDoc);
  presence.setLocalState({ user: { name: subject } });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(presence, [presence.clientID]));
  client.send(encoding.toUint8Array(e));
  await syncBarrier(client);
  if (observer) await syncBarrier(observer);

  // decide (kinds with decision fields): a new indicator carrying a recorded decision
  const decisionKey = `decided-by-${subject}-${nextClientId}`;
  const hasDecisions = hasDecisionFields(doc.kind);
  if (hasDecisions) {
    const decide = new Y.Doc();
    const item = new Y.Map<unknown>();
    decide.getMap('items').set(decisionKey, item);
    item.set('decision', { value: 1, by: users[subject], at: '2026-11-23T10:00:00Z' });
    client.send(syncUpdateFrame(Y.encodeStateAsUpdate(decide), 2));
    await syncBarrier(client);
    if (observer) await syncBarrier(observer);
  }

  const room = fx.server.app.sync.room(doc.id);
  if (room && contentText(doc.kind, room.doc).includes(marker)) granted.push('write');
  const decided = room?.doc.getMap('items').get(decisionKey);
  if (decided instanceof Y.Map && decided.has('decision')) granted.push('decide');
  if (room?.awareness.getStates().has(presence.clientID)) granted.push('awareness');
  const toObserver = observer?.frames.slice(observed) ?? [];
  if (contains(toObserver, marker) !== granted.includes('write')) {
    throw new Error(`observer and room disagree on ${subject}'s write to ${doc.kind}`);
  }
  if (presentClients(toObserver).has(presence.clientID) !== granted.includes('awareness')) {
    throw new Error(`observer and room disagree on ${subject}'s presence in ${doc.kind}`);
  }
  if (hasDecisions && contains(toObserver, decisionKey) !== granted.includes('decide')) {
    throw new Error(`observer and room disagree on ${subject}'s decision in ${doc.kind}`);
  }
  const deniedMessages = client.frames.filter((f) => frameKind(f).type === 2).length;
  client.close();
  await client.closed;
  presence.destroy();
  presenceDoc.destroy();
  return {
    granted,
    status: 101,
    leakedToObserver:
      (!granted.includes('write') && contains(toObserver, marker)) ||
      (!granted.includes('decide') && contains(toObserver, `decided by ${subject}`)),
    deniedMessages,
  };
}

describe('R5: sync capabilities per role and document (hand-made clients, tickets claiming all)', () => {
  it('every outcome equals the capability table; 0 unauthorized successes', async () => {
    const observers = new Map<string, RawClient>();
    for (const doc of new Set(docs.values())) {
      if (!doc.observerId) continue;
      const observer = await rawClient(
        fx.server.url,
        doc.id,
        fx.server.ticket(doc.id, doc.observerId, ['read']),
      );
      await syncBarrier(observer);
      observers.set(doc.id, observer);
    }

    const rows: string[] = [];
    let unauthorized = 0;
    let missing = 0;
    const writtenTo = new Map<string, number>();
    for (const subject of SUBJECTS) {
      for (const cell of CELLS) {
        const doc = docFor(subject, cell);
        const want = expected(subject, doc);
        const got = await probe(subject, doc, observers.get(doc.id) ?? null);
        unauthorized += got.granted.filter((c) => !want.includes(c)).length;
        missing += want.filter((c) => !got.granted.includes(c)).length;
        if (got.granted.includes('write')) writtenTo.set(doc.id, (writtenTo.get(doc.id) ?? 0) + 1);
        // Without read the upgrade is refused with 403; with read, each refused update (no
        // write; a decision without decide) is answered with a permission-denied message and
        // reaches nobody.
        expect(got.status, `${subject} / ${cell}`).toBe(want.includes('read') ? 101 : 403);
        if (want.includes('read')) {
          const refusedWrites =
            (want.includes('write') ? 0 : 1) +
            (hasDecisionFields(doc.kind) && !want.includes('decide') ? 1 : 0);
          expect(got.deniedMessages, `${subject} / ${cell}`).toBe(refusedWrites);
        }
        expect(got.leakedToObserver, `${subject} / ${cell}`).toBe(false);
        rows.push(`${subject} | ${cell} | ${got.granted.join(', ') || 'none'}`);
      }
    }
    expect(unauthorized).toBe(0);
    expect(missing, rows.join('\n')).toBe(0);
    expect(rows).toHaveLength(SUBJECTS.length * CELLS.length);

    // The store holds exactly the writes the table allows: each allowed write once, no other.
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    for (const doc of new Set(docs.values())) {
      const text = contentText(doc.kind, await storedDoc(fx.db.store, doc.id));
      const writes = text.match(/written by /g)?.length ?? 0;
      expect(writes, `stored writes in ${doc.kind} ${doc.id}`).toBe(writtenTo.get(doc.id) ?? 0);
      expect(text).toContain(seedText(doc.id));
    }
    for (const observer of observers.values()) observer.close();
  });

  it('a ticket never gives more than the role, nor the role more than the ticket', async () => {
    const plan = docFor('rater', 'plan');
    // The viewer's ticket claims write: refused, as the role says.
    const viewer = await rawClient(
      fx.server.url,
      plan.id,
      fx.server.ticket(plan.id, users.viewer, ALL),
    );
    // The rater's ticket grants only read: read-only, though the role could write.
    const rater = await rawClient(
      fx.server.url,
      plan.id,
      fx.server.ticket(plan.id, users.rater, ['read']),
    );
    for (const client of [viewer, rater]) {
      await syncBarrier(client);
      const edit = new Y.Doc();
      edit.getText('t').insert(0, 'NOT ALLOWED ');
      client.send(syncUpdateFrame(Y.encodeStateAsUpdate(edit), 2));
      await syncBarrier(client);
      expect(client.frames.filter((f) => frameKind(f).type === 2)).toHaveLength(1);
      client.close();
    }
    expect(fx.server.app.sync.room(plan.id)?.doc.getText('t').toString() ?? '').not.toContain(
      'NOT ALLOWED',
    );
  });

  it('refuses before the upgrade: 404 for no such document, 403 naming why, 401 for a bad ticket', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const other = docFor('rater', "ratings: other's, before reveal");
    const res = (documentId: string, userId: string) =>
      fx.server.app.inject({
        method: 'GET',
        url: `/sync/${documentId}?ticket=${fx.server.ticket(documentId, userId)}`,
      });
    const notFound = await res(missing, users.owner);
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toMatchObject({ error: 'not-found', reason: 'no-document' });
    const outsider = await res(docFor('rater', 'plan').id, users['non-member']);
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json()).toMatchObject({ error: 'forbidden', reason: 'not-a-member' });
    const blind = await res(other.id, users.facilitator);
    expect(blind.statusCode).toBe(403);
    expect(blind.json()).toMatchObject({ error: 'forbidden', reason: 'no-access' });
    const bad = await fx.server.app.inject({ method: 'GET', url: `/sync/${other.id}?ticket=x.y` });
    expect(bad.statusCode).toBe(401);
    const refusals = fx.server.logs.filter((l) => l.msg === 'sync connection refused');
    expect(refusals.map((l) => l.reason)).toEqual(
      expect.arrayContaining(['no-document', 'not-a-member', 'no-access']),
    );
  });
});
