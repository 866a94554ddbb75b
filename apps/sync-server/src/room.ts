/**
 * A room: one open document. It holds the document in memory (one Y.Doc, loaded once from the
 * store however many clients arrive together), its awareness (presence), and its connections;
 * it answers sync, applies and relays updates, hands them to persistence, and unloads itself once
 * the last client has left and everything it accepted is stored.
 *
 * Order of work for an update from a client (all synchronous, so nothing interleaves):
 * the update guard's chain of checks (guard/chain.ts: decode, write capability, size, the
 * document's schema and the person's role, text bounds) -> the document's size and the write
 * queue -> apply to the Y.Doc -> relay the client's bytes to the other connections -> append to
 * the store -> acknowledge after COMMIT. An update that changes nothing (already known) is neither relayed nor stored.
 * On a cold open the clients waiting for the load get the stored bytes as they are, before the
 * room applies them (sendEarly), and a client that has nothing, right after a load, is
 * answered with them too: no second encoding of the whole document, and no waiting on ours.
 *
 * Presence is each person's own (awareness-guard.ts): a client id belongs to the person who first
 * announced it, and the server writes `user` from the ticket into every state.
 *
 * Awareness is kept in a y-protocols Awareness, which ignores an update whose clock for that
 * client has not advanced: the stock client echoes every awareness update it receives, and
 * relaying those echoes would turn each 15-second renewal into an N² storm. Only what changed
 * (or was renewed) is relayed, to everyone but its sender. A change (a new state, a cursor that
 * moved, a client that left) goes out at once; a renewal (the same state with a higher clock,
 * which only says "still here") waits up to AWARENESS_RENEWAL_DELAY_MS and goes out with the
 * room's other renewals in one message: every client echoes every message it receives, so a
 * room of N renewing one by one costs N² messages each way, and batched a handful. In a big room
 * a batch goes out early (AWARENESS_RENEWAL_BURST), so no one message stalls every client.
 *
 * With a fan-out (Redis, several instances), the room subscribes to its document's channel
 * before it loads, publishes every update it accepts from a client and every presence change of
 * its clients, and applies what other instances publish with REMOTE_ORIGIN: relayed to the
 * local clients, never stored here (the instance whose client sent it stores it) and never
 * published again. Remote awareness is deduplicated by the same clock rule. After loading, and
 * whenever the fan-out says messages may have been missed, the room asks the other instances
 * for what it lacks (sync-request); on a resync it also re-reads the store (catch-up). Applying
 * either twice is harmless: Yjs updates are idempotent.
 */
import { DocumentNotFoundError, type DocumentStore } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import {
  applyAwarenessUpdate,
  Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isStaleAwarenessUpdate } from './awareness-filter.js';
import { guardAwareness, type PresenceOwner } from './awareness-guard.js';
import type { Compactor } from './compaction.js';
import { broadcast, type Connection, type RoomPort } from './connection.js';
import {
  AWARENESS_RENEWAL_BURST,
  AWARENESS_RENEWAL_DELAY_MS,
  LOADED_STATE_REUSE_MS,
  type Limits,
} from './limits.js';
import type { SyncMetrics } from './metrics.js';
import type { Persistence } from './persistence.js';
import {
  CLOSE,
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  type ClientMessage,
} from './protocol.js';
import { err, ok, type Result } from './result.js';
import type { Fanout, FanoutListener, FanoutMessage } from './redis.js';
import { checkUpdate, isKnownTo, type CheckedUpdate } from './guard/decode.js';
import { guardUpdate, type Verdict } from './guard/chain.js';

export type RoomStatus = 'loading' | 'ready' | 'closed';
export type LoadFailure = 'document-not-found' | 'store-unavailable';

export interface RoomOptions {
  documentId: string;
  store: Pick<DocumentStore, 'load'>;
  persistence: Persistence;
  limits: Limits;
  log: FastifyBaseLogger;
  /** Resolves when a previous room for this document has stored everything it accepted; the
   * load waits for it, so it cannot miss those updates. */
  after?: Promise<void>;
  /** Called once when the room closes (unloaded, failed to load, or reset). */
  onClosed: (room: Room) => void;
  /** Optional services, shared by every room of the process. */
  services?: RoomServices;
}

