/**
 * Every sync connection is authenticated before the upgrade, and its ticket's capabilities hold
 * against a hand-made client: read-only cannot change the document, no 'awareness' means no
 * presence; revoke() closes or downgrades open connections.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { issueTicket } from '@concord/sync-protocol/ticket';
import { CLOSE } from '../src/protocol.js';
import {
  frameKind,
  rawClient,
  refusedStatus,
  SECRET,
  stockClient,
  storedDoc,
  syncBarrier,
  syncStep1Frame,
  syncUpdateFrame,
  waitFor,
  useSyncServer,
} from './support.js';

const fx = useSyncServer();

const refusals = () =>
  fx.server.logs.filter((l) => l.msg === 'sync connection refused').map((l) => l.reason as string);

describe('authentication before the upgrade', () => {
  it('refuses a missing, expired, tampered or wrong-document ticket with HTTP 401 and logs why', async () => {
    const documentId = await fx.db.newDocument();
    const other = await fx.db.newDocument();
    const base = `${fx.server.url}/${documentId}`;
    const expired = issueTicket({
      secret: SECRET,
      userId: fx.db.userId,
      documentId,
      capabilities: ['read', 'write'],
      now: Date.now() - 120_000,
    });
    const good = fx.server.ticket(documentId, fx.db.userId, ['read']);
    const [body, sig] = good.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.capabilities = ['read', 'write', 'awareness'];
    const tampered = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    const forged = issueTicket({
      secret: 'not-the-server-secret-not-the-server-secret',
      userId: fx.db.userId,
      documentId,
      capabilities: ['read', 'write'],
    });

    expect(await refusedStatus(base)).toBe(401);
    expect(await refusedStatus(`${base}?ticket=${expired}`)).toBe(401);
    expect(await refusedStatus(`${base}?ticket=${tampered}`)).toBe(401);
    expect(await refusedStatus(`${base}?ticket=${forged}`)).toBe(401);
    expect(await refusedStatus(`${fx.server.url}/${other}?ticket=${good}`)).toBe(401);
    expect(await refusedStatus(`${fx.server.url}/not-a-document?ticket=${good}`)).toBe(400);
    expect(refusals()).toEqual([
      'missing',
      'expired',
      'bad-signature',
      'bad-signature',
      'wrong-document',
    ]);

    // The genuine ticket works.
    const ok = await rawClient(fx.server.url, documentId, good);
    await waitFor(() => ok.frames.length > 0, 'the server’s sync step 1');
    ok.close();
  });

  it('closes with 4404 when the document does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const client = await rawClient(fx.server.url, missing, fx.server.ticket(missing, fx.db.userId));
    expect((await client.closed).code).toBe(CLOSE.DOCUMENT_NOT_FOUND);
  });
});

describe('capabilities', () => {
  it('read-only: an update is refused (not applied, relayed or stored) and the client told', async () => {
    const documentId = await fx.db.newDocument();
    const writer = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    fx.clients.push(writer);
    await writer.synced();
    writer.text.insert(0, 'agreed text');
    await waitFor(
      () => fx.server.app.sync.room(documentId)?.doc.getText('t').toString() === 'agreed text',
      'the writer’s edit in the room',
    );

    const reader = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId, ['read']),
    );
    await waitFor(() => reader.frames.length > 0, 'sync step 1');
    const attack = new Y.Doc();
    attack.getText('t').insert(0, 'VANDALISED ');
    reader.send(syncUpdateFrame(Y.encodeStateAsUpdate(attack), 2));
    reader.send(syncUpdateFrame(Y.encodeStateAsUpdate(attack), 1));

    const denied = () =>
      reader.frames.filter((f) => {
        const k = frameKind(f);
        return k.type === 2 && k.sub === 0;
      });
    await waitFor(() => denied().length === 2, 'two permission-denied messages');
    const d = decoding.createDecoder(denied()[0]!);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    expect(decoding.readVarString(d)).toMatch(/read-only/);

    // Still connected, still reading: the writer's next edit reaches the reader.
    writer.text.insert(0, '>');
    await waitFor(
      () => reader.frames.some((f) => frameKind(f).sub === 2),
      'the writer’s update at the reader',
    );
    expect(reader.closeInfo).toBeNull();

    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    expect(writer.text.toString()).toBe('>agreed text');
    expect(fx.server.app.sync.room(documentId)!.doc.getText('t').toString()).toBe('>agreed text');
    expect((await storedDoc(fx.db.store, documentId)).getText('t').toString()).toBe('>agreed text');
    reader.close();
  });

  it('read-only stock client: syncs without being refused, and its local edits go nowhere', async () => {
    const documentId = await fx.db.newDocument();
    const writer = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId),
    );
    fx.clients.push(writer);
    await writer.synced();
    writer.text.insert(0, 'abcdef');
    writer.text.delete(1, 2);
    const viewer = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId, ['read']),
    );
    fx.clients.push(viewer);
    await viewer.synced();
    expect(viewer.text.toString()).toBe('adef');
    // Its sync step 2 carried the delete set it just received: nothing new, nothing refused.
    const deniedCount = () => viewer.received.filter((f) => frameKind(f).type === 2).length;
    expect(deniedCount()).toBe(0);
    viewer.text.insert(0, 'viewer was here ');
    await waitFor(() => deniedCount() === 1, 'permission denied');
    expect(writer.text.toString()).toBe('adef');
  });

  it('without awareness: presence is dropped, others’ presence still arrives', async () => {
    const documentId = await fx.db.newDocument();
    const full = stockClient(fx.server.url, documentId, fx.server.ticket(documentId, fx.db.userId));
    const quiet = stockClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId, ['read', 'write']),
    );
    fx.clients.push(full, quiet);
    await Promise.all([full.synced(), quiet.synced()]);
    quiet.provider.awareness.setLocalStateField('user', { name: 'Quiet' });
    full.provider.awareness.setLocalStateField('user', { name: 'Full' });
    await waitFor(
      () => quiet.provider.awareness.getStates().has(full.doc.clientID),
      'full’s presence at quiet',
    );
    // A hand-made awareness frame for quiet's client id, straight to the server, is dropped too.
    const fake = new Awareness(new Y.Doc());
    fake.setLocalState({ user: { name: 'Spoof' } });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, encodeAwarenessUpdate(fake, [fake.clientID]));
    const raw = await rawClient(
      fx.server.url,
      documentId,
      fx.server.ticket(documentId, fx.db.userId, ['read', 'write']),
    );
    raw.send(encoding.toUint8Array(e));
    // Handled, in order, before the server answers raw's sync step 1; anything it would have
    // relayed to full went out before its answer to full's own sync step 1.
    await syncBarrier(raw);
    const before = full.received.length;
    full.provider.ws!.send(syncStep1Frame(new Y.Doc()));
    await waitFor(
      () =>
        full.received.slice(before).some((f) => frameKind(f).type === 0 && frameKind(f).sub === 1),
      'the answer to full’s sync step 1',
    );
    expect(full.provider.awareness.getStates().has(quiet.doc.clientID)).toBe(false);
    expect(full.provider.awareness.getStates().has(fake.clientID)).toBe(false);
    expect([...fx.server.app.sync.room(documentId)!.awareness.getStates().keys()]).toEqual([
      full.doc.clientID,
    ]);
    fake.destroy();
    raw.close();
  });
});

describe('revoke', () => {
  it('closes a user’s connections with 4403, or downgrades them to read-only', async () => {
    const documentId = await fx.db.newDocument();
    const bob = await fx.db.newUser();
    const carol = await fx.db.newUser();
    const b = await rawClient(fx.server.url, documentId, fx.server.ticket(documentId, bob));
    const c = stockClient(fx.server.url, documentId, fx.server.ticket(documentId, carol));
    fx.clients.push(c);
    await c.synced();

    expect(fx.server.app.sync.revoke({ userId: bob })).toBe(1);
    expect((await b.closed).code).toBe(CLOSE.ACCESS_REVOKED);

    expect(fx.server.app.sync.revoke({ documentId }, { downgradeTo: ['read'] })).toBe(1);
    c.text.insert(0, 'after the downgrade');
    await waitFor(
      () => c.received.some((f) => frameKind(f).type === 2),
      'permission denied after downgrade',
    );
    expect(fx.server.app.sync.room(documentId)!.doc.getText('t').toString()).toBe('');
    expect(c.provider.wsconnected).toBe(true);
  });
});
