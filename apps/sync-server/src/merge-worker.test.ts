import { squashUpdates } from '@concord/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { MergeWorker } from './merge-worker.js';

/** `n` one-character edits of a Y.Text, each its own update (every 10th a delete). */
function typed(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < n; i++) {
    if (i % 10 === 9) text.delete(text.length - 1, 1);
    else text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  return updates;
}

const workers: MergeWorker[] = [];
const make = (idleMs?: number) => {
  const w = new MergeWorker(idleMs);
  workers.push(w);
  return w;
};
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
});

describe('MergeWorker', () => {
  it('folds exactly as squashUpdates does (what the store folds with in-thread)', async () => {
    const updates = typed(500);
    const merged = await make().merge(updates);
    expect(merged).toEqual(squashUpdates(updates));
    expect(merged.byteLength).toBeLessThan(Y.mergeUpdates(updates).byteLength);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, merged);
    const expected = new Y.Doc();
    for (const u of updates) Y.applyUpdate(expected, u);
    expect(doc.getText('t').toString()).toBe(expected.getText('t').toString());
  });

  it('leaves the event loop free while it merges', async () => {
    const updates = typed(5_000);
    const worker = make();
    await worker.merge(typed(10)); // the thread is up, yjs loaded
    let turns = 0;
    let turning = true;
    const spin = () => {
      turns++;
      if (turning) setImmediate(spin);
    };
    setImmediate(spin);
    await worker.merge(updates);
    turning = false;
    // In this thread, the merge would run to its end before any setImmediate callback.
    expect(turns).toBeGreaterThan(1);
    expect(worker.merges).toBe(2);
  });

  it('reports bad input as an error and goes on working', async () => {
    const worker = make();
    const garbage = [Uint8Array.of(255, 255, 255), Uint8Array.of(1, 2, 3)];
    await expect(worker.merge(garbage)).rejects.toThrow(/merging updates failed/);
    const updates = typed(20);
    expect(await worker.merge(updates)).toEqual(squashUpdates(updates));
  });

  it('stops its thread when idle and starts one again when needed', async () => {
    const worker = make(50);
    expect(worker.running).toBe(false);
    expect(worker.heapBytes).toBe(0);
    await worker.merge(typed(20));
    expect(worker.running).toBe(true);
    // Its own heap, reported with the reply (a V8 heap is at least a few hundred KB).
    expect(worker.heapBytes).toBeGreaterThan(256 * 1024);
    // Idle for 50 ms, it stops (waited for, not slept on).
    await vi.waitFor(() => expect(worker.running).toBe(false), { timeout: 20_000 });
    expect(worker.heapBytes).toBe(0);
    const updates = typed(30);
    expect(await worker.merge(updates)).toEqual(squashUpdates(updates));
  });

  it('fails merges in flight when closed, and refuses new ones', async () => {
    const worker = make();
    const inFlight = worker.merge(typed(5_000)).catch((e: unknown) => e);
    await worker.close();
    expect(await inFlight).toBeInstanceOf(Error);
    expect(String(await inFlight)).toMatch(/stopped/);
    await expect(worker.merge(typed(2))).rejects.toThrow(/closed/);
  });
});