export interface RoomServices {
  /** Relays to and from other instances (Redis); absent on a single instance. */
  fanout?: Fanout;
  /** Schedules compaction of documents with many stored updates. */
  compactor?: Compactor;
  metrics?: Pick<SyncMetrics, 'caughtUp'>;
  /** Rating rounds (rounds/round-service.ts): answers round commands and follows raters'
   * progress. Absent on servers without a database. */
  rounds?: RoundHooks;
  /** The query tables kept in step (projection/projector.ts); absent without a database. */
  projection?: ProjectionHooks;
}

/** What a room tells the projection into the query tables. */
export interface ProjectionHooks {
  /** This room's document changed: a client's update was applied, or the server edited it. */
  changed(room: Room): void;
  /** The server is stopping: project what is waiting, then take no more. */
  stop?(): Promise<void>;
  /** Projects what the tables are behind on (on start); resolves with how many. */
  catchUp?(): Promise<number>;
}

/** What a room tells the rating rounds. */
export interface RoundHooks {
  /** A round command from `conn` on this room's document. */
  command(room: Room, conn: Connection, json: string): void;
  /** A client's update was applied to this room's document. */
  applied(room: Room): void;
  /** The server is stopping: no more progress writes. */
  stop?(): void;
}

/** Who a server edit is attributed to (the person who asked for it). */
export interface EditAuthor {
  userId: string;
}

/** Most updates one connection may have held (waiting for the edits they build on). */
const MAX_HELD_UPDATES = 64;
const MAX_HELD_BYTES = 1024 * 1024;

/** Transaction origin for applying the stored state, so it is never mistaken for a client's. */
const LOAD_ORIGIN = Symbol('load');
/** An update holding nothing (no structs, an empty delete set). */
const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** Origin of what another instance published: relayed locally, not stored, not republished. */
const REMOTE_ORIGIN = Symbol('remote');
/** Origin of the server's own edits (Room.edit). */
export const SERVER_EDIT_ORIGIN = Symbol('server-edit');
/** Origin of a re-read of the store after missed fan-out messages: relayed locally only. */
const CATCH_UP_ORIGIN = Symbol('catch-up');

export class Room implements RoomPort {
  readonly documentId: string;
  readonly doc = new Y.Doc();
  readonly awareness: Awareness;
  readonly connections = new Set<Connection>();
  /** Resolves once the document is loaded (or failed to). */
  readonly loaded: Promise<Result<void, LoadFailure>>;
  private state: RoomStatus = 'loading';
  /** Highest seq of this document known to be durably stored. */
  private storedSeq = 0;
  /** Upper bound of the stored state's size: loaded size plus every update since. Exact size
   * (re-encoding the document) is only computed when this bound reaches the limit. */
  private sizeBound = 0;
  private readonly writes = new Set<Promise<unknown>>();
  /** Set by the afterTransaction listener for the transaction applying a client's update. */
  private applying: Connection | null = null;
  private appliedChange = false;
  /** The bytes the document was loaded from, while the document is still exactly that (kept
   * for LOADED_STATE_REUSE_MS; see stateFor). */
  private loadedState: Uint8Array | null = null;
  /** Connections sent the loaded bytes unasked (sendEarly). */
  private readonly sentEarly = new WeakSet<Connection>();
  private loadedStateTimer: NodeJS.Timeout | undefined;
  /** A resync was asked for while the room was still loading. */
  private resyncOwed = false;
  private readonly fanoutListener: FanoutListener = {
    message: (message) => this.receiveRemote(message),
    resync: () => {
      if (this.state === 'loading') this.resyncOwed = true;
      else void this.catchUp();
    },
  };
  private readonly log: FastifyBaseLogger;
  /** Client ids whose state the awareness 'change' event of the current apply reported as
   * really changed (the 'update' event that follows reports renewals too). */
  private changedNow: Set<number> | null = null;
  /** Renewed client ids waiting for the batched relay: true when a local client renewed it
   * (published to other instances with the batch), false when it came from one. */
  private readonly renewals = new Map<number, boolean>();
  private renewalTimer: NodeJS.Timeout | undefined;
  /** Who announced each client id of this room's local presence (awareness-guard.ts). */
  private readonly presenceOwners = new Map<number, PresenceOwner<Connection>>();
  /** Server edits under way: the room stays loaded while any holds it (pin/unpin). */
  private pins = 0;

