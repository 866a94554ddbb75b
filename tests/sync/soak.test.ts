/**
 * R8 (TARGETS.md): soak. 200 stock y-websocket clients in 20 documents edit for a long time, the
 * way a room of people does: every client types (Y.Text inserts and deletes in the title of the
 * plan's seeded goal, where a plan allows free text; past 2,000 characters a document is revised
 * more than extended; no edit refused) and moves its cursor (awareness) about
 * once a second; a few clients a second leave and come back as a new
 * page would (new client id, new ticket); now and then a whole document empties and is opened
 * again (its room unloads and loads). The server's memory and file descriptors are sampled
 * every second from /proc: after warm-up its RSS must stay flat (< 10% growth) and its
 * descriptors, net of the open connections, must not grow; once every client has gone, the
 * descriptors are back where they were. At the end, every document converged: all its clients
 * and the stored document hold the same text.
 *
 * 30 s in CI; CONCORD_FULL=1 runs 30 minutes; R8_SECONDS=n any length (the nightly run: 600).
 * Where the memory is (the server's own /metrics: V8 heap used and total, memory outside the
 * heap, the compaction worker's heap) is read every MEMORY_EVERY_S and reported with the RSS, so
 * a failure says what grew; R8_TRACE=<file> writes that timeline every second (with the heap's
 * spaces) as TSV for a diagnosis run.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort } from '../setup/server.js';
import { rng, sleep, stockClient, waitFor, type StockClient } from './support/clients.js';
import {
  killSyncServers,
  startSyncServer,
  type SyncServerProcess,
} from './support/server-process.js';
import { title, titleText } from './support/plan-content.js';
import { openSyncWorkspace, type SyncWorkspace } from './support/workspace.js';

const SECONDS = Number(process.env.R8_SECONDS ?? (process.env.CONCORD_FULL === '1' ? 1800 : 30));
const DOCUMENTS = 20;
const CLIENTS_PER_DOCUMENT = 10;
/** Between two edits of one client, on average (each also moves its cursor); clients are
 * visited every TICK_MS and edit with the matching chance, so they are not in lock-step. */
const EDIT_EVERY_MS = 1_000;
const TICK_MS = 100;
/** Of the edits: backspaces (the rest is typing); and how often the cursor moves elsewhere. */
const BACKSPACE = 0.15;
/** A document longer than this is being revised, not drafted: most edits then delete a word
 * (1-8 characters), so each text hovers around this length, as a plan's section does in a
 * meeting, instead of growing for the whole run. The soak looks for leaks: memory that grows
 * with what the documents hold is not one (the 1,800 s run would otherwise type 1.6 million
 * characters). */
const REVISE_ABOVE_CHARS = 2_000;
const REVISING_DELETES = 0.6;
const CLICK_ELSEWHERE = 0.05;
/** Clients that leave and come back (as a reloaded page) per second. */
const CHURN_PER_SECOND = 2;
/** Every this many seconds one document empties and reopens a second later (room unload). */
const EMPTY_ROOM_EVERY_S = 10;
/** The first third of the run (at least 10 s) warms up: JIT, pools, heap sizing, the documents
 * reaching their revising length. Half-way through it everyone leaves and comes back (the idle
 * descriptors are counted then): what a mass reconnect leaves behind is part of the warm-up. */
const WARM_UP_S = Math.max(10, Math.round(SECONDS / 3));
const EVERYONE_LEAVES_S = Math.round(WARM_UP_S / 2);
/** RSS is judged on the medians of the first and the last fifth of the measured seconds (at least
 * 5 samples each): the heap's collection cycle is tens of seconds long on a long run, and the
 * phase a short window happens to catch is not growth. */
const rssWindow = (measuredSeconds: number) => Math.max(5, Math.round(measuredSeconds / 5));
const MAX_RSS_GROWTH = 0.1;
/** While editing, descriptors beyond the open connections may vary by the database pool's
 * size (10) at most; with no client at all, by a couple (a pool connection opened or idled). */
const FD_SLACK = 10;
const QUIET_FD_SLACK = 2;
/** After the last connection closed, before an idle sample: sockets finish closing. */
const QUIET_MS = 500;
const SEED = Number(process.env.R8_SEED ?? 8);
/** How often the server's memory breakdown (GET /metrics) is read. */
const MEMORY_EVERY_S = 10;
const TRACE = process.env.R8_TRACE;

// Each stock provider adds a process 'exit' listener; a reload opens one before the old is gone.
process.setMaxListeners(DOCUMENTS * CLIENTS_PER_DOCUMENT * 2);

