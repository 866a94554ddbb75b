/**
 * Storing updates: every accepted client update goes to the store through the one process-wide
 * GroupCommitter (one COMMIT for everything that arrived meanwhile, across all documents), and
 * the caller learns its seq only once that COMMIT is done; that is what a "saved"
 * acknowledgement promises.
 *
 * A failed append is retried until it is stored, because the update is already in the room's
 * document and relayed: dropping it would lose an edit clients believe in. Retrying is safe
 * (appends are idempotent: the same bytes get the same seq). The group committer fails a whole
 * batch when one entry is bad, so an entry also retries when the fault was a batch-mate's:
 * - DocumentNotFoundError naming another document: retried at once;
 * - DocumentNotFoundError naming ours: permanent (the document was deleted);
 * - InvalidInputError: retried once without the author (the one input we cannot check before:
 *   a user deleted since the ticket was issued), then permanent;
 * - StoreClosedError, or close() called: given up (shutdown; the update was not acknowledged,
 *   so its client still holds it and sends it again after reconnecting);
 * - anything else (database down or slow, overloaded): the database is treated as unreachable.
 *
 * Database outage (TARGETS R7): the first such failure starts an outage. From then on, updates
 * are queued in the order they were accepted (failed ones go back in their place) instead of
 * being sent; one probe (the oldest update) is retried with exponential backoff, and once it is
 * stored the queue is written in order, in chunks, and the outage ends when it is empty. Editing
 * goes on from memory meanwhile; nothing is acknowledged before it is stored. The number and
 * bytes of unstored updates are bounded (maxPendingWrites, maxPendingWriteBytes): rooms ask
 * hasRoomFor() before applying a client's update, and refuse it beyond the bound.
 */
import {
  DocumentNotFoundError,
  InvalidInputError,
  StoreClosedError,
  type GroupCommitter,
} from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import {
  APPEND_RETRY_FIRST_MS,
  APPEND_RETRY_MAX_MS,
  DEFAULT_LIMITS,
  RECOVERY_CHUNK,
  type Limits,
} from './limits.js';
import type { SyncMetrics } from './metrics.js';
import { err, ok, type Result } from './result.js';

export type SaveFailure = 'document-not-found' | 'invalid' | 'closed';

export interface PersistenceOptions {
  committer: Pick<GroupCommitter, 'append'>;
  log: FastifyBaseLogger;
  limits?: Pick<Limits, 'maxPendingWrites' | 'maxPendingWriteBytes'>;
  metrics?: Pick<SyncMetrics, 'persisted' | 'persistFailed'>;
  retryFirstMs?: number;
  retryMaxMs?: number;
}

interface Entry {
  /** Acceptance order: the queue is kept sorted by it. */
  order: number;
  documentId: string;
  update: Uint8Array;
  author: string | null;
  started: number;
  done: (result: Result<number, SaveFailure>) => void;
}

/** What one attempt did with an entry. */
type Attempt = 'finished' | 'queued';

export class Persistence {
  private unstored = 0;
  private unstoredBytes = 0;
  private nextOrder = 0;
  /** Entries waiting for the database, in acceptance order (only during an outage). */
  private readonly queue: Entry[] = [];
  /** When the current outage began (Date.now()), or null while the database answers. */
  private outageSince: number | null = null;
  private recovering = false;
  private idle: (() => void)[] = [];
  private closed = false;
  private readonly wakeups = new Set<() => void>();
  private readonly committer: Pick<GroupCommitter, 'append'>;
  private readonly log: FastifyBaseLogger;
  private readonly metrics: PersistenceOptions['metrics'];
  private readonly maxPending: number;
  private readonly maxPendingBytes: number;
  private readonly retryFirstMs: number;
  private readonly retryMaxMs: number;

  constructor(options: PersistenceOptions) {
    this.committer = options.committer;
    this.log = options.log;
    this.metrics = options.metrics;
    this.maxPending = options.limits?.maxPendingWrites ?? DEFAULT_LIMITS.maxPendingWrites;
    this.maxPendingBytes =
      options.limits?.maxPendingWriteBytes ?? DEFAULT_LIMITS.maxPendingWriteBytes;
    this.retryFirstMs = options.retryFirstMs ?? APPEND_RETRY_FIRST_MS;
    this.retryMaxMs = options.retryMaxMs ?? APPEND_RETRY_MAX_MS;
  }

  /** Updates accepted but not yet stored (in a transaction, or queued during an outage). */
  get pending(): number {
    return this.unstored;
  }

  get pendingBytes(): number {
    return this.unstoredBytes;
  }

  /** Updates queued because the database is unreachable. */
  get queued(): number {
    return this.queue.length;
  }

  /** True from the first failed append of an outage until everything queued is stored. */
  get degraded(): boolean {
    return this.outageSince !== null;
  }

  /** When the current outage began, or null. */
  get degradedSince(): Date | null {
    return this.outageSince === null ? null : new Date(this.outageSince);
  }

