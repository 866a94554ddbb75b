/**
 * The truthful saved state of one document, driven only by the sync server's durable
 * acknowledgement (SAVED, message 100, asked for with ?ack=1), never by a timer.
 *
 * Every local change (a transaction whose origin is not the network or IndexedDB) raises a local
 * counter. Each update message sent on a connection (sync step 2 or update) is marked with the
 * counter's value when it left; SAVED(count) says the first `count` of this connection's update
 * messages are stored, so every change up to the mark of message `count` is saved. On reconnect
 * the sync step 2 carries everything the server lacks, so its acknowledgement settles all
 * earlier changes, including those restored from a previous page (the number still waiting is
 * kept in localStorage, so "Offline: N changes waiting" survives a reload).
 */
import * as decoding from 'lib0/decoding';

export const MESSAGE_SYNC = 0;
/** The sync server's SAVED message (apps/sync-server/src/protocol.ts, MESSAGE_SAVED). */
export const MESSAGE_SAVED = 100;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'saving'; pending: number }
  | { kind: 'offline'; pending: number }
  | { kind: 'connecting'; pending: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'read-only'; reason: string };

export type Connection = 'connecting' | 'online' | 'offline';

/** Whether a frame the client sends is an update message the server acknowledges. */
export function isUpdateFrame(frame: Uint8Array): boolean {
  if (frame.length < 2) return false;
  try {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC) return false;
    const sub = decoding.readVarUint(d);
    return sub === SYNC_STEP2 || sub === SYNC_UPDATE;
  } catch {
    return false;
  }
}

/** A small key-value store (localStorage in the browser; a Map in tests). */
export interface PendingStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function browserPendingStore(): PendingStore | null {
  try {
    const ls = globalThis.localStorage;
    return {
      get: (k) => ls.getItem(k),
      set: (k, v) => ls.setItem(k, v),
      remove: (k) => ls.removeItem(k),
    };
  } catch {
    return null;
  }
}

export class SaveTracker {
  connection: Connection = $state('connecting');
  /** Local changes not yet acknowledged as stored. */
  pending = $state(0);
  failure: string | null = $state(null);
  readOnly: string | null = $state(null);

  status: SaveStatus = $derived.by(() => {
    if (this.failure !== null) return { kind: 'failed', reason: this.failure };
    if (this.readOnly !== null) return { kind: 'read-only', reason: this.readOnly };
    if (this.connection === 'offline') return { kind: 'offline', pending: this.pending };
    if (this.connection === 'connecting') return { kind: 'connecting', pending: this.pending };
    return this.pending > 0 ? { kind: 'saving', pending: this.pending } : { kind: 'saved' };
  });

  private localSeq: number;
  private confirmedSeq = 0;
  private marks: number[] = [];
  private counting = false;
  private readonly key: string;

  constructor(
    documentId: string,
    private readonly store: PendingStore | null = browserPendingStore(),
  ) {
    this.key = `concord:pending:${documentId}`;
    const restored = Number(store?.get(this.key) ?? 0);
    this.localSeq = Number.isSafeInteger(restored) && restored > 0 ? restored : 0;
    this.pending = this.localSeq;
  }

  /** A local change was made. */
  localChange(): void {
    this.localSeq++;
    this.update();
  }

  /** A connection opened; `canWrite` is whether its ticket grants write (else nothing is acked). */
  opened(canWrite: boolean): void {
    this.marks = [];
    this.counting = canWrite;
    this.connection = 'online';
  }

  closed(offline: boolean): void {
    this.marks = [];
    this.connection = offline ? 'offline' : 'connecting';
  }

  frameSent(frame: Uint8Array): void {
    if (this.counting && isUpdateFrame(frame)) this.marks.push(this.localSeq);
  }

  /** SAVED(seq, count) arrived on the current connection. */
  saved(count: number): void {
    const mark = this.marks[count - 1];
    if (mark !== undefined && mark > this.confirmedSeq) {
      this.confirmedSeq = mark;
      this.update();
    }
  }

  /** The server refused a change (permission denied): it will never be saved. */
  refused(reason: string): void {
    this.failure = reason;
  }

  private update(): void {
    const pending = this.localSeq - this.confirmedSeq;
    this.pending = pending;
    if (pending > 0) this.store?.set(this.key, String(pending));
    else this.store?.remove(this.key);
  }
}

/** The saved state in words, for the header's status region. */
export function describeSaveStatus(status: SaveStatus): string {
  const changes = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`;
  switch (status.kind) {
    case 'saved':
      return 'Saved';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return status.pending > 0
        ? `Offline: ${changes(status.pending)} waiting`
        : 'Offline: all changes saved';
    case 'connecting':
      return status.pending > 0 ? `Connecting: ${changes(status.pending)} waiting` : 'Connecting…';
    case 'failed':
      return `Can't save: ${status.reason}`;
    case 'read-only':
      return status.reason;
  }
}

/** One saved state for several documents on a page (the instrument and my ratings): the worst. */
export function combineSaveStatus(statuses: readonly SaveStatus[]): SaveStatus {
  const failed = statuses.find((s) => s.kind === 'failed');
  if (failed) return failed;
  const writable = statuses.filter((s) => s.kind !== 'read-only');
  if (writable.length === 0) return statuses[0] ?? { kind: 'saved' };
  const pending = writable.reduce((n, s) => n + ('pending' in s ? s.pending : 0), 0);
  if (writable.some((s) => s.kind === 'offline')) return { kind: 'offline', pending };
  if (writable.some((s) => s.kind === 'connecting')) return { kind: 'connecting', pending };
  if (pending > 0) return { kind: 'saving', pending };
  return { kind: 'saved' };
}
