/**
 * A scratch PostgreSQL database with what a sync connection needs to be authorized: users, a
 * district, a workspace, a membership for each user (a real role, so the tests keep passing once
 * the server checks memberships) and shared documents to edit, each stored with the goal and
 * the metric the tests write into (plan-content.ts). Closing drops the database.
 * With `pgliteDataDir` the same goes into a PGlite data directory instead, which closing only
 * closes (only one process may open it: close it before a server starts on it).
 */
import {
  createDb,
  createDocumentStore,
  schema,
  type DbHandle,
  type DocumentStore,
} from '@concord/db';
import { createScratchDatabase } from '@concord/db/testing';
import { issueTicket } from '@concord/sync-protocol/ticket';
import * as Y from 'yjs';
import { planSeed } from './plan-content.js';
import { TICKET_SECRET } from './server-process.js';

/** Tickets outlive a whole fuzz run, so a client's automatic reconnects never need a new one
 * (the harness refreshes them anyway; this is the server's maximum). */
const TICKET_TTL_SECONDS = 3_600;

export interface SyncWorkspace {
  /** DATABASE_URL for the server process ('' on PGlite). */
  url: string;
  handle: DbHandle;
  store: DocumentStore;
  /** Members of the workspace, each with a membership (`role`). */
  userIds: string[];
  /** A new shared document (kind 'plan', which every member may edit) in the workspace, stored
   * with planSeed() (the containers the tests edit) before any client connects. */
  newDocument(): Promise<string>;
  /** A ticket for one member and one document, with read, write and awareness. */
  ticket(userId: string, documentId: string): string;
  /** The document as stored, as a Y.Doc. */
  stored(documentId: string): Promise<Y.Doc>;
  close(): Promise<void>;
}

export async function openSyncWorkspace(options: {
  /** Scratch database name prefix (a SQL identifier). */
  prefix: string;
  members: number;
  role: 'owner' | 'rater';
  pgliteDataDir?: string;
}): Promise<SyncWorkspace> {
  const scratch = options.pgliteDataDir
    ? { url: '', drop: () => Promise.resolve() }
    : await createScratchDatabase(options.prefix);
  let handle: DbHandle | undefined;
  try {
    handle = await createDb(
      options.pgliteDataDir
        ? { pgliteDataDir: options.pgliteDataDir }
        : { databaseUrl: scratch.url },
    );
    const db = handle.db;
    const users = await db
      .insert(schema.users)
      .values(
        Array.from({ length: options.members }, (_, i) => ({
          email: `member${i}@sync-tests.example.org`,
          displayName: `Member ${i}`,
        })),
      )
      .returning();
    const creator = users[0]!.id;
    const [district] = await db
      .insert(schema.districts)
      .values({ name: 'Revere Public Schools', state: 'MA' })
      .returning();
    const [workspace] = await db
      .insert(schema.workspaces)
      .values({
        districtId: district!.id,
        name: 'Sync reliability',
        schoolYear: '2026-27',
        createdBy: creator,
      })
      .returning();
    const workspaceId = workspace!.id;
    await db.insert(schema.memberships).values(
      users.map((u) => ({
        workspaceId,
        userId: u.id,
        role: options.role,
        represents: 'district' as const,
      })),
    );
    let documents = 0;
    const h = handle;
    const store = createDocumentStore(h);
    return {
      url: scratch.url,
      handle: h,
      store,
      userIds: users.map((u) => u.id),
      async newDocument() {
        const [doc] = await db
          .insert(schema.documents)
          .values({ workspaceId, kind: 'plan', title: `plan ${++documents}`, createdBy: creator })
          .returning();
        await store.append([{ documentId: doc!.id, update: planSeed() }]);
        return doc!.id;
      },
      ticket: (userId, documentId) =>
        issueTicket({
          secret: TICKET_SECRET,
          userId,
          documentId,
          capabilities: ['read', 'write', 'awareness'],
          ttlSeconds: TICKET_TTL_SECONDS,
        }),
      async stored(documentId) {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await store.load(documentId)).state);
        return doc;
      },
      async close() {
        await h.close();
        await scratch.drop();
      },
    };
  } catch (e) {
    await handle?.close();
    await scratch.drop();
    throw e;
  }
}
