/**
 * The truthful saved state of one document, driven only by the sync server's durable
 * acknowledgement (SAVED, message 100, asked for with ?ack=1), never by a timer.
 *
 * Every local change (a transaction whose origin is not the network or IndexedDB) raises a local
 * counter and records the items it touched. Each update message sent on a connection (sync
 * step 2 or update) is marked with the counter's value when it left; SAVED(count) says the first
 * `count` of this connection's update messages are stored, so every change up to the mark of
 * message `count` is saved. On reconnect the sync step 2 carries everything the server lacks, so
 * its acknowledgement settles all earlier changes, including those restored from a previous page
 * (the items still waiting are kept in localStorage, so "Offline: edits to 2 items waiting"
 * survives a reload).
 *
 * What waits is counted in items (an indicator, a category, a goal, a thread), not in
 * transactions: two sentences typed offline are edits to one item, not 68 changes.
 */
import { MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE } from '@concord/sync-protocol';
import * as decoding from 'lib0/decoding';

/** `pending`: the items with changes not yet stored (their keys, see itemKeysOf). */
export type SaveStatus =
  | { kind: 'saved' }
  | { kind: 'saving'; pending: readonly string[] }
  | { kind: 'offline'; pending: readonly string[] }
  | { kind: 'connecting'; pending: readonly string[] }
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

/** Roots whose keys are a template's items, in whichever document (the instrument, my ratings). */
const ITEM_ROOTS = new Set(['items', 'ratings', 'notes']);

/**
 * The items a local transaction touched: `item:<id>` for an indicator or category (the same key
 * in the instrument and in my ratings, so a rating and its evidence are one item), else
 * `<root>/<key>` (a goal, a thread) or `<root>` (the vision).
 */
export function itemKeysOf(changed: ReadonlyMap<unknown, ReadonlySet<string | null>>): string[] {
  const keys: string[] = [];
  for (const [type, subs] of changed) {
    let t = type as { _item: { parent: unknown; parentSub: string | null } | null; doc?: unknown };
    let key: string | null = null;
    // Walk up to the root's child: its key is the item.
    while (t._item !== null) {
      key = t._item.parentSub;
      t = t._item.parent as typeof t;
    }
    const root = rootName(t);
    if (root === null) continue;
    const add = (k: string | null) => {
      keys.push(k === null ? root : ITEM_ROOTS.has(root) ? `item:${k}` : `${root}/${k}`);
    };
    if (key !== null || type !== t) add(key);
    else for (const sub of subs) add(sub);
  }
  return distinct(keys);
}

/** `keys` without repeats, in first-seen order (plain data: this state is replaced, not mutated). */
function distinct(keys: readonly string[]): string[] {
  return keys.filter((k, i) => keys.indexOf(k) === i);
}

function rootName(type: unknown): string | null {
  const doc = (type as { doc?: { share: Map<string, unknown> } | null }).doc;
  if (!doc) return null;
  for (const [name, value] of doc.share) if (value === type) return name;
  return null;
}

export class SaveTracker {
  connection: Connection = $state('connecting');
  /** Items with local changes not yet acknowledged as stored. */
  pending: readonly string[] = $state.raw([]);
  failure: string | null = $state(null);
  readOnly: string | null = $state(null);

  status: SaveStatus = $derived.by(() => {
    if (this.failure !== null) return { kind: 'failed', reason: this.failure };
    if (this.readOnly !== null) return { kind: 'read-only', reason: this.readOnly };
    if (this.connection === 'offline') return { kind: 'offline', pending: this.pending };
    if (this.connection === 'connecting') return { kind: 'connecting', pending: this.pending };
    return this.pending.length > 0 ? { kind: 'saving', pending: this.pending } : { kind: 'saved' };
  });

  private localSeq = 0;
  private confirmedSeq = 0;
  /** Unconfirmed local changes, oldest first: the counter's value and the items touched. */
  private changes: { seq: number; items: readonly string[] }[] = [];
  private marks: number[] = [];
  private counting = false;
  private readonly key: string;

  constructor(
    documentId: string,
    private readonly store: PendingStore | null = browserPendingStore(),
  ) {
    this.key = `concord:pending:${documentId}`;
    const restored = restoredItems(store?.get(this.key) ?? null);
    if (restored.length > 0) {
      this.localSeq = 1;
      this.changes = [{ seq: 1, items: restored }];
    }
    this.update();
  }

  /** A local change was made, touching `items` (none known: counted as one item of its own). */
  localChange(items: readonly string[] = []): void {
    this.localSeq++;
    this.changes.push({
      seq: this.localSeq,
      items: items.length > 0 ? items : [`change:${this.localSeq}`],
    });
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
      this.changes = this.changes.filter((c) => c.seq > mark);
      this.update();
    }
  }

  /** The server refused a change (permission denied): it will never be saved. */
  refused(reason: string): void {
    this.failure = reason;
  }

  private update(): void {
    const items = distinct(this.changes.flatMap((c) => c.items));
    this.pending = items;
    if (items.length > 0) this.store?.set(this.key, JSON.stringify(items));
    else this.store?.remove(this.key);
  }
}

/** The items stored by a previous page: a JSON list of keys (or, from before, a count). */
function restoredItems(raw: string | null): string[] {
  if (raw === null) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) {
      return parsed.filter((k): k is string => typeof k === 'string').slice(0, 10_000);
    }
    if (typeof parsed === 'number' && Number.isSafeInteger(parsed) && parsed > 0) {
      return Array.from({ length: Math.min(parsed, 10_000) }, (_, i) => `restored:${i}`);
    }
  } catch {
    // junk: nothing waiting
  }
  return [];
}

/** The saved state in words, for the header's status region. */
export function describeSaveStatus(status: SaveStatus): string {
  const edits = (n: number) => `edits to ${n} ${n === 1 ? 'item' : 'items'}`;
  switch (status.kind) {
    case 'saved':
      return 'Saved';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return status.pending.length > 0
        ? `Offline: ${edits(status.pending.length)} waiting`
        : 'Offline: all changes saved';
    case 'connecting':
      return status.pending.length > 0
        ? `Connecting: ${edits(status.pending.length)} waiting`
        : 'Connecting…';
    case 'failed':
      return `Can't save: ${status.reason}`;
    case 'read-only':
      return status.reason;
  }
}

/**
 * One saved state for several documents on a page (the instrument, my ratings, comments): the
 * worst, with the items waiting in any of them counted once. When the page's own document (the
 * first) is read-only and nothing else waits, it says so ("View only"), not "Saved".
 */
export function combineSaveStatus(statuses: readonly SaveStatus[]): SaveStatus {
  const failed = statuses.find((s) => s.kind === 'failed');
  if (failed) return failed;
  const writable = statuses.filter((s) => s.kind !== 'read-only');
  if (writable.length === 0) return statuses[0] ?? { kind: 'saved' };
  const pending = distinct(writable.flatMap((s) => ('pending' in s ? s.pending : [])));
  if (writable.some((s) => s.kind === 'offline')) return { kind: 'offline', pending };
  if (writable.some((s) => s.kind === 'connecting')) return { kind: 'connecting', pending };
  if (pending.length > 0) return { kind: 'saving', pending };
  return statuses[0]?.kind === 'read-only' ? statuses[0] : { kind: 'saved' };
}
