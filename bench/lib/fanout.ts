/**
 * The fan-out load both P1 (one busy room) and P2 (many quiet rooms) apply, and P5 across two
 * instances: connect every client (in batches, each waiting until its clients are ready), then
 * every client writes one entry into a shared `Y.Map` every `intervalMs` for `seconds`; the
 * entry's value is its send time, so each receiver computes receive − send itself. The map is the
 * baseline of a plan's metric (plan-content.ts: `<client>.<n>` -> a number is an entry a plan
 * allows), which every client's document holds before it connects (the setup's FANOUT_SEED). All clients
 * live in this one process, so both times come from the same clock (`performance.now()`).
 *
 * Clients are spread evenly over the interval (as real clients are, not in lock-step); a late
 * timer only delays the send, whose time is taken just before the write. Delivery is counted
 * per receiver: every update a client sends must reach each other client of its room.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { LatencyRecorder, type LatencySummary } from './latency.js';
import { fanoutMap } from './plan-content.js';
import { SMOKE } from './report.js';
import type { ServerProcess } from './server-process.js';
import type { BenchClient } from './sync-clients.js';

/** How long one batch of clients may take to become ready. */
const CONNECT_TIMEOUT_MS = 60_000;
/** After the last send, how long stragglers may take to arrive before they count as lost. A
 * smoke run (CI) fails unless every update arrives, so it waits as long as a busy machine may
 * need: that is a check of delivery, not of speed; a measurement keeps the 10 s it reports by. */
const DRAIN_TIMEOUT_MS = SMOKE ? 60_000 : 10_000;

export interface FanoutOptions {
  rooms: number;
  clientsPerRoom: number;
  /** Between two updates of one client. */
  intervalMs: number;
  seconds: number;
  /** Makes client `index` of room `room`. */
  connect(room: number, index: number): BenchClient;
  /** 'opened' for the floor: it keeps no document, so a lone client never gets `synced`. */
  readiness: 'synced' | 'opened';
  /** Clients connected at a time. */
  connectBatch: number;
  /** Quiet time after everyone is connected, before the first update. */
  settleMs: number;
  /** Sampled for memory (after connect, at the end) and CPU (over the measurement). */
  servers: ServerProcess[];
}

export interface FanoutResult {
  clients: number;
  sent: number;
  expected: number;
  delivered: number;
  latency: LatencySummary;
  /** Clients whose socket closed without being asked to, and the close codes seen. */
  droppedClients: number;
  dropCodes: number[];
  connectSeconds: number;
  /** Summed over `servers`, bytes. */
  rssAfterConnect: number;
  rssEnd: number;
  /** Server CPU during the measurement, in cores (1.0 = one core busy). */
  serverCores: number;
  /** This (client) process's CPU during the measurement, in cores. */
  clientCores: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const { rooms, clientsPerRoom, intervalMs, seconds } = options;
  const clients: { client: BenchClient; room: number; map: Y.Map<number> }[] = [];
  const total = rooms * clientsPerRoom;
  const rss = () => options.servers.reduce((sum, s) => sum + s.rssBytes(), 0);
  const cpu = () => options.servers.reduce((sum, s) => sum + s.cpuSeconds(), 0);

