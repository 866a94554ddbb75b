/**
 * The database behind the Concord server under test, seeded with real rows (the server checks
 * workspace membership): a district, one workspace, `users` users who are each an owner of it,
 * and `documents` plan documents (stored with initial content, if given). PostgreSQL is a scratch database (dropped at the end); PGlite
 * is a temporary data directory, which only one process may open at a time, so it is seeded and
 * inspected only while no server holds it. Tickets are signed with the secret passed to the
 * server in `env`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, createDocumentStore, schema, type DbHandle } from '@concord/db';
import { createScratchDatabase } from '@concord/db/testing';
import { issueTicket, type Capability } from '@concord/sync-protocol/ticket';

/** Every ticket may read, write and publish presence, as an owner's does (unless the caller
 * asks for others: a facilitator running a round also needs 'decide'). */
const CAPABILITIES: readonly Capability[] = ['read', 'write', 'awareness'];
/** Long enough for any benchmark phase; tickets are checked only when a socket opens. */
const TICKET_TTL_SECONDS = 3600;

export interface Seeded {
  userIds: string[];
  documentIds: string[];
}

export interface StoredRows {
  updates: number;
  checkpoints: number;
}

export interface ConcordDatabase {
  kind: 'postgres' | 'pglite';
  /** DATABASE_URL or PGLITE_DATA_DIR, and SYNC_TICKET_SECRET, for the server process. */
  env: Record<string, string>;
  /** `users` owners and `documents` plan documents, each stored with `content` if given. */
  seed(users: number, documents: number, content?: Uint8Array): Promise<Seeded>;
  ticket(userId: string, documentId: string, capabilities?: readonly Capability[]): string;
  /** Runs `fn` on a database handle, for seeding rows of other shapes (lib/round-seed.ts).
   * PGlite: only while no server has the directory open. */
  withHandle<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T>;
  /** Rows stored for a document (PGlite: only while no server has the directory open). */
  storedRows(documentId: string): Promise<StoredRows>;
  /** The stored document as one update (PGlite: only while no server runs). */
  load(documentId: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

let seeds = 0;

async function seedRows(
  handle: DbHandle,
  users: number,
  documents: number,
  content?: Uint8Array,
): Promise<Seeded> {
  const run = `${++seeds}.${randomBytes(3).toString('hex')}`;
  const userRows = await handle.db
    .insert(schema.users)
    .values(
      Array.from({ length: users }, (_, i) => ({
        email: `bench.${run}.${i}@example.org`,
        displayName: `Bench ${i}`,
      })),
    )
    .returning();
  const userIds = userRows.map((u) => u.id);
  const [district] = await handle.db
    .insert(schema.districts)
    .values({ name: 'Bench district', state: 'MA' })
    .returning();
  const [workspace] = await handle.db
    .insert(schema.workspaces)
    .values({
      districtId: district!.id,
      name: `Bench workspace ${run}`,
      schoolYear: '2026-27',
      createdBy: userIds[0] ?? null,
    })
    .returning();
  await handle.db
    .insert(schema.memberships)
    .values(
      userIds.map((userId) => ({ workspaceId: workspace!.id, userId, role: 'owner' as const })),
    );
  const documentRows = await handle.db
    .insert(schema.documents)
    .values(
      Array.from({ length: documents }, (_, i) => ({
        workspaceId: workspace!.id,
        kind: 'plan' as const,
        title: `Bench plan ${i}`,
        createdBy: userIds[0] ?? null,
      })),
    )
    .returning();
  const documentIds = documentRows.map((d) => d.id);
  if (content) {
    await createDocumentStore(handle).append(
      documentIds.map((documentId) => ({ documentId, update: content })),
    );
  }
  return { userIds, documentIds };
}

async function countRows(handle: DbHandle, documentId: string): Promise<StoredRows> {
  const [row] = await handle.sql.query<{ updates: number; checkpoints: number }>(
    {
      name: 'bench_stored_rows',
      text: `select (select count(*)::int from document_updates where document_id = $1) as updates,
                    (select count(*)::int from document_checkpoints where document_id = $1) as checkpoints`,
    },
    [documentId],
  );
  return { updates: row?.updates ?? 0, checkpoints: row?.checkpoints ?? 0 };
}

function ticketFor(secret: string) {
  return (userId: string, documentId: string, capabilities = CAPABILITIES) =>
    issueTicket({
      secret,
      userId,
      documentId,
      capabilities: [...capabilities],
      ttlSeconds: TICKET_TTL_SECONDS,
    });
}

/** A scratch PostgreSQL database (PG_ADMIN_URL, as the tests use). */
export async function openPostgres(): Promise<ConcordDatabase> {
  const scratch = await createScratchDatabase('concord_bench');
  const handle = await createDb({ databaseUrl: scratch.url });
  const secret = randomBytes(32).toString('base64url');
  const store = createDocumentStore(handle);
  return {
    kind: 'postgres',
    env: { DATABASE_URL: scratch.url, SYNC_TICKET_SECRET: secret },
    seed: (users, documents, content) => seedRows(handle, users, documents, content),
    ticket: ticketFor(secret),
    withHandle: (fn) => fn(handle),
    storedRows: (documentId) => countRows(handle, documentId),
    load: async (documentId) => (await store.load(documentId)).state,
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** PGlite in a temporary data directory (the server's default database kind). */
export function openPglite(): ConcordDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-pglite-'));
  const secret = randomBytes(32).toString('base64url');
  const withHandle = async <T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> => {
    const handle = await createDb({ pgliteDataDir: dir });
    try {
      return await fn(handle);
    } finally {
      await handle.close();
    }
  };
  return {
    kind: 'pglite',
    env: { PGLITE_DATA_DIR: dir, SYNC_TICKET_SECRET: secret },
    seed: (users, documents, content) => withHandle((h) => seedRows(h, users, documents, content)),
    ticket: ticketFor(secret),
    withHandle,
    storedRows: (documentId) => withHandle((h) => countRows(h, documentId)),
    load: (documentId) =>
      withHandle(async (h) => (await createDocumentStore(h).load(documentId)).state),
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
