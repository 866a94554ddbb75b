/**
 * Background compaction: keeps each document's stored rows bounded (TARGETS P3) by calling
 * `store.compact` once COMPACT_AFTER_UPDATES updates have been stored since the document's last
 * checkpoint. The store never compacts by itself; this is the sync server's policy:
 *
 * - a due document is compacted when it has been quiet for COMPACT_IDLE_MS, at once when its room
 *   unloads, and at the latest COMPACT_MAX_WAIT_MS after it became due (a room that never pauses
 *   still gets compacted);
 * - one compaction at a time per process, off the message path (rooms only call note*(), which
 *   is a map update and a timer), its folding of updates on a worker thread (`merge`,
 *   merge-worker.ts) so the event loop only waits on it;
 * - a failure is logged and the document tried again after COMPACT_RETRY_MS;
 * - the checkpoint seq of a document this process has not compacted is not known: it is taken
 *   as 0, so the first compaction of such a document after a restart may find little to fold
 *   (the store answers that cheaply).
 */
import { DocumentNotFoundError, limits as dbLimits, type DocumentStore } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import { COMPACT_IDLE_MS, COMPACT_MAX_WAIT_MS, COMPACT_RETRY_MS } from './limits.js';
import type { SyncMetrics } from './metrics.js';

export interface CompactorOptions {
  store: Pick<DocumentStore, 'compact'>;
  log: FastifyBaseLogger;
  metrics?: Pick<SyncMetrics, 'compacted'>;
  /** Where updates are folded (app.ts: a MergeWorker); default the store's own, in-thread. */
  merge?: (updates: Uint8Array[]) => Promise<Uint8Array>;
  /** Updates since the checkpoint that make a document due (default COMPACT_AFTER_UPDATES). */
  afterUpdates?: number;
  idleMs?: number;
  maxWaitMs?: number;
  retryMs?: number;
}

interface DocState {
  /** Highest seq known to be stored. */
  seq: number;
  /** Seq of the newest checkpoint this process knows of (0: unknown). */
  checkpointSeq: number;
  /** When the document became due (performance.now()), or null. */
  dueSince: number | null;
  timer: NodeJS.Timeout | null;
  /** Its room is closed: forget the document once it is compacted or not due. */
  unloaded: boolean;
}

export class Compactor {
  private readonly docs = new Map<string, DocState>();
  /** Documents ready to compact, in order. */
  private readonly ready = new Set<string>();
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly afterUpdates: number;
  private readonly idleMs: number;
  private readonly maxWaitMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: CompactorOptions) {
    this.afterUpdates = options.afterUpdates ?? dbLimits.COMPACT_AFTER_UPDATES;
    this.idleMs = options.idleMs ?? COMPACT_IDLE_MS;
    this.maxWaitMs = options.maxWaitMs ?? COMPACT_MAX_WAIT_MS;
    this.retryMs = options.retryMs ?? COMPACT_RETRY_MS;
  }

  /** Compactions waiting or running (tests, diagnostics). */
  get backlog(): number {
    return this.ready.size + (this.running ? 1 : 0);
  }

  /** The document is stored up to `seq` (after a load or a COMMIT). */
  noteStored(documentId: string, seq: number): void {
    if (this.closed) return;
    let doc = this.docs.get(documentId);
    if (!doc) {
      doc = { seq: 0, checkpointSeq: 0, dueSince: null, timer: null, unloaded: false };
      this.docs.set(documentId, doc);
    }
    doc.unloaded = false;
    doc.seq = Math.max(doc.seq, seq);
    if (doc.seq - doc.checkpointSeq < this.afterUpdates) return;
    const now = performance.now();
    doc.dueSince ??= now;
    // Debounce: wait for a quiet moment, but no longer than maxWait since it became due.
    const wait = Math.max(0, Math.min(this.idleMs, doc.dueSince + this.maxWaitMs - now));
    if (doc.timer) clearTimeout(doc.timer);
    doc.timer = setTimeout(() => this.markReady(documentId), wait);
    doc.timer.unref();
  }

  /** The document's room closed: compact now if due, and forget it afterwards. */
  noteUnloaded(documentId: string): void {
    const doc = this.docs.get(documentId);
    if (!doc) return;
    doc.unloaded = true;
    if (doc.dueSince !== null) this.markReady(documentId);
    else if (!this.ready.has(documentId)) this.forget(documentId);
  }

  /** Stops scheduling and waits for a running compaction. */
  async close(): Promise<void> {
    this.closed = true;
    for (const doc of this.docs.values()) if (doc.timer) clearTimeout(doc.timer);
    this.ready.clear();
    await this.running;
  }

  private markReady(documentId: string): void {
    const doc = this.docs.get(documentId);
    if (!doc || this.closed) return;
    if (doc.timer) clearTimeout(doc.timer);
    doc.timer = null;
    this.ready.add(documentId);
    this.running ??= this.work().finally(() => {
      this.running = null;
    });
  }

  private async work(): Promise<void> {
    // Let the caller's turn finish first: compaction never runs inside message handling.
    await new Promise((resolve) => setImmediate(resolve));
    while (!this.closed) {
      const next = this.ready.values().next();
      if (next.done) return;
      const documentId = next.value;
      this.ready.delete(documentId);
      const doc = this.docs.get(documentId);
      if (!doc) continue;
      const upTo = doc.seq;
      const started = performance.now();
      try {
        const result = await this.options.store.compact(documentId, {
          upTo,
          merge: this.options.merge,
        });
        doc.checkpointSeq = Math.max(doc.checkpointSeq, result.checkpointSeq);
        this.options.metrics?.compacted('ok');
        this.options.log.info(
          {
            documentId,
            merged: result.merged,
            checkpointSeq: result.checkpointSeq,
            ms: Math.round(performance.now() - started),
          },
          'document compacted',
        );
        if (doc.seq - doc.checkpointSeq >= this.afterUpdates) {
          doc.dueSince = performance.now();
          this.ready.add(documentId); // more arrived meanwhile
        } else {
          doc.dueSince = null;
          if (doc.unloaded) this.forget(documentId);
        }
      } catch (error) {
        this.options.metrics?.compacted('failed');
        if (error instanceof DocumentNotFoundError) {
          this.forget(documentId); // deleted meanwhile: nothing left to compact
          continue;
        }
        this.options.log.warn(
          { err: error, documentId, retryInMs: this.retryMs },
          'compaction failed; trying again later',
        );
        if (doc.timer) clearTimeout(doc.timer);
        doc.timer = setTimeout(() => this.markReady(documentId), this.retryMs);
        doc.timer.unref();
      }
    }
  }

  private forget(documentId: string): void {
    const doc = this.docs.get(documentId);
    if (doc?.timer) clearTimeout(doc.timer);
    this.docs.delete(documentId);
  }
}