interface Sample {
  at: number;
  rss: number;
  fds: number;
  connections: number;
}

let ws: SyncWorkspace | undefined;
let server: SyncServerProcess | undefined;
const clients = new Map<number, { client: StockClient; documentId: string }>();

beforeAll(async () => {
  ws = await openSyncWorkspace({
    prefix: 'concord_r8',
    members: DOCUMENTS * CLIENTS_PER_DOCUMENT,
    role: 'rater',
  });
  // 200 clients send one update and one awareness update a second each; the per-connection
  // limits stay at their defaults (no override), as in production.
  server = await startSyncServer({ port: await freePort(), databaseUrl: ws.url });
});

afterAll(async () => {
  for (const { client } of clients.values()) client.destroy();
  clients.clear();
  await killSyncServers();
  await ws?.close();
});

function sample(pid: number, connections: number, at: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return { at, rss: kb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length, connections };
}

/** The server's memory as its own /metrics reports it (prom-client's default metrics). */
interface Memory {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Outside the V8 heap but held by JS objects: Buffers, ArrayBuffers (Node's "external"). */
  external: number;
  /** Each heap space's used bytes (old, new, code, large_object...). */
  spaces: Record<string, number>;
  /** The compaction worker thread's own V8 heap (not in heapTotal), 0 while it is stopped. */
  workerHeap: number;
  /** Open rooms and background compactions so far, to line memory up with what the server did. */
  rooms: number;
  compactions: number;
}

/** The server's HTTP route `path`, from its ws://host:port/sync URL. */
const httpRoute = (syncUrl: string, path: '/metrics' | '/health') =>
  syncUrl.replace(/^ws/, 'http').replace(/\/sync$/, path);

async function memory(url: string, at: number): Promise<Memory> {
  const res = await fetch(httpRoute(url, '/metrics'));
  const text = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
  const spaces: Record<string, number> = {};
  for (const m of text.matchAll(/^nodejs_heap_space_size_used_bytes\{space="(\w+)"\} (\S+)/gm))
    spaces[m[1]!] = Number(m[2]);
  return {
    at,
    rss: value('process_resident_memory_bytes'),
    heapUsed: value('nodejs_heap_size_used_bytes'),
    heapTotal: value('nodejs_heap_size_total_bytes'),
    external: value('nodejs_external_memory_bytes'),
    spaces,
    workerHeap: value('concord_sync_merge_worker_heap_bytes'),
    rooms: value('concord_sync_rooms'),
    compactions: [...text.matchAll(/^concord_sync_compactions_total\{[^}]*\} (\S+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    ),
  };
}

/** One line of the R8_TRACE timeline (MB for sizes), after a header line on the first. */
function trace(file: string, m: Memory, first: boolean): void {
  const sizes = {
    rss: m.rss,
    heap_used: m.heapUsed,
    heap_total: m.heapTotal,
    external: m.external,
    worker_heap: m.workerHeap,
    ...m.spaces,
  };
  if (first)
    writeFileSync(
      file,
      ['second', ...Object.keys(sizes), 'rooms', 'compactions'].join('\t') + '\n',
    );
  const line = [m.at, ...Object.values(sizes).map(mb), m.rooms, m.compactions];
  appendFileSync(file, line.join('\t') + '\n');
}

async function healthConnections(url: string): Promise<number> {
  const res = await fetch(httpRoute(url, '/health'));
  const body = (await res.json()) as { connections: number };
  return body.connections;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe('R8 soak', () => {
  it(
    `${DOCUMENTS * CLIENTS_PER_DOCUMENT} clients edit for ${SECONDS} s: flat memory, no descriptor growth, converged`,
    async () => {
      const random = rng(SEED);
      const srv = server!;
      const workspace = ws!;
      const documents = await Promise.all(
        Array.from({ length: DOCUMENTS }, () => workspace.newDocument()),
      );
      const before = sample(srv.pid, 0, 0);
      let edits = 0;
      let churned = 0;
      let emptied = 0;
      /** Every client's refused updates (reasons), kept past the client: none may be refused. */
      const denials: string[][] = [];
      const open = (slot: number, documentId: string) => {
        const userId = workspace.userIds[slot]!;
        const client = stockClient(srv.url, documentId, () => workspace.ticket(userId, documentId));
        denials.push(client.denials);
        client.provider.awareness.setLocalStateField('user', { name: `member ${slot}` });
        clients.set(slot, { client, documentId });
      };
      for (let d = 0; d < DOCUMENTS; d++)
        for (let c = 0; c < CLIENTS_PER_DOCUMENT; c++)
          open(d * CLIENTS_PER_DOCUMENT + c, documents[d]!);
      const allLive = () => [...clients.values()].every(({ client }) => client.live);
      /** Every client leaves; resolves with a sample of the server with no connection. */
      const everyoneGone = async (at: number): Promise<Sample> => {
        for (const { client } of clients.values()) client.destroy();
        clients.clear();
        await waitFor(
          async () => (await healthConnections(srv.url)) === 0,
          'no connections left',
          20_000,
        );
        await sleep(QUIET_MS);
        return sample(srv.pid, 0, at);
      };
      await waitFor(allLive, 'every client connected and synced', 30_000);

      // Clients are visited every TICK_MS and edit by chance, so not in lock-step. Each types
      // the way a person does: runs of characters at its own cursor (a
      // relative position, so others' edits do not move it), a backspace now and then, and
      // sometimes a click elsewhere. Consecutive typing merges into one Yjs item, as in an
      // editor, so the documents grow with what is typed, not with every keystroke.
      const cursors = new Map<StockClient, Y.RelativePosition>();
      const editing = setInterval(() => {
        for (const { client } of clients.values()) {
          if (!client.live || random() > TICK_MS / EDIT_EVERY_MS) continue;
          // Live: synced, so it holds the seeded goal.
          const text = title(client.doc);
          const saved = cursors.get(client);
          const resolved = saved && Y.createAbsolutePositionFromRelativePosition(saved, client.doc);
          let at =
            resolved && random() > CLICK_ELSEWHERE
              ? resolved.index
              : Math.floor(random() * (text.length + 1));
          const r = random();
          const revising = text.length > REVISE_ABOVE_CHARS;
          if ((revising ? r < REVISING_DELETES : r < BACKSPACE) && at > 0) {
            const n = Math.min(at, 1 + Math.floor(random() * (revising ? 8 : 3)));
            text.delete(at - n, n);
            at -= n;
          } else {
            const typed = 'the quick brown fox '.slice(0, 1 + Math.floor(random() * 8));
            text.insert(at, typed);
            at += typed.length;
          }
          cursors.set(client, Y.createRelativePositionFromTypeIndex(text, at));
          client.provider.awareness.setLocalStateField('cursor', { index: at });
          edits++;
        }
      }, TICK_MS);

      const samples: Sample[] = [];
      const memories: Memory[] = [];
      let started = Date.now();
      const emptyRooms: { documentId: string; slots: number[]; back: number }[] = [];
      let quietMidWarmUp: Sample | undefined;
      try {
        for (let second = 1; second <= SECONDS; second++) {
          await sleep(started + second * 1000 - Date.now());
          if (second === EVERYONE_LEAVES_S) {
            // Half warmed up: everyone leaves, and the descriptors of an idle server are counted.
            const paused = Date.now();
            quietMidWarmUp = await everyoneGone(second);
            for (const room of emptyRooms.splice(0))
              for (const slot of room.slots) clients.delete(slot);
            for (let slot = 0; slot < DOCUMENTS * CLIENTS_PER_DOCUMENT; slot++) {
              open(slot, documents[Math.floor(slot / CLIENTS_PER_DOCUMENT)]!);
            }
            await waitFor(allLive, 'every client back', 30_000);
            started += Date.now() - paused;
            continue;
          }
          // Reloaded pages: a new client for the same member and document.
          for (let k = 0; k < CHURN_PER_SECOND; k++) {
            const slot = Math.floor(random() * DOCUMENTS * CLIENTS_PER_DOCUMENT);
            const entry = clients.get(slot);
            if (!entry || emptyRooms.some((r) => r.slots.includes(slot))) continue;
            entry.client.destroy();
            open(slot, entry.documentId);
            churned++;
          }
          // A document everyone leaves, and opens again a second later.
          if (second % EMPTY_ROOM_EVERY_S === 0) {
            const d = Math.floor(random() * DOCUMENTS);
            const slots = Array.from(
              { length: CLIENTS_PER_DOCUMENT },
              (_, c) => d * CLIENTS_PER_DOCUMENT + c,
            );
            if (!emptyRooms.some((r) => r.slots.includes(slots[0]!))) {
              for (const slot of slots) clients.get(slot)?.client.destroy();
              emptyRooms.push({ documentId: documents[d]!, slots, back: second + 1 });
              emptied++;
            }
          }
          for (const room of emptyRooms.filter((r) => r.back === second)) {
            for (const slot of room.slots) open(slot, room.documentId);
            emptyRooms.splice(emptyRooms.indexOf(room), 1);
          }
          samples.push(sample(srv.pid, await healthConnections(srv.url), second));
          // A trace has a line a second; otherwise every MEMORY_EVERY_S, and just after the warm-up.
          if (TRACE || second % MEMORY_EVERY_S === 0 || second === WARM_UP_S + 1) {
            const m = await memory(srv.url, second);
            memories.push(m);
            if (TRACE) trace(TRACE, m, memories.length === 1);
          }
        }
      } finally {
        clearInterval(editing);
      }
      for (const room of emptyRooms) for (const slot of room.slots) open(slot, room.documentId);

      // ---- memory and descriptors while editing ----
      const measured = samples.filter((s) => s.at > WARM_UP_S);
      const RSS_WINDOW = rssWindow(measured.length);
      const rssStart = median(measured.slice(0, RSS_WINDOW).map((s) => s.rss));
      const rssEnd = median(measured.slice(-RSS_WINDOW).map((s) => s.rss));
      const growth = rssEnd / rssStart - 1;
      const afterWarmUp = memories.find((m) => m.at > WARM_UP_S)!;
      const last = memories.at(-1)!;
      const labels = {
        heapUsed: 'heap used',
        heapTotal: 'heap total',
        external: 'outside the heap',
        workerHeap: "compaction worker's heap",
      } as const;
      const breakdown = `${(Object.keys(labels) as (keyof typeof labels)[])
        .map((key) => `${labels[key]} ${mb(afterWarmUp[key])} -> ${mb(last[key])} MB`)
        .join(', ')} (the server's /metrics at ${afterWarmUp.at} s and ${last.at} s)`;
      // Sockets opening or closing at the moment of a sample are not yet (or no longer) counted
      // as connections: medians of a window, not single samples.
      const netFds = (s: Sample) => s.fds - s.connections;
      const fdStart = median(measured.slice(0, RSS_WINDOW).map(netFds));
      const fdEnd = median(measured.slice(-RSS_WINDOW).map(netFds));

      // ---- convergence: every client of a document, and the stored document ----
      let storedBytes = 0;
      await waitFor(allLive, 'every client connected and synced again', 30_000);
      for (const documentId of documents) {
        const texts = () =>
          [...clients.values()]
            .filter((c) => c.documentId === documentId)
            .map(({ client }) => titleText(client.doc));
        await waitFor(
          () => new Set(texts()).size === 1,
          `the clients of ${documentId} agree`,
          20_000,
        );
        const expected = texts()[0]!;
        await waitFor(
          async () => titleText(await workspace.stored(documentId)) === expected,
          `${documentId} stored as its clients hold it`,
          20_000,
        );
        storedBytes += Y.encodeStateAsUpdate(await workspace.stored(documentId)).byteLength;
      }

      // ---- everyone gone: descriptors back to where they were half-way through the warm-up ----
      const after = await everyoneGone(SECONDS + 1);

      console.log(
        `R8: ${DOCUMENTS * CLIENTS_PER_DOCUMENT} clients in ${DOCUMENTS} documents for ${SECONDS} s (warm-up ${WARM_UP_S} s): ${edits} edits, ${churned} reloads, ${emptied} rooms emptied and reopened; RSS ${mb(rssStart)} MB after warm-up -> ${mb(rssEnd)} MB at the end (medians of ${RSS_WINDOW} s) (${(growth * 100).toFixed(1)}%, limit ${MAX_RSS_GROWTH * 100}%), peak ${mb(Math.max(...samples.map((s) => s.rss)))} MB; ${breakdown}; descriptors net of connections ${fdStart} -> ${fdEnd}; with no client ${before.fds} before the first, ${quietMidWarmUp!.fds} half-way through the warm-up, ${after.fds} at the end; all ${DOCUMENTS} documents converged and stored (${(storedBytes / 1024).toFixed(0)} KiB of Yjs state in all)`,
      );
      // Every edit is typing in a goal's title: none refused.
      expect(denials.flat()).toEqual([]);
      expect(growth, `RSS growth after the warm-up; ${breakdown}`).toBeLessThan(MAX_RSS_GROWTH);
      expect(fdEnd - fdStart).toBeLessThanOrEqual(FD_SLACK);
      expect(after.fds).toBeLessThanOrEqual(quietMidWarmUp!.fds + QUIET_FD_SLACK);
    },
    (SECONDS + 180) * 1000,
  );
});