  try {
    // ---- connect ----
    const connectStart = performance.now();
    for (let first = 0; first < total; first += options.connectBatch) {
      const batch: BenchClient[] = [];
      for (let g = first; g < Math.min(total, first + options.connectBatch); g++) {
        const room = Math.floor(g / clientsPerRoom);
        const client = options.connect(room, g % clientsPerRoom);
        batch.push(client);
        clients.push({ client, room, map: fanoutMap(client.doc) });
      }
      await within(
        Promise.all(batch.map((c) => (options.readiness === 'synced' ? c.synced : c.opened))),
        CONNECT_TIMEOUT_MS,
        () =>
          `clients ${first}..${first + batch.length - 1} not ${options.readiness} (${batch.filter((c) => (options.readiness === 'synced' ? c.isSynced() : c.openedAt() !== null)).length} of ${batch.length} are; drops: ${batch.flatMap((c) => c.drops).join(', ') || 'none'})`,
      );
    }
    const connectSeconds = (performance.now() - connectStart) / 1000;
    await sleep(options.settleMs);
    const rssAfterConnect = rss();

    // ---- measure ----
    const start = performance.now() + 100;
    const end = start + seconds * 1000;
    const recorder = new LatencyRecorder(start);
    let delivered = 0;
    for (const { map } of clients) {
      map.observe((event, transaction) => {
        if (transaction.local) return;
        const now = performance.now();
        for (const key of event.keysChanged) {
          const sentAt = map.get(key);
          if (sentAt === undefined) continue;
          recorder.record(sentAt, now);
          delivered++;
        }
      });
    }
    let sent = 0;
    let expected = 0;
    const cpuStart = cpu();
    const clientCpuStart = process.cpuUsage();
    const senders = clients.map(({ map }, g) => {
      const phase = (g / total) * intervalMs;
      return (async () => {
        for (let k = 0; ; k++) {
          const due = start + phase + k * intervalMs;
          if (due >= end) return;
          await sleep(Math.max(0, due - performance.now()));
          map.set(`${g}.${k}`, performance.now());
          sent++;
          expected += clientsPerRoom - 1;
        }
      })();
    });
    await Promise.all(senders);
    const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (delivered < expected && performance.now() < drainDeadline) await sleep(20);
    const elapsed = (performance.now() - start) / 1000;
    const serverCores = (cpu() - cpuStart) / elapsed;
    const clientCpu = process.cpuUsage(clientCpuStart);
    const clientCores = (clientCpu.user + clientCpu.system) / 1e6 / elapsed;
    const rssEnd = rss();
    // BENCH_METRICS=1 (diagnosis): the servers' own memory figures at the end, where they have them.
    if (process.env.BENCH_METRICS === '1') {
      for (const server of options.servers) {
        console.log(`${server.kind} ${server.pid} memory map at the end: ${memoryMap(server.pid)}`);
        const text = await fetch(`http://127.0.0.1:${server.port}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
        const lines = text
          .split('\n')
          .filter((l) =>
            /^(nodejs_heap_size|nodejs_external|process_resident|nodejs_heap_space_size_used|concord_sync_merge_worker)/.test(
              l,
            ),
          );
        if (lines.length > 0)
          console.log(`${server.kind} ${server.pid} at the end:\n  ${lines.join('\n  ')}`);
        // With BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2: a heap snapshot in its cwd.
        if (process.env.BENCH_NODE_FLAGS?.includes('--heapsnapshot-signal=SIGUSR2')) {
          process.kill(server.pid, 'SIGUSR2');
          await sleep(8_000);
        }
      }
    }

    const dropped = clients.filter(({ client }) => client.drops.length > 0);
    return {
      clients: total,
      sent,
      expected,
      delivered,
      latency: recorder.summary(),
      droppedClients: dropped.length,
      dropCodes: [...new Set(dropped.flatMap(({ client }) => client.drops))],
      connectSeconds,
      rssAfterConnect,
      rssEnd,
      serverCores,
      clientCores,
    };
  } finally {
    for (const { client } of clients) client.destroy();
  }
}

/** BENCH_METRICS=1: where a process's resident memory is (/proc/<pid>/smaps), in MB: anonymous
 * memory by kind of mapping, and file-backed pages (the node binary, shared libraries). */
function memoryMap(pid: number): string {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return 'unavailable';
  }
  const sums = new Map<string, number>();
  let kind = '';
  for (const line of text.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const path = mapping[1] ?? '';
      kind =
        path === ''
          ? 'anon'
          : path.startsWith('[')
            ? path
            : path.endsWith('/node')
              ? 'node binary'
              : 'libraries';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sums.set(kind, (sums.get(kind) ?? 0) + Number(rss[1]));
  }
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .map(([k, kb]) => `${k} ${(kb / 1024).toFixed(1)}`)
    .join(', ');
}
