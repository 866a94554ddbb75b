/**
 * Group commit in front of a DocumentStore. Callers append one update each and await it; every
 * update that arrives while a transaction is in flight goes into the next transaction, together.
 * One COMMIT (one fsync) then serves a whole batch, which is how a database that does a few
 * hundred commits a second stores thousands of updates a second.
 *
 * Guarantees:
 * - a caller's promise resolves only after the COMMIT that stored its update, so "saved" means
 *   durable;
 * - one transaction at a time, in arrival order; at most `maxBatch` updates per transaction;
 * - if a transaction fails, every caller in that batch gets the error and nothing of the batch
 *   was written (the store's append is all-or-nothing), so retrying is safe: appends are
 *   idempotent;
 * - bad input is rejected at once, for that caller alone, before it can spoil a batch.
 */
import { InvalidInputError, StoreClosedError, StoreOverloadedError } from './errors.js';
import {
  GROUP_COMMIT_MAX_BATCH,
  GROUP_COMMIT_MAX_DELAY_MS,
  GROUP_COMMIT_MAX_PENDING,
  MAX_APPEND_BATCH,
} from './limits.js';
import {
  parseEntry,
  type AppendEntry,
  type AppendResult,
  type DocumentStore,
  type ValidEntry,
} from './store.js';

export interface GroupCommitOptions {
  /** Most updates per transaction (default GROUP_COMMIT_MAX_BATCH). */
  maxBatch?: number;
  /** Wait up to this long for company before starting a transaction when none is in flight
   * (default GROUP_COMMIT_MAX_DELAY_MS = 0: start on the next microtask). */
  maxDelayMs?: number;
  /** Most updates waiting; beyond it append fails with StoreOverloadedError. */
  maxPending?: number;
}

export interface GroupCommitStats {
  transactions: number;
  updates: number;
  failedTransactions: number;
  largestBatch: number;
}

interface Waiting {
  entry: AppendEntry;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxPending: number;
  private queue: Waiting[] = [];
  private running = false;
  private scheduled = false;
  private closed = false;
  private idle: (() => void)[] = [];
  readonly stats: GroupCommitStats = {
    transactions: 0,
    updates: 0,
    failedTransactions: 0,
    largestBatch: 0,
  };

  constructor(
    private readonly store: Pick<DocumentStore, 'append'>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? GROUP_COMMIT_MAX_BATCH;
    this.maxDelayMs = options.maxDelayMs ?? GROUP_COMMIT_MAX_DELAY_MS;
    this.maxPending = options.maxPending ?? GROUP_COMMIT_MAX_PENDING;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1 || this.maxBatch > MAX_APPEND_BATCH) {
      throw new InvalidInputError([
        `maxBatch: must be a whole number from 1 to ${MAX_APPEND_BATCH}`,
      ]);
    }
    if (!(this.maxDelayMs >= 0)) throw new InvalidInputError(['maxDelayMs: must be 0 or more']);
    if (!(this.maxPending >= 1)) throw new InvalidInputError(['maxPending: must be at least 1']);
  }

  /** Resolves with the update's seq once the transaction holding it has committed. */
  append(entry: AppendEntry): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    let valid: ValidEntry;
    try {
      valid = parseEntry(entry, 'entry');
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.queue.length >= this.maxPending) {
      return Promise.reject(new StoreOverloadedError(this.queue.length));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ entry: valid, resolve, reject });
      this.schedule();
    });
  }

  /** Updates waiting for a transaction (not counting the one in flight). */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when everything appended so far has been committed or has failed. */
  flush(): Promise<void> {
    if (!this.running && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops accepting updates and waits for those already accepted. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      void this.drain();
    };
    // Under load batches form while a transaction is in flight; when idle, a zero delay still
    // collects everything appended in the same tick.
    if (this.maxDelayMs > 0) setTimeout(start, this.maxDelayMs);
    else queueMicrotask(start);
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.store.append(batch.map((w) => w.entry));
        this.stats.transactions++;
        this.stats.updates += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
        batch.forEach((w, i) => w.resolve(results[i]!));
      } catch (error) {
        this.stats.failedTransactions++;
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}
