/**
 * Folds Yjs updates into one checkpoint (as squashUpdates of @concord/db does: applied to a
 * Y.Doc and encoded from it) on a worker thread, for compaction: folding a
 * document's hundreds of stored updates into its checkpoint costs tens to hundreds of ms of CPU
 * (10-23 ms for each fold of 500 one-character updates into a 20,000-edit text; 150 ms for 2,000
 * small updates with Y.mergeUpdates before), which on the event loop would stall
 * every connection of the process. The worker starts on first use and stops after
 * MERGE_WORKER_IDLE_MS without work, so a quiet server holds no second V8 heap. If it dies, the
 * merges in flight fail (the compaction is rolled back and tried again later) and the next merge
 * starts a new one.
 *
 * The worker is plain CommonJS evaluated from a string, requiring yjs by the path resolved here:
 * it then runs the same from the TypeScript sources (tests, dev) and from dist/.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MERGE_WORKER_IDLE_MS } from './limits.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
// Each reply says how big this thread's own V8 heap is: the process's heap metrics see only the
// main thread's.
const heap = () => process.memoryUsage().heapTotal;
parentPort.on('message', ({ id, updates }) => {
  try {
    // squashUpdates of @concord/db (merge.ts says why), repeated here: this thread loads only yjs.
    const doc = new Y.Doc({ gc: false });
    Y.transact(doc, () => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    const merged = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, merged, heap: heap() });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error), heap: heap() });
  }
});
`;

interface Pending {
  resolve(merged: Uint8Array): void;
  reject(error: Error): void;
}

type Reply = { id: number; heap: number } & ({ merged: Uint8Array } | { error: string });

export class MergeWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Merges done on the worker (metrics, tests). */
  merges = 0;
  /** The worker thread's V8 heap (total) after its last merge; 0 while no worker runs. */
  heapBytes = 0;
  private readonly yjsPath = createRequire(import.meta.url).resolve('yjs');

  constructor(private readonly idleMs: number = MERGE_WORKER_IDLE_MS) {}

  /** Whether a worker thread is running now. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** squashUpdates(updates) of @concord/db, computed on the worker thread. */
  readonly merge = (updates: Uint8Array[]): Promise<Uint8Array> => {
    if (this.closed) return Promise.reject(new Error('the merge worker is closed'));
    const worker = this.start();
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, updates });
    });
  };

  /** Stops the worker; merges in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    this.heapBytes = 0;
    this.failPending(new Error('the merge worker was stopped'));
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs: this.yjsPath } });
    // Compaction is background work: the worker never keeps the process alive by itself.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      this.heapBytes = reply.heap;
      if ('error' in reply) pending.reject(new Error(`merging updates failed: ${reply.error}`));
      else {
        this.merges++;
        pending.resolve(reply.merged);
      }
      if (this.pending.size === 0) this.scheduleIdleStop(worker);
    });
    const gone = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.heapBytes = 0;
      this.failPending(error);
    };
    worker.on('error', (error) => gone(error));
    worker.on('exit', (code) => gone(new Error(`the merge worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private scheduleIdleStop(worker: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = null;
      this.heapBytes = 0;
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private failPending(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}
