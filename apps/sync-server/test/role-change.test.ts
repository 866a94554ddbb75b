/**
 * Access changes take effect on open connections: the web app changes a role, removes a member,
 * reveals or hides ratings, or deletes a document, writing an audit row in the same transaction;
 * the sync server's watcher sees the row and rechecks every open connection of the workspace.
 * Lost read: closed with 4403 (4404 for a deleted document). Lost write: still open, but later
 * updates are refused and change nothing. An in-process caller can recheck at once.
 */
import { describe, expect, it } from 'vitest';
import { databaseAccess, type AccessPolicy } from '../src/access.js';
import { CLOSE } from '../src/protocol.js';
import {
  addMember,
  changeAccess,
  createDocument,
  frameKind,
  rawClient,
  startServer,
  stockClient,
  storedDoc,
  syncBarrier,
  syncUpdateFrame,
  useSyncServer,
  waitFor,
} from './support.js';
import {
  goalTitleText,
  newGoalUpdate,
  planWithProbeGoal,
  probeTitle,
  probeTitleText,
} from './document-content.js';

const RECHECK_MS = 50;
const fx = useSyncServer({ databaseAccess: { recheckMs: RECHECK_MS } });

const denied = (frames: Uint8Array[]) => frames.filter((f) => frameKind(f).type === 2).length;

/** Resolves when the server logged a capability change for `userId` (after `from` lines). */
async function capabilitiesChanged(userId: string, from: number): Promise<void> {
  await waitFor(
    () =>
      fx.server.logs
        .slice(from)
        .some((l) => l.msg === 'sync connection capabilities changed' && l.userId === userId),
    `a capability change for ${userId}`,
  );
}