  /** Whether one more update of `bytes` stays within the bound of unstored updates. */
  hasRoomFor(bytes: number): boolean {
    return this.unstored < this.maxPending && this.unstoredBytes + bytes <= this.maxPendingBytes;
  }

  /** Stores one update; resolves with its seq once committed, or with why it never will be. */
  save(
    documentId: string,
    update: Uint8Array,
    author: string | null,
  ): Promise<Result<number, SaveFailure>> {
    if (this.closed) return Promise.resolve(err('closed'));
    this.unstored++;
    this.unstoredBytes += update.byteLength;
    return new Promise<Result<number, SaveFailure>>((resolve) => {
      const entry: Entry = {
        order: this.nextOrder++,
        documentId,
        update,
        author,
        started: performance.now(),
        done: (result) => {
          this.unstored--;
          this.unstoredBytes -= update.byteLength;
          if (result.ok) this.metrics?.persisted((performance.now() - entry.started) / 1000);
          resolve(result);
          if (this.unstored === 0) for (const wake of this.idle.splice(0)) wake();
        },
      };
      // During an outage nothing overtakes what is queued.
      if (this.outageSince !== null) this.enqueue(entry);
      else void this.attempt(entry);
    });
  }

  /** Resolves when nothing is unstored (everything saved so far is stored or given up). */
  settled(): Promise<void> {
    if (this.unstored === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops retrying: queued saves and those waiting to retry resolve with 'closed'. */
  close(): void {
    this.closed = true;
    for (const entry of this.queue.splice(0)) entry.done(err('closed'));
    for (const wake of this.wakeups) wake();
  }

  /** One append of `entry`, with the immediate retries; a database fault queues it. */
  private async attempt(entry: Entry): Promise<Attempt> {
    for (;;) {
      if (this.closed) {
        entry.done(err('closed'));
        return 'finished';
      }
      try {
        const { documentId, update, author } = entry;
        const result = await this.committer.append({ documentId, update, author });
        entry.done(ok(result.seq));
        return 'finished';
      } catch (error) {
        if (error instanceof DocumentNotFoundError) {
          if (error.documentIds.includes(entry.documentId)) {
            entry.done(err('document-not-found'));
            return 'finished';
          }
          continue; // a batch-mate's document: ours is fine
        }
        if (error instanceof InvalidInputError) {
          if (entry.author !== null) {
            this.log.warn(
              { documentId: entry.documentId, author: entry.author, problems: error.problems },
              'update refused; retrying without its author',
            );
            entry.author = null;
            continue;
          }
          this.log.error(
            { documentId: entry.documentId, problems: error.problems },
            'update refused by the store',
          );
          entry.done(err('invalid'));
          return 'finished';
        }
        if (error instanceof StoreClosedError) {
          entry.done(err('closed'));
          return 'finished';
        }
        this.metrics?.persistFailed();
        this.enqueue(entry);
        this.startOutage(error);
        return 'queued';
      }
    }
  }

  /** Puts `entry` in the queue in acceptance order (a failed entry usually belongs last or
   * near the end, so this scans from the back). */
  private enqueue(entry: Entry): void {
    if (this.closed) {
      entry.done(err('closed'));
      return;
    }
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.order > entry.order) i--;
    this.queue.splice(i, 0, entry);
  }

  private startOutage(error: unknown): void {
    if (this.outageSince === null) {
      this.outageSince = Date.now();
      this.log.warn(
        { err: error, pending: this.unstored },
        'database unreachable: queueing updates (editing goes on; nothing is acknowledged until stored)',
      );
    }
    if (!this.recovering) void this.recover();
  }

  /** Probes with the oldest update, with backoff, until it is stored; then writes the queue in
   * order; ends the outage when the queue is empty. */
  private async recover(): Promise<void> {
    this.recovering = true;
    let delay = this.retryFirstMs;
    let probes = 0;
    try {
      while (!this.closed && this.queue.length > 0) {
        await this.sleep(delay);
        if (this.closed) break;
        const head = this.queue.shift();
        if (!head) break;
        probes++;
        if ((await this.attempt(head)) === 'queued') {
          if (probes % 10 === 0) {
            this.log.warn(
              { queued: this.queue.length, probes, retryInMs: delay },
              'database still unreachable',
            );
          }
          delay = Math.min(delay * 2, this.retryMaxMs);
          continue;
        }
        // The database answers: write the queue, oldest first.
        let failed = false;
        while (!this.closed && !failed && this.queue.length > 0) {
          const chunk = this.queue.splice(0, RECOVERY_CHUNK);
          const results = await Promise.all(chunk.map((e) => this.attempt(e)));
          failed = results.includes('queued');
        }
        delay = failed ? Math.min(delay * 2, this.retryMaxMs) : this.retryFirstMs;
      }
    } finally {
      this.recovering = false;
    }
    if (this.closed || this.outageSince === null) return;
    this.log.info(
      { outageMs: Date.now() - this.outageSince, probes },
      'database reachable again: queued updates stored',
    );
    this.outageSince = null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }
}
