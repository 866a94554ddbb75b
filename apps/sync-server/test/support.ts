/**
 * Shared pieces of the sync-server behaviour tests: a scratch PostgreSQL database with a
 * workspace to hang documents on, a server on 127.0.0.1 (port 0), the stock y-websocket client
 * and a hand-made raw client that records every frame, and small waiting helpers. Every test
 * file opens its own database and server and closes them, so files run in parallel.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import {
  createDb,
  createDocumentStore,
  GroupCommitter,
  schema,
  type DbHandle,
  type DocumentStore,
} from '@concord/db';
import { createScratchDatabase } from '@concord/db/testing';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '@concord/auth/roles';
import { databaseAccess } from '../src/access.js';
import { AccessWatcher } from '../src/access-watcher.js';
import { buildApp, type AppOptions } from '../src/app.js';
import { CAPABILITIES, issueTicket, type Capability } from '@concord/sync-protocol/ticket';
import type { Limits } from '../src/limits.js';

// Each stock WebsocketProvider adds a process 'exit' listener in Node; tests open dozens.
process.setMaxListeners(100);

export const SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** Every capability a ticket can claim. */
export const ALL: Capability[] = [...CAPABILITIES];

// ---- waiting ----

/** Holds callers at pass() while closed (a slow or stuck store, in front of the real one). */
export class Gate {
  private waiting: (() => void)[] = [];
  private isOpen = true;
  close() {
    this.isOpen = false;
  }
  open() {
    this.isOpen = true;
    for (const go of this.waiting.splice(0)) go();
  }
  pass(): Promise<void> {
    return this.isOpen ? Promise.resolve() : new Promise((go) => this.waiting.push(go));
  }
}

/** Waits until `condition` holds. `timeoutMs` is a budget for a failing run to give up, not a
 * speed check: generous, since a busy 2-core CI machine can be many times slower than a quiet one. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- database ----

export interface TestDb {
  handle: DbHandle;
  store: DocumentStore;
  /** A user who exists (updates carry their id as author); the workspace's owner. */
  userId: string;
  /** The workspace newDocument() adds to. */
  workspaceId: string;
  /** A new user, a rater of the workspace (raters may write plan documents). */
  newUser(): Promise<string>;
  newDocument(): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** A user, a district and a workspace in `handle`'s database, and a way to add documents to it.
 * The first user owns the workspace; newUser() adds raters, so every user may write the plan
 * documents newDocument() makes, whichever access policy the server runs. */
export async function seedWorkspace(
  handle: DbHandle,
): Promise<Pick<TestDb, 'userId' | 'workspaceId' | 'newUser' | 'newDocument'>> {
  const newAccount = async () => {
    const n = ++counter;
    const [user] = await handle.db
      .insert(schema.users)
      .values({ email: `sync${n}.${Date.now()}@example.org`, displayName: `Sync ${n}` })
      .returning();
    return user!.id;
  };
  const userId = await newAccount();
  const [district] = await handle.db
    .insert(schema.districts)
    .values({ name: 'Revere Public Schools', state: 'MA' })
    .returning();
  const [workspace] = await handle.db
    .insert(schema.workspaces)
    .values({
      districtId: district!.id,
      name: 'PL readiness',
      schoolYear: '2026-27',
      createdBy: userId,
    })
    .returning();
  await addMember(handle, workspace!.id, userId, 'owner');
  return {
    userId,
    workspaceId: workspace!.id,
    async newUser() {
      const id = await newAccount();
      await addMember(handle, workspace!.id, id, 'rater');
      return id;
    },
    async newDocument() {
      const [doc] = await handle.db
        .insert(schema.documents)
        .values({ workspaceId: workspace!.id, kind: 'plan', title: `plan ${++counter}` })
        .returning();
      return doc!.id;
    },
  };
}

export async function openTestDb(): Promise<TestDb> {
  const scratch = await createScratchDatabase('concord_sync');
  const handle = await createDb({ databaseUrl: scratch.url });
  return {
    handle,
    store: createDocumentStore(handle),
    ...(await seedWorkspace(handle)),
    async close() {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** The document as stored (store.load), as a Y.Doc. */
export async function storedDoc(
  store: Pick<DocumentStore, 'load'>,
  documentId: string,
): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await store.load(documentId)).state);
  return doc;
}

