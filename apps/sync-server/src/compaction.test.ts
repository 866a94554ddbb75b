import type { CompactResult } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { Compactor } from './compaction.js';

const warnings: unknown[] = [];
const log = {
  info() {},
  debug() {},
  error() {},
  warn: (...args: unknown[]) => void warnings.push(args),
} as unknown as FastifyBaseLogger;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose compact takes `ms`, records calls, and fails while `failing` is set. */
function fakeStore(ms = 5) {
  const calls: { documentId: string; upTo: number | undefined }[] = [];
  let active = 0;
  const state = { failing: false, maxActive: 0, calls };
  return Object.assign(state, {
    async compact(documentId: string, options?: { upTo?: number }): Promise<CompactResult> {
      calls.push({ documentId, upTo: options?.upTo });
      active++;
      state.maxActive = Math.max(state.maxActive, active);
      await sleep(ms);
      active--;
      if (state.failing) throw new Error('connection terminated');
      return { merged: options?.upTo ?? 0, checkpointSeq: options?.upTo ?? 0 };
    },
  });
}

/** Waiting for something the compactor does in the background: a budget for a busy machine. */
const eventually = { timeout: 20_000 };

describe('Compactor', () => {
  it('compacts a document once enough updates are stored and it has gone quiet', async () => {
    // "Quiet" and "busy" are on a fake clock, so they are what the test says they are, however
    // slow the machine (with real timers a stalled moment between two updates looks quiet).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const store = fakeStore();
      const c = new Compactor({ store, log, afterUpdates: 10, idleMs: 200 });
      for (let seq = 1; seq <= 9; seq++) c.noteStored('d1', seq);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(store.calls).toEqual([]); // not due yet
      for (let seq = 10; seq <= 14; seq++) {
        c.noteStored('d1', seq);
        await vi.advanceTimersByTimeAsync(150); // busy: each update moves the idle timer on
      }
      expect(store.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(50); // quiet for idleMs since the last update
      await vi.waitFor(() => expect(store.calls).toEqual([{ documentId: 'd1', upTo: 14 }]));
      await vi.waitFor(() => expect(c.backlog).toBe(0)); // done: its checkpoint is known
      // The checkpoint is known now: 5 more updates are not enough.
      for (let seq = 15; seq <= 19; seq++) c.noteStored('d1', seq);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(store.calls).toHaveLength(1);
      await c.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs one compaction at a time, at once when a room unloads', async () => {
    const store = fakeStore(20);
    const c = new Compactor({ store, log, afterUpdates: 5, idleMs: 60_000 });
    for (const id of ['a', 'b', 'c']) {
      c.noteStored(id, 7);
      c.noteUnloaded(id);
    }
    await vi.waitFor(() => expect(store.calls).toHaveLength(3), eventually);
    expect(store.calls.map((x) => x.documentId)).toEqual(['a', 'b', 'c']);
    expect(store.maxActive).toBe(1);
    await vi.waitFor(() => expect(c.backlog).toBe(0), eventually);
    await c.close();
  });

  it('logs a failure and tries again later', async () => {
    const store = fakeStore();
    store.failing = true;
    const c = new Compactor({ store, log, afterUpdates: 5, idleMs: 5, retryMs: 300 });
    warnings.length = 0;
    c.noteStored('d', 6);
    await vi.waitFor(() => expect(warnings).toHaveLength(1), eventually);
    expect(store.calls).toHaveLength(1);
    store.failing = false;
    await vi.waitFor(() => expect(store.calls).toHaveLength(2), eventually);
    await vi.waitFor(() => expect(c.backlog).toBe(0), eventually);
    expect(c.backlog).toBe(0);
    await c.close();
  });
});
