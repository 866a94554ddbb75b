/**
 * GroupCommitter against a scripted in-memory store: batching while a transaction is in flight,
 * the batch bound, all-or-nothing failure, per-caller rejection of bad input, backpressure and
 * close. (store.contract.ts runs it against the real databases.)
 */
import { describe, expect, it, vi } from 'vitest';
import { InvalidInputError, StoreClosedError, StoreOverloadedError } from './errors.js';
import { GroupCommitter } from './group-commit.js';
import { EMPTY_UPDATE } from './merge.js';
import type { AppendEntry, AppendResult, DocumentStore } from './store.js';

const DOC = '3f2b9c1e-0000-4000-8000-000000000001';

/** Records each batch; each append takes `delayMs`; `fail` makes the next transaction throw. */
class FakeStore implements Pick<DocumentStore, 'append'> {
  batches: number[] = [];
  fail: Error | undefined;
  committed = 0;
  /** Transactions begun (in flight or done). */
  started = 0;
  constructor(private readonly delayMs = 5) {}
  async append(batch: readonly AppendEntry[]): Promise<AppendResult[]> {
    this.started++;
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.batches.push(batch.length);
    if (this.fail) {
      const error = this.fail;
      this.fail = undefined;
      throw error;
    }
    return batch.map(() => ({ seq: ++this.committed, duplicate: false }));
  }
}

const entry = (): AppendEntry => ({ documentId: DOC, update: EMPTY_UPDATE });

describe('GroupCommitter', () => {
  it('puts everything that arrives while a transaction is in flight into the next one', async () => {
    const store = new FakeStore();
    const committer = new GroupCommitter(store);
    const first = committer.append(entry());
    // The first transaction begins on a microtask: wait for it (no clock involved), then the
    // rest arrive while it is in flight.
    while (store.started === 0) await Promise.resolve();
    const rest = Array.from({ length: 10 }, () => committer.append(entry()));
    const results = await Promise.all([first, ...rest]);
    expect(store.batches).toEqual([1, 10]);
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(committer.stats).toMatchObject({ transactions: 2, updates: 11, largestBatch: 10 });
  });

  it('collects appends made in the same tick into one transaction, bounded by maxBatch', async () => {
    const store = new FakeStore();
    const committer = new GroupCommitter(store, { maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, () => committer.append(entry())));
    expect(store.batches).toEqual([4, 4, 2]);
  });

  // These two are about time (a delay, a transaction that takes a while): on a fake clock, so
  // "5 ms later" and "before it commits" are what the test says, however busy the machine.
  it('waits up to maxDelayMs for company when idle', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const store = new FakeStore(0);
      const committer = new GroupCommitter(store, { maxDelayMs: 20 });
      const a = committer.append(entry());
      await vi.advanceTimersByTimeAsync(5);
      const b = committer.append(entry());
      await vi.advanceTimersByTimeAsync(20);
      await Promise.all([a, b]);
      expect(store.batches).toEqual([2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves a caller only after its transaction has committed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const store = new FakeStore(30);
      const committer = new GroupCommitter(store);
      let resolved = false;
      const p = committer.append(entry()).then(() => (resolved = true));
      await vi.advanceTimersByTimeAsync(29);
      expect(store.started).toBe(1);
      expect(resolved).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(store.batches).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails every caller of a failed transaction, then carries on', async () => {
    const store = new FakeStore();
    const committer = new GroupCommitter(store);
    store.fail = new Error('connection lost');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () => committer.append(entry())),
    );
    expect(outcomes.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual([
      'connection lost',
      'connection lost',
      'connection lost',
    ]);
    expect(await committer.append(entry())).toEqual({ seq: 1, duplicate: false });
    expect(committer.stats.failedTransactions).toBe(1);
  });

  it('rejects bad input for that caller alone, before it reaches a batch', async () => {
    const store = new FakeStore();
    const committer = new GroupCommitter(store);
    const good = committer.append(entry());
    const bad = committer.append({ documentId: 'nope', update: new Uint8Array() });
    await expect(bad).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad).rejects.toThrow(/entry\.documentId: must be a UUID/);
    await expect(good).resolves.toEqual({ seq: 1, duplicate: false });
    expect(store.batches).toEqual([1]);
  });

  it('refuses new work beyond maxPending, and after close', async () => {
    const store = new FakeStore(20);
    const committer = new GroupCommitter(store, { maxPending: 2 });
    const accepted = [committer.append(entry()), committer.append(entry())];
    await expect(committer.append(entry())).rejects.toBeInstanceOf(StoreOverloadedError);
    const closing = committer.close();
    await expect(committer.append(entry())).rejects.toBeInstanceOf(StoreClosedError);
    await closing;
    await expect(Promise.all(accepted)).resolves.toHaveLength(2);
  });

  it('checks its options', () => {
    const store = new FakeStore();
    expect(() => new GroupCommitter(store, { maxBatch: 0 })).toThrow(/maxBatch/);
    expect(() => new GroupCommitter(store, { maxBatch: 5000 })).toThrow(/maxBatch/);
    expect(() => new GroupCommitter(store, { maxDelayMs: -1 })).toThrow(/maxDelayMs/);
  });
});