// ---- server ----

export interface TestServer {
  app: ReturnType<typeof buildApp>;
  port: number;
  /** ws://127.0.0.1:port/sync — the y-websocket server URL; the room name is appended. */
  url: string;
  committer: GroupCommitter;
  logs: Record<string, unknown>[];
  ticket(
    documentId: string,
    userId: string,
    capabilities?: Capability[],
    ttlSeconds?: number,
  ): string;
  /** An HTTP GET through Fastify's inject (/health, /ready, /metrics). */
  get(path: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * buildApp's options but the ones the test server sets itself (committer, ticket secret). The
 * access policy defaults to the app's: the ticket alone decides, so tests that do not care need
 * no members.
 */
export type StartOptions = {
  store: Pick<DocumentStore, 'load' | 'append'> & Partial<Pick<DocumentStore, 'compact'>>;
} & Partial<Omit<AppOptions, 'store' | 'committer' | 'ticketSecret'>>;

/** A sync server on a free loopback port, its JSON log lines collected in `logs`. */
export async function startServer(options: StartOptions): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const { store, ...rest } = options;
  const committer = new GroupCommitter(store);
  const app = buildApp({
    logLevel: 'info',
    logStream: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    ...rest,
    store,
    committer,
    ticketSecret: SECRET,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed = false;
  return {
    app,
    port,
    url: `ws://127.0.0.1:${port}/sync`,
    committer,
    logs,
    ticket: (documentId, userId, capabilities = ALL, ttlSeconds) =>
      issueTicket({
        secret: SECRET,
        documentId,
        userId,
        capabilities,
        ...(ttlSeconds && { ttlSeconds }),
      }),
    async get(path) {
      const res = await app.inject({ method: 'GET', url: path });
      return { status: res.statusCode, body: res.body };
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await committer.close();
    },
  };
}

/** What a test file gets from `useSyncServer`: valid inside tests (after beforeAll). */
export interface SyncFixture {
  readonly db: TestDb;
  readonly server: TestServer;
  /** Stock clients to destroy after the file's tests. */
  readonly clients: StockClient[];
  /** The audit-log watcher, with `databaseAccess` (poll() it to skip the wait). */
  readonly watcher: AccessWatcher | null;
}

/**
 * Registers the usual per-file lifecycle: a scratch database and a server started before the
 * tests, and clients, server and database closed after them. `wrapStore` lets a file put a
 * gate or a fault in front of the real store; `beforeClose` runs first in afterAll.
 * `databaseAccess` authorizes against the scratch database (roles, reveal) and rechecks open
 * connections from its audit log every `recheckMs`; without it the ticket alone decides. `app`
 * gives more of the app's options (compaction tuning, a database check), from the database.
 */
export function useSyncServer(
  options: {
    limits?: Partial<Limits>;
    databaseAccess?: { recheckMs?: number };
    wrapStore?: (store: DocumentStore) => Pick<DocumentStore, 'load' | 'append'>;
    beforeClose?: () => void;
    app?: (db: TestDb) => Omit<Partial<StartOptions>, 'store'>;
  } = {},
): SyncFixture {
  let db: TestDb | undefined;
  let server: TestServer | undefined;
  const clients: StockClient[] = [];
  let watcher: AccessWatcher | null = null;
  beforeAll(async () => {
    db = await openTestDb();
    if (options.databaseAccess) {
      watcher = new AccessWatcher({
        sql: db.handle.sql,
        ...(options.databaseAccess.recheckMs !== undefined && {
          intervalMs: options.databaseAccess.recheckMs,
        }),
      });
    }
    server = await startServer({
      ...options.app?.(db),
      store: options.wrapStore ? options.wrapStore(db.store) : db.store,
      ...(options.databaseAccess && { access: databaseAccess(db.handle) }),
      ...(watcher && { accessChanges: watcher }),
      ...(options.limits && { limits: options.limits }),
    });
  });
  afterAll(async () => {
    options.beforeClose?.();
    for (const c of clients) c.destroy();
    await server?.close();
    await db?.close();
  });
  return {
    get db() {
      if (!db) throw new Error('useSyncServer: the database is open only inside tests');
      return db;
    },
    get server() {
      if (!server) throw new Error('useSyncServer: the server runs only inside tests');
      return server;
    },
    clients,
    get watcher() {
      return watcher;
    },
  };
}

// ---- stock client ----

export interface StockClient {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** Every frame the client received, raw. */
  received: Uint8Array[];
  /** Close events the client saw. */
  closes: { code: number; reason: string }[];
  synced(): Promise<void>;
  destroy(): void;
}

/**
 * The stock y-websocket WebsocketProvider, unchanged, over `ws`. Frames are recorded by a
 * WebSocket subclass that only observes them.
 */
export function stockClient(
  serverUrl: string,
  documentId: string,
  ticket: string,
  options: { ack?: boolean; clientID?: number; onSynced?: (doc: Y.Doc) => void } = {},
): StockClient {
  const doc = new Y.Doc();
  if (options.clientID !== undefined) doc.clientID = options.clientID;
  const received: Uint8Array[] = [];
  const closes: { code: number; reason: string }[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
      this.on('close', (code: number, reason: Buffer) =>
        closes.push({ code, reason: reason.toString() }),
      );
    }
  }
  const provider = new WebsocketProvider(serverUrl, documentId, doc, {
    WebSocketPolyfill: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ticket, ...(options.ack && { ack: '1' }) },
    maxBackoffTime: 200,
  });
  if (options.onSynced) {
    const onSynced = options.onSynced;
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) onSynced(doc);
    });
  }
  return {
    doc,
    text: doc.getText('t'),
    provider,
    received,
    closes,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise((resolve) => {
            const on = (s: boolean) => {
              if (!s) return;
              provider.off('sync', on);
              resolve();
            };
            provider.on('sync', on);
          }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

// ---- raw client ----

export interface RawClient {
  socket: WebSocket;
  frames: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null;
  send(frame: Uint8Array): void;
  close(): void;
}

/** A hand-made protocol client: opens the socket, records frames, sends whatever it is told. */
export function rawClient(
  serverUrl: string,
  documentId: string,
  ticket: string,
  query = '',
): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${serverUrl}/${documentId}?ticket=${encodeURIComponent(ticket)}${query}`,
    );
    const frames: Uint8Array[] = [];
    let closeInfo: { code: number; reason: string } | null = null;
    const closed = new Promise<{ code: number; reason: string }>((resolveClosed) => {
      socket.on('close', (code, reason) => {
        closeInfo = { code, reason: reason.toString() };
        resolveClosed(closeInfo);
      });
    });
    socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
    socket.on('error', (error) => reject(error));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('open', () =>
      resolve({
        socket,
        frames,
        closed,
        get closeInfo() {
          return closeInfo;
        },
        send: (frame) => socket.send(frame),
        close: () => socket.close(),
      }),
    );
  });
}

/**
 * Sends a sync step 1 and waits for its answer (a sync step 2): the server handles a
 * connection's messages in order, so everything sent before it has been handled.
 */
export async function syncBarrier(client: RawClient): Promise<void> {
  const before = client.frames.length;
  client.send(syncStep1Frame(new Y.Doc()));
  await waitFor(
    () =>
      client.frames.slice(before).some((f) => frameKind(f).type === 0 && frameKind(f).sub === 1),
    'the answer to a sync step 1',
  );
}

/** Opens a WebSocket expecting the upgrade to be refused; resolves with the HTTP status. */
export function refusedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.on('error', () => {});
  });
}

// ---- frames ----

export function syncUpdateFrame(update: Uint8Array, step = 2): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  return encoding.toUint8Array(e);
}

/** Message type and, for sync and auth, the subtype of a frame the server sent. */
export function frameKind(frame: Uint8Array): { type: number; sub: number | null } {
  const d = decoding.createDecoder(frame);
  const type = decoding.readVarUint(d);
  const sub = type === 0 || type === 2 ? decoding.readVarUint(d) : null;
  return { type, sub };
}

/** Applies every sync step 2 / update frame among `frames` to `doc`. */
export function applySyncFrames(doc: Y.Doc, frames: Uint8Array[]): void {
  for (const frame of frames) {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== 0) continue;
    const sub = decoding.readVarUint(d);
    if (sub === 1 || sub === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(d));
  }
}

// ---- workspace membership, documents and the audit log (authorization tests) ----

export async function addMember(
  handle: DbHandle,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await handle.db.insert(schema.memberships).values({ workspaceId, userId, role });
}

/** A document of any kind; `parentId` for ratings and comments, `ownerId` for ratings. */
export async function createDocument(
  handle: DbHandle,
  input: {
    workspaceId: string;
    kind: (typeof schema.documents.$inferInsert)['kind'];
    parentId?: string;
    ownerId?: string;
  },
): Promise<string> {
  const [doc] = await handle.db
    .insert(schema.documents)
    .values({ ...input, title: `${input.kind} ${++counter}` })
    .returning();
  return doc!.id;
}

/**
 * An access change as the web app makes it: the change and its audit row in one transaction
 * (the sync server's watcher reads the audit log).
 */
export async function changeAccess(
  handle: DbHandle,
  workspaceId: string,
  action: 'membership.role-change' | 'membership.remove' | 'ratings.reveal' | 'ratings.hide',
  change: { userId: string; role?: Role } | { documentId: string },
): Promise<void> {
  const statements: { name: string; text: string; params: unknown[] }[] = [];
  if ('userId' in change) {
    statements.push(
      action === 'membership.remove'
        ? {
            name: 'test_remove_member',
            text: 'delete from memberships where workspace_id = $1 and user_id = $2',
            params: [workspaceId, change.userId],
          }
        : {
            name: 'test_set_role',
            text: 'update memberships set role = $3 where workspace_id = $1 and user_id = $2',
            params: [workspaceId, change.userId, change.role],
          },
    );
  } else {
    statements.push({
      name: 'test_reveal',
      text: 'update documents set revealed_at = $2 where id = $1',
      params: [change.documentId, action === 'ratings.reveal' ? new Date() : null],
    });
  }
  const target = 'userId' in change ? `user:${change.userId}` : `document:${change.documentId}`;
  statements.push({
    name: 'test_audit',
    text: 'insert into audit_log (workspace_id, action, target) values ($1, $2, $3)',
    params: [workspaceId, action, target],
  });
  await handle.sql.transaction(async (tx) => {
    for (const { params, ...statement } of statements) await tx.query(statement, params);
  });
}

/**
 * A hand-made client at the byte level: a TCP socket that sends a WebSocket upgrade request and
 * records every byte the server sends back until it closes the socket, or until `until` holds
 * for what came (then the socket is destroyed). Nothing is interpreted on the way in, so a test
 * can assert on all of it: the HTTP status line, the body, and any WebSocket frames after a
 * 101. `timeoutMs` is only a budget for a server that never answers: what arrived by then is
 * returned, and the test's assertions say what was missing.
 */
export function rawUpgradeBytes(
  port: number,
  path: string,
  options: { until?: (bytes: Buffer) => boolean; timeoutMs?: number } = {},
): Promise<{ bytes: Buffer; status: number }> {
  const { until, timeoutMs = 20_000 } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(chunks);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(bytes.toString('latin1'))?.[1] ?? 0);
      resolve({ bytes, status });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (until?.(Buffer.concat(chunks))) done();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Splits the bytes after a 101 response's headers into WebSocket frames (server frames are not
 * masked); returns the payloads of complete frames and the opcodes. Enough to decode what a
 * hand-made client got, in tests. Any other response has no frames.
 */
export function websocketPayloads(bytes: Buffer): { opcode: number; payload: Buffer }[] {
  if (!bytes.subarray(0, 13).equals(Buffer.from('HTTP/1.1 101 '))) return [];
  const headerEnd = bytes.indexOf('\r\n\r\n');
  let at = headerEnd < 0 ? bytes.length : headerEnd + 4;
  const frames: { opcode: number; payload: Buffer }[] = [];
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (at + head + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(at + head, at + head + length) });
    at += head + length;
  }
  return frames;
}