  constructor(private readonly options: RoomOptions) {
    this.documentId = options.documentId;
    this.log = options.log;
    this.awareness = new Awareness(this.doc);
    // The server publishes no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('change', this.onAwarenessChange);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin !== LOAD_ORIGIN) this.forgetLoadedState();
      if (tr.origin === this.applying && this.applying !== null) {
        // Yjs's own test for "this transaction produced an update" (a loop, not a spread:
        // this runs for every update a client sends).
        this.appliedChange = tr.deleteSet.clients.size > 0 || advanced(tr);
      }
    });
    // Only remote and catch-up updates are relayed from here, and both come through the
    // fan-out: without one, no listener, so Yjs does not encode every transaction for nothing.
    if (options.services?.fanout) this.doc.on('update', this.onDocUpdate);
    this.loaded = this.load();
  }

  get status(): RoomStatus {
    return this.state;
  }

  get seq(): number {
    return this.storedSeq;
  }

  /** Resolves when every update this room accepted so far is stored (or given up). */
  settled(): Promise<void> {
    return Promise.all([...this.writes]).then(() => undefined);
  }

  join(conn: Connection): void {
    this.connections.add(conn);
    conn.attach(this);
    if (this.state === 'ready') {
      this.welcome(conn);
      return;
    }
    void this.loaded.then((result) => {
      if (result.ok) this.welcome(conn);
      else if (result.error === 'document-not-found') {
        conn.close(CLOSE.DOCUMENT_NOT_FOUND, 'no such document');
      } else {
        conn.close(CLOSE.STORE_UNAVAILABLE, 'the document could not be loaded; try again');
      }
    });
  }

  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    // Held updates go with their connection: the client sends them again after reconnecting.
    for (const held of conn.heldUpdates.splice(0)) held.settle(Promise.resolve(null));
    this.dropAwarenessOf(conn);
    if (this.connections.size === 0) this.unloadWhenIdle();
  }

  dropAwarenessOf(conn: Connection): void {
    for (const [clientId, owner] of this.presenceOwners) {
      if (owner.conn === conn) this.presenceOwners.delete(clientId);
    }
    if (conn.awarenessClients.size === 0 || this.state === 'closed') return;
    removeAwarenessStates(this.awareness, [...conn.awarenessClients], conn);
    conn.awarenessClients.clear();
  }

  receive(conn: Connection, frame: Uint8Array): void {
    if (this.state !== 'ready') return;
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      conn.close(CLOSE.MALFORMED_MESSAGE, decoded.error.reason);
      return;
    }
    const message: ClientMessage = decoded.value;
    switch (message.type) {
      case 'sync-step1':
        conn.send(encodeSyncStep2(this.stateFor(conn, message.stateVector)));
        return;
      case 'sync-step2':
        this.receiveUpdate(conn, message.update, null);
        return;
      case 'sync-update':
        this.receiveUpdate(conn, message.update, frame);
        return;
      case 'awareness':
        this.receiveAwareness(conn, message.update);
        return;
      case 'query-awareness':
        this.sendAllAwareness(conn);
        return;
      case 'round':
        this.options.services?.rounds?.command(this, conn, message.json);
        return;
    }
  }

  /** Keeps the room loaded (without clients) until unpin(): for the server's own edits. */
  pin(): void {
    this.pins++;
  }

  unpin(): void {
    this.pins = Math.max(0, this.pins - 1);
    if (this.connections.size === 0) this.unloadWhenIdle();
  }

  /**
   * The server's own change to the document, attributed to `author` (the person who asked for
   * it): applied as one transaction, relayed to every client and other instances, and stored like
   * a client's update. Returns the stored seq (null when it could not be stored), or the current
   * seq when the change changed nothing. The room must be ready (Hub.edit loads it).
   */
  edit(change: (doc: Y.Doc) => void, author: EditAuthor): Promise<number | null> {
    if (this.state !== 'ready') return Promise.reject(new Error('the document is not loaded'));
    const parts: Uint8Array[] = [];
    const capture = (update: Uint8Array, origin: unknown) => {
      if (origin === SERVER_EDIT_ORIGIN) parts.push(update);
    };
    this.doc.on('update', capture);
    try {
      this.doc.transact(() => change(this.doc), SERVER_EDIT_ORIGIN);
    } finally {
      this.doc.off('update', capture);
    }
    if (parts.length === 0) return this.settled().then(() => this.storedSeq);
    const update = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    this.sizeBound += update.byteLength;
    broadcast(this.connections, encodeSyncUpdate(update));
    this.options.services?.fanout?.publish(this.documentId, { kind: 'update', update });
    const write = this.store(update, author.userId);
    this.options.services?.projection?.changed(this);
    return write;
  }

  /** Closes every connection (revoke, shutdown) with `code`. */
  closeAll(code: Parameters<Connection['close']>[0], reason: string): void {
    for (const conn of [...this.connections]) conn.close(code, reason);
  }

  private async load(): Promise<Result<void, LoadFailure>> {
    await this.options.after;
    const { fanout, compactor } = this.options.services ?? {};
    // Subscribed before reading the store, so nothing published after the read is missed.
    if (fanout) await fanout.join(this.documentId, this.fanoutListener);
    try {
      const { state, seq } = await this.options.store.load(this.documentId);
      this.sendEarly(state);
      Y.applyUpdate(this.doc, state, LOAD_ORIGIN);
      this.loadedState = state;
      this.loadedStateTimer = setTimeout(() => this.forgetLoadedState(), LOADED_STATE_REUSE_MS);
      this.loadedStateTimer.unref();
      this.storedSeq = seq;
      this.sizeBound += state.byteLength;
      this.state = 'ready';
      compactor?.noteStored(this.documentId, seq);
      // What other instances accepted but had not stored when we read the store.
      this.requestSync();
      if (this.resyncOwed) {
        this.resyncOwed = false;
        void this.catchUp();
      }
      this.log.debug(
        { documentId: this.documentId, seq, bytes: state.byteLength },
        'document loaded',
      );
      // Everyone may have left while it loaded.
      if (this.connections.size === 0) this.unloadWhenIdle();
      return ok(undefined);
    } catch (error) {
      const notFound = error instanceof DocumentNotFoundError;
      if (!notFound)
        this.log.error({ err: error, documentId: this.documentId }, 'loading a document failed');
      this.close();
      return err(notFound ? 'document-not-found' : 'store-unavailable');
    }
  }

  private welcome(conn: Connection): void {
    if (!conn.isOpen) return;
    // Our state vector, so the client sends what we lack (its answer is its sync step 2).
    conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    this.sendAllAwareness(conn);
    conn.markReady();
  }

  private receiveUpdate(conn: Connection, update: Uint8Array, frame: Uint8Array | null): void {
    const verdict = guardUpdate(this.doc, update, conn);
    if (verdict.kind === 'wait') {
      this.hold(conn, update, frame, verdict.reason);
      return;
    }
    const stored = this.act(conn, update, frame, verdict);
    if (stored !== undefined) conn.trackWrite(stored);
    if (verdict.kind === 'apply' && conn.heldUpdates.length > 0) this.retryHeld(conn);
  }

  /**
   * Carries out a verdict on a client's update. Returns what its acknowledgement waits for (the
   * seq once stored; null when it never will be), or undefined when the message takes no part
   * in acknowledgements (refused, ignored, or the connection closed).
   */
  private act(
    conn: Connection,
    update: Uint8Array,
    frame: Uint8Array | null,
    verdict: Exclude<Verdict, { kind: 'wait' }>,
  ): Promise<number | null> | undefined {
    switch (verdict.kind) {
      case 'close':
        conn.close(verdict.code, verdict.reason);
        return undefined;
      case 'empty':
        // Nothing to apply; acknowledged once what came before it is stored.
        return conn.can('write') ? this.settled().then(() => this.storedSeq) : undefined;
      case 'known':
        return undefined;
      case 'refuse':
        // Refused whole: not applied, relayed or stored. The connection stays open (for reading,
        // and for the edits that are allowed); the stock client logs the reason.
        conn.log.info(
          {
            connection: conn.id,
            documentId: this.documentId,
            check: verdict.check,
            reason: verdict.reason,
          },
          'update refused',
        );
        conn.send(encodePermissionDenied(verdict.reason));
        return undefined;
      case 'apply':
        return this.apply(conn, update, frame, verdict.checked);
    }
  }

  /**
   * An update that builds on edits the room does not have yet (its items' origins are missing):
   * the stock client sends what is typed as soon as its socket opens, before its answer to our
   * sync step 1 brings the offline edits it builds on. Held, not refused (a refusal would tell
   * the person that an edit will never be saved), and tried again after each update of the same
   * connection that is applied; its acknowledgement waits in order. Bounded: past the bound it
   * is refused as before, and the client sends it again after reconnecting.
   */
  private hold(conn: Connection, update: Uint8Array, frame: Uint8Array | null, reason: string) {
    const held = conn.heldUpdates;
    const bytes = held.reduce((n, h) => n + h.update.byteLength, 0) + update.byteLength;
    if (held.length >= MAX_HELD_UPDATES || bytes > MAX_HELD_BYTES) {
      conn.log.info(
        { connection: conn.id, documentId: this.documentId, check: 'schema', reason },
        'update refused',
      );
      conn.send(encodePermissionDenied(reason));
      return;
    }
    let settle!: (stored: Promise<number | null>) => void;
    const stored = new Promise<number | null>((resolve) => {
      settle = (p) => void p.then(resolve, () => resolve(null));
    });
    held.push({ update: update.slice(), frame: frame ? frame.slice() : null, settle });
    conn.trackWrite(stored);
  }

  /** Tries the connection's held updates again, in order, until none can go further. */
  private retryHeld(conn: Connection): void {
    let progress = true;
    while (progress && conn.heldUpdates.length > 0 && conn.isOpen) {
      progress = false;
      for (const held of [...conn.heldUpdates]) {
        const verdict = guardUpdate(this.doc, held.update, conn);
        if (verdict.kind === 'wait') continue;
        conn.heldUpdates.splice(conn.heldUpdates.indexOf(held), 1);
        progress = true;
        // A held update now refused or closing: its acknowledgement never comes (the client
        // was told why, or is being disconnected).
        held.settle(this.act(conn, held.update, held.frame, verdict) ?? Promise.resolve(null));
      }
    }
  }

  /** Applies a checked update, relays it and stores it; what its acknowledgement waits for. */
  private apply(
    conn: Connection,
    update: Uint8Array,
    frame: Uint8Array | null,
    checked: CheckedUpdate,
  ): Promise<number | null> | undefined {
    if (!this.fits(update.byteLength)) {
      conn.close(
        CLOSE.DOCUMENT_TOO_LARGE,
        `the document would exceed ${this.options.limits.maxDocumentBytes} bytes`,
      );
      return undefined;
    }
    if (!this.options.persistence.hasRoomFor(update.byteLength) && !isKnownTo(this.doc, checked)) {
      // Database down and the queue full: refuse before applying, so everything in memory is
      // queued for storing; the client keeps the edit and sends it again after reconnecting.
      conn.close(
        CLOSE.WRITE_QUEUE_FULL,
        'the database is unreachable and the write queue is full; reconnect later',
      );
      return undefined;
    }

    const store = this.doc.store;
    const pendingBefore = store.pendingStructs?.update ?? null;
    const pendingDsBefore = store.pendingDs;
    this.applying = conn;
    this.appliedChange = false;
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch (error) {
      this.applying = null;
      this.reset(conn, error);
      return undefined;
    }
    this.applying = null;
    const changed =
      this.appliedChange ||
      (store.pendingStructs?.update ?? null) !== pendingBefore ||
      store.pendingDs !== pendingDsBefore;
    if (!changed) return this.settled().then(() => this.storedSeq);

    this.sizeBound += update.byteLength;
    // Relay the client's own bytes: a sync update frame as received, a step 2 re-framed.
    broadcast(this.connections, frame ?? encodeSyncUpdate(update), conn);
    this.options.services?.fanout?.publish(this.documentId, { kind: 'update', update });

    // A copy, so the stored entry does not pin the socket's receive buffer.
    const write = this.store(update.slice(), conn.userId);
    this.options.services?.rounds?.applied(this);
    this.options.services?.projection?.changed(this);
    return write;
  }

  /** Stores an applied update, attributed to `userId`; resolves with its seq (null: never). */
  private store(update: Uint8Array, userId: string): Promise<number | null> {
    const write = this.options.persistence.save(this.documentId, update, userId).then((result) => {
      if (result.ok) {
        this.storedSeq = Math.max(this.storedSeq, result.value);
        this.options.services?.compactor?.noteStored(this.documentId, this.storedSeq);
        return this.storedSeq;
      }
      if (result.error === 'document-not-found')
        this.closeAll(CLOSE.DOCUMENT_NOT_FOUND, 'the document was deleted');
      return null;
    });
    const tracked = write.finally(() => {
      this.writes.delete(tracked);
      if (this.connections.size === 0) this.unloadWhenIdle();
    });
    this.writes.add(tracked);
    return write;
  }

  /**
   * What a client with `stateVector` lacks, as an update. A client that has nothing, right after
   * the load, gets the loaded bytes themselves: applying them gives the same document, and a
   * cold open does not pay for encoding the whole document again.
   */
  private stateFor(conn: Connection, stateVector: Uint8Array): Uint8Array {
    if (this.loadedState) {
      // Sent the loaded bytes before this question reached us (sendEarly), and the document is
      // still exactly those: nothing more to send.
      if (this.sentEarly.has(conn)) return EMPTY_UPDATE;
      if (Y.decodeStateVector(stateVector).size === 0) return this.loadedState;
    }
    return Y.encodeStateAsUpdate(this.doc, stateVector);
  }

  /**
   * Sends the stored document to the clients waiting for the load as a sync step 2, before the
   * room applies it: the client's apply and ours (on a cold open, the two largest costs, each
   * tens of ms for a long history in a process whose Yjs code is not yet optimised) then run at
   * the same time instead of one after the other. The stock client takes an unasked step 2 as
   * it takes the answer to its step 1 (applies it, then reports synced), and the content is the
   * whole stored document, so `synced` still never comes before the content.
   */
  private sendEarly(state: Uint8Array): void {
    if (this.connections.size === 0) return;
    const frame = encodeSyncStep2(state);
    for (const conn of this.connections) {
      if (!conn.isOpen) continue;
      conn.send(frame);
      this.sentEarly.add(conn);
    }
  }

  private forgetLoadedState(): void {
    clearTimeout(this.loadedStateTimer);
    this.loadedState = null;
  }

  /** Whether `bytes` more keep the stored document within maxDocumentBytes. */
  private fits(bytes: number): boolean {
    const max = this.options.limits.maxDocumentBytes;
    if (this.sizeBound + bytes <= max) return true;
    this.sizeBound = Y.encodeStateAsUpdate(this.doc).byteLength;
    return this.sizeBound + bytes <= max;
  }

  /**
   * Applying threw despite the checks: the document may hold part of the update, so it can no
   * longer be trusted to answer sync. The offender is closed as malformed; everyone else is
   * closed with INTERNAL_ERROR and reconnects to a fresh room loaded from the store (which
   * never saw the bad update), sending their own state again as part of the sync.
   */
  private reset(offender: Connection, error: unknown): void {
    this.log.error(
      { err: error, documentId: this.documentId, connection: offender.id },
      'an update failed to apply; resetting the room',
    );
    offender.close(CLOSE.MALFORMED_MESSAGE, 'update could not be applied');
    this.closeAll(CLOSE.INTERNAL_ERROR, 'room reset after a bad update; reconnect');
    this.close();
  }

  private receiveAwareness(conn: Connection, update: Uint8Array): void {
    if (!conn.can('awareness')) return; // dropped: no presence without the capability
    if (update.byteLength > this.options.limits.maxAwarenessBytes) {
      conn.close(
        CLOSE.MESSAGE_TOO_LARGE,
        `awareness update of ${update.byteLength} bytes; the limit is ${this.options.limits.maxAwarenessBytes}`,
      );
      return;
    }
    // Echoes of what we relayed (same clock) change nothing: skip parsing them again.
    if (isStaleAwarenessUpdate(this.awareness, update)) return;
    const guarded = guardAwareness(
      update,
      { userId: conn.userId, name: conn.name, conn },
      this.presenceOwners,
      (clientId) => {
        const state = this.awareness.getStates().get(clientId) as
          { user?: { id?: unknown } } | undefined;
        if (state === undefined) return undefined;
        return typeof state.user?.id === 'string' ? state.user.id : null;
      },
    );
    if (guarded.refused.length > 0) {
      conn.log.info(
        { connection: conn.id, documentId: this.documentId, clientIds: guarded.refused },
        'presence refused: another person’s client id, or not a state',
      );
    }
    if (guarded.update === null) return;
    for (const { clientId, from } of guarded.bound) {
      from?.awarenessClients.delete(clientId);
      this.presenceOwners.set(clientId, { userId: conn.userId, conn });
    }
    applyAwarenessUpdate(this.awareness, guarded.update, conn);
  }

  private sendAllAwareness(conn: Connection): void {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0)
      conn.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, clients)));
  }

  private readonly onAwarenessChange = (change: { updated: number[] }): void => {
    this.changedNow = new Set(change.updated);
  };

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const from =
      origin instanceof Object && this.connections.has(origin as Connection)
        ? (origin as Connection)
        : null;
    if (from) {
      for (const id of [...change.added, ...change.updated]) from.awarenessClients.add(id);
      for (const id of change.removed) from.awarenessClients.delete(id);
    }
    const changedNow = this.changedNow;
    this.changedNow = null;
    const now: number[] = [...change.added, ...change.removed];
    for (const id of change.updated) {
      if (changedNow?.has(id)) now.push(id);
      else this.deferRenewal(id, origin);
    }
    if (now.length === 0) return;
    // Sent now, so no longer owed as a renewal (the message carries the newest clock).
    for (const id of now) this.renewals.delete(id);
    const update = encodeAwarenessUpdate(this.awareness, now);
    broadcast(this.connections, encodeAwareness(update), from);
    // Our clients' presence goes to the other instances; theirs is not sent back, and states
    // timed out here time out there too.
    if (origin !== REMOTE_ORIGIN && origin !== 'timeout') {
      this.options.services?.fanout?.publish(this.documentId, { kind: 'awareness', update });
    }
  };

  /** Queues a renewal for the room's next batch (see the module header). */
  private deferRenewal(id: number, origin: unknown): void {
    this.renewals.set(id, origin !== REMOTE_ORIGIN || this.renewals.get(id) === true);
    if (this.renewals.size * this.connections.size >= AWARENESS_RENEWAL_BURST) {
      clearTimeout(this.renewalTimer);
      this.flushRenewals();
      return;
    }
    if (this.renewalTimer === undefined) {
      this.renewalTimer = setTimeout(() => this.flushRenewals(), AWARENESS_RENEWAL_DELAY_MS);
      this.renewalTimer.unref();
    }
  }

  /**
   * One message with every renewal waiting, to every connection: a client that finds its own
   * renewal in it ignores that entry (same clock), as it does when the stock y-websocket server
   * echoes it, so one encoding serves the whole room.
   */
  private flushRenewals(): void {
    this.renewalTimer = undefined;
    const states = this.awareness.getStates();
    const pending = [...this.renewals].filter(([id]) => states.has(id));
    this.renewals.clear();
    if (pending.length === 0 || this.state === 'closed') return;
    const message = encodeAwareness(
      encodeAwarenessUpdate(
        this.awareness,
        pending.map(([id]) => id),
      ),
    );
    broadcast(this.connections, message);
    // Only our clients' renewals go to the other instances (theirs renew there).
    const local = pending.filter(([, isLocal]) => isLocal).map(([id]) => id);
    if (local.length > 0) {
      this.options.services?.fanout?.publish(this.documentId, {
        kind: 'awareness',
        update: encodeAwarenessUpdate(this.awareness, local),
      });
    }
  }

  /** Relays what another instance sent, or what a catch-up found, to the local clients. */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== REMOTE_ORIGIN && origin !== CATCH_UP_ORIGIN) return;
    this.sizeBound += update.byteLength;
    broadcast(this.connections, encodeSyncUpdate(update));
  };

  private receiveRemote(message: FanoutMessage): void {
    if (this.state === 'closed') return;
    switch (message.kind) {
      case 'update':
        this.applyRemote(message.update);
        return;
      case 'sync-reply':
        this.applyRemote(message.update);
        // Answer in kind: what we hold that the replier lacks (published while Redis was down).
        if (this.state === 'ready') this.publishDiff(message.stateVector, null);
        return;
      case 'sync-request':
        if (this.state !== 'ready') return; // instances that have loaded answer
        this.publishDiff(message.stateVector, Y.encodeStateVector(this.doc));
        this.publishLocalAwareness();
        return;
      case 'awareness':
        if (message.update.byteLength > this.options.limits.maxAwarenessBytes) return;
        try {
          applyAwarenessUpdate(this.awareness, message.update, REMOTE_ORIGIN);
        } catch (error) {
          this.log.warn({ err: error, documentId: this.documentId }, 'bad remote awareness');
        }
        return;
    }
  }

  /** Applies another instance's update (checked first, as a client's would be). */
  private applyRemote(update: Uint8Array): void {
    const checked = checkUpdate(update);
    if (!checked.ok) {
      this.log.warn(
        { documentId: this.documentId, reason: checked.error.reason },
        'remote update refused',
      );
      return;
    }
    if (checked.value.empty) return;
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } catch (error) {
      this.log.error(
        { err: error, documentId: this.documentId },
        'a remote update failed to apply; resetting the room',
      );
      this.closeAll(CLOSE.INTERNAL_ERROR, 'room reset after a bad update; reconnect');
      this.close();
    }
  }

  /** Publishes what an instance with state vector `stateVector` lacks (a reply to its request
   * when `ours` is given, else a plain update). */
  private publishDiff(stateVector: Uint8Array, ours: Uint8Array | null): void {
    const fanout = this.options.services?.fanout;
    if (!fanout) return;
    let update: Uint8Array;
    try {
      update = Y.encodeStateAsUpdate(this.doc, stateVector);
    } catch {
      return; // not a state vector
    }
    fanout.publish(
      this.documentId,
      ours ? { kind: 'sync-reply', update, stateVector: ours } : { kind: 'update', update },
    );
  }

  private publishLocalAwareness(): void {
    const clients = new Set<number>();
    for (const conn of this.connections) for (const id of conn.awarenessClients) clients.add(id);
    const present = [...clients].filter((id) => this.awareness.getStates().has(id));
    if (present.length === 0) return;
    this.options.services?.fanout?.publish(this.documentId, {
      kind: 'awareness',
      update: encodeAwarenessUpdate(this.awareness, present),
    });
  }

  private requestSync(): void {
    this.options.services?.fanout?.publish(this.documentId, {
      kind: 'sync-request',
      stateVector: Y.encodeStateVector(this.doc),
    });
  }

  /**
   * Fan-out messages may have been missed (Redis was unreachable): re-read the store (the
   * source of truth) and apply it, relaying what was new to the local clients, and ask the
   * other instances for what they hold and have not stored yet.
   */
  async catchUp(): Promise<void> {
    if (this.state !== 'ready') return;
    const metrics = this.options.services?.metrics;
    try {
      const { state, seq } = await this.options.store.load(this.documentId);
      if (this.state !== 'ready') return;
      Y.applyUpdate(this.doc, state, CATCH_UP_ORIGIN);
      this.storedSeq = Math.max(this.storedSeq, seq);
      metrics?.caughtUp('ok');
    } catch (error) {
      metrics?.caughtUp('failed');
      this.log.warn(
        { err: error, documentId: this.documentId },
        'catching up from the store failed; relying on the other instances',
      );
    }
    if (this.state === 'ready') this.requestSync();
  }

  /** Unloads once no client is connected and every accepted update is stored. */
  private unloadWhenIdle(): void {
    if (this.state !== 'ready' || this.connections.size > 0 || this.writes.size > 0) return;
    if (this.pins > 0) return;
    this.log.debug({ documentId: this.documentId, seq: this.storedSeq }, 'document unloaded');
    this.close();
  }

  private close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.forgetLoadedState();
    const { fanout, compactor } = this.options.services ?? {};
    fanout?.leave(this.documentId, this.fanoutListener);
    compactor?.noteUnloaded(this.documentId);
    this.doc.off('update', this.onDocUpdate);
    clearTimeout(this.renewalTimer);
    this.renewals.clear();
    this.awareness.off('change', this.onAwarenessChange);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.options.onClosed(this);
  }
}

/** Whether a transaction advanced some client's clock (it integrated new structs). */
function advanced(tr: Y.Transaction): boolean {
  // Keys, not entries: iterating entries allocates a pair per client on every update.
  for (const client of tr.afterState.keys()) {
    if (tr.beforeState.get(client) !== tr.afterState.get(client)) return true;
  }
  return false;
}
