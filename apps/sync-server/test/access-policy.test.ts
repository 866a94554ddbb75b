/**
 * The database access policy and the audit-log watcher on both databases the server runs on:
 * PGlite (the one-command start) and PostgreSQL. The policy's answer for every role and kind of
 * document is the capability table's; the watcher reports a workspace once its audit row lands.
 */
import { documentCapabilities, ROLES, type DocumentKind, type Role } from '@concord/auth/roles';
import { createDb, schema, type DbHandle } from '@concord/db';
import { createScratchDatabase } from '@concord/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAccess } from '../src/access.js';
import { AccessWatcher, type AccessChange } from '../src/access-watcher.js';
import { addMember, changeAccess, createDocument, seedWorkspace } from './support.js';

const silent = {
  info: () => {},
  warn: () => {},
  error: () => {},
} as unknown as Parameters<AccessWatcher['start']>[1];

describe.each(['pglite', 'postgres'] as const)('on %s', (kind) => {
  let handle: DbHandle;
  let drop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    if (kind === 'pglite') {
      handle = await createDb({ pgliteDataDir: 'memory://' });
    } else {
      const scratch = await createScratchDatabase('concord_sync_access');
      drop = scratch.drop;
      handle = await createDb({ databaseUrl: scratch.url });
    }
  });
  afterAll(async () => {
    await handle?.close();
    await drop();
  });

  it('answers every role on every kind of document as the capability table does', async () => {
    const { workspaceId, userId: ownerId } = await seedWorkspace(handle);
    const policy = databaseAccess(handle);
    const members: Record<Role, string> = { owner: ownerId } as Record<Role, string>;
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const [user] = await handle.db
        .insert(schema.users)
        .values({ email: `${role}.${kind}.${Date.now()}@example.org`, displayName: role })
        .returning();
      members[role] = user!.id;
      await addMember(handle, workspaceId, user!.id, role);
    }
    const parent = await createDocument(handle, { workspaceId, kind: 'assessment' });
    const docs: { id: string; kind: DocumentKind; ownerId: string | null }[] = [];
    for (const k of ['prerequisites', 'assessment', 'plan'] as const) {
      docs.push({
        id: await createDocument(handle, { workspaceId, kind: k }),
        kind: k,
        ownerId: null,
      });
    }
    docs.push({
      id: await createDocument(handle, { workspaceId, kind: 'comments', parentId: parent }),
      kind: 'comments',
      ownerId: null,
    });
    for (const role of ROLES) {
      const id = await createDocument(handle, {
        workspaceId,
        kind: 'ratings',
        parentId: parent,
        ownerId: members[role],
      });
      docs.push({ id, kind: 'ratings', ownerId: members[role] });
    }

    for (const revealed of [false, true]) {
      if (revealed)
        await changeAccess(handle, workspaceId, 'ratings.reveal', { documentId: parent });
      for (const role of ROLES) {
        for (const doc of docs) {
          const want = documentCapabilities(
            { userId: members[role], role },
            { kind: doc.kind, ownerId: doc.ownerId, revealed },
          );
          const got = await policy.capabilitiesFor(members[role], doc.id);
          const label = `${role} on ${doc.kind} (owner ${doc.ownerId === members[role]}, revealed ${revealed})`;
          if (want.includes('read')) {
            expect(got, label).toEqual({
              ok: true,
              value: {
                capabilities: want,
                workspaceId,
                kind: doc.kind,
              },
            });
          } else {
            expect(got, label).toEqual({ ok: false, error: 'no-access' });
          }
        }
      }
    }
    const [stranger] = await handle.db
      .insert(schema.users)
      .values({ email: `stranger.${kind}.${Date.now()}@example.org`, displayName: 'Stranger' })
      .returning();
    expect(await policy.capabilitiesFor(stranger!.id, docs[0]!.id)).toEqual({
      ok: false,
      error: 'not-a-member',
    });
    expect(await policy.capabilitiesFor(ownerId, '00000000-0000-4000-8000-000000000000')).toEqual({
      ok: false,
      error: 'no-document',
    });
  });

  it('the watcher reports the workspace of a new access audit row', async () => {
    const { workspaceId, userId } = await seedWorkspace(handle);
    const changes: AccessChange[] = [];
    const watcher = new AccessWatcher({ sql: handle.sql, intervalMs: 60_000 });
    watcher.start(async (change) => void changes.push(change), silent);
    await watcher.poll();
    await changeAccess(handle, workspaceId, 'membership.role-change', { userId, role: 'viewer' });
    await watcher.poll();
    expect(changes).toEqual(['all', [workspaceId]]);
    await watcher.stop();
  });
});