describe('role changes on open connections', () => {
  it('rater → viewer while editing: later updates refused, the document unchanged', async () => {
    const { handle, workspaceId } = fx.db;
    const plan = await fx.db.newDocument();
    await fx.db.store.append([{ documentId: plan, update: planWithProbeGoal() }]);
    const rater = await fx.db.newUser();
    const writer = stockClient(fx.server.url, plan, fx.server.ticket(plan, rater));
    const watcher = stockClient(fx.server.url, plan, fx.server.ticket(plan, fx.db.userId));
    fx.clients.push(writer, watcher);
    await Promise.all([writer.synced(), watcher.synced()]);
    probeTitle(writer.doc).insert(0, 'goal 1');
    await waitFor(() => probeTitleText(watcher.doc) === 'goal 1', 'the edit at the other client');

    const logMark = fx.server.logs.length;
    await changeAccess(handle, workspaceId, 'membership.role-change', {
      userId: rater,
      role: 'viewer',
    });
    // The watcher polls every RECHECK_MS; how soon it acts on a busy machine is not the point.
    await capabilitiesChanged(rater, logMark);

    const watcherFrames = watcher.received.length;
    probeTitle(writer.doc).insert(0, 'VIEWER EDIT ');
    await waitFor(() => denied(writer.received) === 1, 'permission denied');
    expect(writer.provider.wsconnected).toBe(true);
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    expect(probeTitleText(fx.server.app.sync.room(plan)!.doc)).toBe('goal 1');
    expect(probeTitleText(await storedDoc(fx.db.store, plan))).toBe('goal 1');
    expect(probeTitleText(watcher.doc)).toBe('goal 1');
    expect(watcher.received.slice(watcherFrames).some((f) => frameKind(f).type === 0)).toBe(false);
  });

  it('removed membership: open connections closed with 4403, new ones refused with 403', async () => {
    const { handle, workspaceId } = fx.db;
    const plan = await fx.db.newDocument();
    const other = await fx.db.newDocument();
    const member = await fx.db.newUser();
    const a = await rawClient(fx.server.url, plan, fx.server.ticket(plan, member));
    const b = await rawClient(fx.server.url, other, fx.server.ticket(other, member));
    const bystander = await rawClient(fx.server.url, plan, fx.server.ticket(plan, fx.db.userId));
    await Promise.all([syncBarrier(a), syncBarrier(b), syncBarrier(bystander)]);

    await changeAccess(handle, workspaceId, 'membership.remove', { userId: member });
    const [closedA, closedB] = await Promise.all([a.closed, b.closed]);
    expect(closedA.code).toBe(CLOSE.ACCESS_REVOKED);
    expect(closedA.reason).toMatch(/not a member/);
    expect(closedB.code).toBe(CLOSE.ACCESS_REVOKED);
    // Others in the workspace are untouched.
    await syncBarrier(bystander);
    expect(bystander.closeInfo).toBeNull();
    await expect(rawClient(fx.server.url, plan, fx.server.ticket(plan, member))).rejects.toThrow(
      'HTTP 403',
    );
    bystander.close();
  });

  it('reveal while the rater has their ratings open: read-only; after hide, writable on reconnect', async () => {
    const { handle, workspaceId } = fx.db;
    const assessment = await createDocument(handle, { workspaceId, kind: 'assessment' });
    const rater = await fx.db.newUser();
    const ratingsId = await createDocument(handle, {
      workspaceId,
      kind: 'ratings',
      parentId: assessment,
      ownerId: rater,
    });
    const own = stockClient(fx.server.url, ratingsId, fx.server.ticket(ratingsId, rater));
    fx.clients.push(own);
    await own.synced();
    own.doc.getMap('ratings').set('indicator-1', 3);
    await waitFor(
      () => fx.server.app.sync.room(ratingsId)?.doc.getMap('ratings').get('indicator-1') === 3,
      'the rating in the room',
    );

    const logMark = fx.server.logs.length;
    await changeAccess(handle, workspaceId, 'ratings.reveal', { documentId: assessment });
    await capabilitiesChanged(rater, logMark);
    own.doc.getMap('ratings').set('indicator-1', 1);
    await waitFor(() => denied(own.received) === 1, 'permission denied after reveal');
    expect(own.provider.wsconnected).toBe(true);
    expect(fx.server.app.sync.room(ratingsId)!.doc.getMap('ratings').get('indicator-1')).toBe(3);
    await waitFor(() => fx.server.app.sync.stats().pendingWrites === 0, 'writes stored');
    expect((await storedDoc(fx.db.store, ratingsId)).getMap('ratings').get('indicator-1')).toBe(3);

    // Hiding the ratings lets raters re-rate, from a new connection: the open one may hold the
    // refused edit, which its later updates would depend on.
    await changeAccess(handle, workspaceId, 'ratings.hide', { documentId: assessment });
    await fx.watcher!.poll();
    await fx.watcher!.poll(); // one that started after the change
    own.doc.getMap('ratings').set('indicator-2', 2);
    await waitFor(() => denied(own.received) === 2, 'still read-only on the open connection');
    const fresh = stockClient(fx.server.url, ratingsId, fx.server.ticket(ratingsId, rater));
    fx.clients.push(fresh);
    await fresh.synced();
    expect(fresh.doc.getMap('ratings').get('indicator-1')).toBe(3);
    fresh.doc.getMap('ratings').set('indicator-2', 2);
    await waitFor(
      () => fx.server.app.sync.room(ratingsId)?.doc.getMap('ratings').get('indicator-2') === 2,
      'a new rating accepted after hide',
    );
    expect(denied(fresh.received)).toBe(0);
  });

  it('a deleted document: its open connections are closed with 4404', async () => {
    const { handle, workspaceId } = fx.db;
    const plan = await fx.db.newDocument();
    const client = await rawClient(fx.server.url, plan, fx.server.ticket(plan, fx.db.userId));
    await syncBarrier(client);
    await handle.sql.transaction(async (tx) => {
      await tx.query({ name: 'test_delete_doc', text: 'delete from documents where id = $1' }, [
        plan,
      ]);
      await tx.query(
        {
          name: 'test_audit_delete',
          text: `insert into audit_log (workspace_id, action, target) values ($1, 'document.delete', $2)`,
        },
        [workspaceId, `document:${plan}`],
      );
    });
    expect((await client.closed).code).toBe(CLOSE.DOCUMENT_NOT_FOUND);
  });

  it('recheckAccess acts at once, without waiting for the audit log', async () => {
    const { handle, workspaceId } = fx.db;
    const plan = await fx.db.newDocument();
    const member = await fx.db.newUser();
    const client = await rawClient(fx.server.url, plan, fx.server.ticket(plan, member));
    await syncBarrier(client);
    // A change with no audit row: the watcher cannot see it; only the explicit recheck can.
    await handle.sql.query(
      { name: 'test_viewer', text: `update memberships set role = 'viewer' where user_id = $1` },
      [member],
    );
    expect(await fx.server.app.sync.recheckAccess({ userId: member })).toEqual({
      checked: 1,
      changed: 1,
      closed: 0,
    });
    const edit = newGoalUpdate('goal-x', 'x');
    client.send(syncUpdateFrame(edit, 2));
    await waitFor(() => denied(client.frames) === 1, 'permission denied');

    await handle.sql.query(
      { name: 'test_unmember', text: 'delete from memberships where user_id = $1' },
      [member],
    );
    const closing = client.closed;
    expect(await fx.server.app.sync.recheckAccess({ workspaceId })).toMatchObject({ closed: 1 });
    expect((await closing).code).toBe(CLOSE.ACCESS_REVOKED);
    // A member added back gets their new role on their next connection.
    await addMember(handle, workspaceId, member, 'rater');
    const again = await rawClient(fx.server.url, plan, fx.server.ticket(plan, member));
    again.send(syncUpdateFrame(edit, 2));
    await waitFor(
      () => goalTitleText(fx.server.app.sync.room(plan)!.doc, 'goal-x') === 'x',
      'the edit accepted',
    );
    expect(denied(again.frames)).toBe(0);
    again.close();
  });
});

describe('a change while a connection is being authorized', () => {
  it('is applied to it once it is accepted, though its answer predates the change', async () => {
    const { handle, workspaceId } = fx.db;
    const plan = await fx.db.newDocument();
    const member = await fx.db.newUser();
    // The policy answers from the database at once but hands the answer over only when let go.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    const real = databaseAccess(handle);
    const gated: AccessPolicy = {
      async capabilitiesFor(userId, documentId) {
        const answer = await real.capabilitiesFor(userId, documentId);
        if (++asked === 1) await held;
        return answer;
      },
    };
    const server = await startServer({ store: fx.db.store, access: gated });
    try {
      const connecting = rawClient(server.url, plan, server.ticket(plan, member));
      await waitFor(() => asked === 1, 'the policy asked');
      await handle.sql.query(
        {
          name: 'test_viewer_race',
          text: `update memberships set role = 'viewer' where user_id = $1`,
        },
        [member],
      );
      expect(await server.app.sync.recheckAccess({ workspaceId })).toEqual({
        checked: 0,
        changed: 0,
        closed: 0,
      });
      release();
      const client = await connecting;
      await waitFor(
        () => server.logs.some((l) => l.msg === 'sync connection capabilities changed'),
        'the late connection rechecked',
      );
      client.send(syncUpdateFrame(newGoalUpdate('stale', 'stale write'), 2));
      await waitFor(() => denied(client.frames) === 1, 'permission denied');
      expect(goalTitleText(server.app.sync.room(plan)!.doc, 'stale')).toBe('');
      client.close();
    } finally {
      await server.close();
    }
  });
});
