/**
 * A room: one open document. It holds the document in memory (one Y.Doc, loaded once from the
 * store however many clients arrive together), its awareness (presence), and its connections;
 * it answers sync, applies and relays updates, hands them to persistence, and unloads itself once
 * the last client has left and everything it accepted is stored.
 *
 * Order of work for an update from a client (all synchronous, so nothing interleaves):
 * check the bytes (update-check.ts) -> capability and size limits -> apply to the Y.Doc ->
 * relay the client's bytes to the other connections -> append to the store -> acknowledge after
 * COMMIT. An update that changes nothing (already known) is neither relayed nor stored.
 *
 * Awareness is kept in a y-protocols Awareness, which ignores an update whose clock for that
 * client has not advanced: the stock client echoes every awareness update it receives, and
 * relaying those echoes would turn each 15-second renewal into an N² storm. Only what changed
 * (or was renewed) is relayed, to everyone but its sender.
 */
import { DocumentNotFoundError, limits as dbLimits, type DocumentStore } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import {
  applyAwarenessUpdate,
  Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Connection, RoomPort } from './connection.js';
import type { Limits } from './limits.js';
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
import { checkUpdate, isKnownTo } from './update-check.js';

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
}

/** Transaction origin for applying the stored state, so it is never mistaken for a client's. */
const LOAD_ORIGIN = Symbol('load');

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
  private readonly log: FastifyBaseLogger;

  constructor(private readonly options: RoomOptions) {
    this.documentId = options.documentId;
    this.log = options.log;
    this.awareness = new Awareness(this.doc);
    // The server publishes no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === this.applying && this.applying !== null) {
        // Yjs's own test for "this transaction produced an update".
        this.appliedChange =
          tr.deleteSet.clients.size > 0 ||
          [...tr.afterState].some(([client, clock]) => tr.beforeState.get(client) !== clock);
      }
    });
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
    this.dropAwarenessOf(conn);
    if (this.connections.size === 0) this.unloadWhenIdle();
  }

  dropAwarenessOf(conn: Connection): void {
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
        conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
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
    }
  }

  /** Closes every connection (revoke, shutdown) with `code`. */
  closeAll(code: Parameters<Connection['close']>[0], reason: string): void {
    for (const conn of [...this.connections]) conn.close(code, reason);
  }

  private async load(): Promise<Result<void, LoadFailure>> {
    await this.options.after;
    try {
      const { state, seq } = await this.options.store.load(this.documentId);
      Y.applyUpdate(this.doc, state, LOAD_ORIGIN);
      this.storedSeq = seq;
      this.sizeBound = state.byteLength;
      this.state = 'ready';
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
    const checked = checkUpdate(update);
    if (!checked.ok) {
      conn.close(CLOSE.MALFORMED_MESSAGE, checked.error.reason);
      return;
    }
    if (checked.value.empty) {
      // Nothing to apply; acknowledged once what came before it is stored.
      if (conn.can('write')) conn.trackWrite(this.settled().then(() => this.storedSeq));
      return;
    }
    if (!conn.can('write')) {
      // Nothing new (a reader's sync step 2 carries its whole delete set): nothing to refuse.
      if (isKnownTo(this.doc, checked.value)) return;
      // Read-only: refused, not applied, relayed or stored. The connection stays open for
      // reading; the stock client logs the reason.
      conn.log.info(
        { connection: conn.id, documentId: this.documentId },
        'update refused: no write capability',
      );
      conn.send(encodePermissionDenied('read-only: this connection may not change the document'));
      return;
    }
    if (update.byteLength > dbLimits.MAX_UPDATE_BYTES) {
      conn.close(
        CLOSE.MESSAGE_TOO_LARGE,
        `update of ${update.byteLength} bytes; the limit is ${dbLimits.MAX_UPDATE_BYTES}`,
      );
      return;
    }
    if (!this.fits(update.byteLength)) {
      conn.close(
        CLOSE.DOCUMENT_TOO_LARGE,
        `the document would exceed ${this.options.limits.maxDocumentBytes} bytes`,
      );
      return;
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
      return;
    }
    this.applying = null;
    const changed =
      this.appliedChange ||
      (store.pendingStructs?.update ?? null) !== pendingBefore ||
      store.pendingDs !== pendingDsBefore;
    if (!changed) {
      conn.trackWrite(this.settled().then(() => this.storedSeq));
      return;
    }

    this.sizeBound += update.byteLength;
    // Relay the client's own bytes: a sync update frame as received, a step 2 re-framed.
    const out = frame ?? encodeSyncUpdate(update);
    for (const other of this.connections) if (other !== conn && other.isReady) other.send(out);

    // A copy, so the stored entry does not pin the socket's receive buffer.
    const write = this.options.persistence
      .save(this.documentId, update.slice(), conn.userId)
      .then((result) => {
        if (result.ok) {
          this.storedSeq = Math.max(this.storedSeq, result.value);
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
    conn.trackWrite(write);
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
    applyAwarenessUpdate(this.awareness, update, conn);
  }

  private sendAllAwareness(conn: Connection): void {
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0)
      conn.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, clients)));
  }

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
    const changed = [...change.added, ...change.updated, ...change.removed];
    if (changed.length === 0) return;
    const frame = encodeAwareness(encodeAwarenessUpdate(this.awareness, changed));
    for (const conn of this.connections) if (conn !== from && conn.isReady) conn.send(frame);
  };

  /** Unloads once no client is connected and every accepted update is stored. */
  private unloadWhenIdle(): void {
    if (this.state !== 'ready' || this.connections.size > 0 || this.writes.size > 0) return;
    this.log.debug({ documentId: this.documentId, seq: this.storedSeq }, 'document unloaded');
    this.close();
  }

  private close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.options.onClosed(this);
  }
}
