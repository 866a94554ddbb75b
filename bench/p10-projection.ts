/**
 * P10 (projection): an edit in a document reaches the query tables, under P1's load. While P1's
 * room runs (CLIENTS stock clients on one plan document, each writing 2 updates/s, as
 * bench/p1-fanout.ts), a facilitator's stock client on an assessment of the largest built-in
 * rubric records a decision (recordConsensus: level, by, at) EDITS_PER_SECOND times a second,
 * each on another indicator; the benchmark polls the `consensus` table (every POLL_MS, its own
 * connection) and times, per edit, the local transaction → the row holding that decision (its
 * `decided_at` is unique per edit). Then the tables are checked against the documents: a rebuild
 * of the workspace (`rebuildProjections`, what `pnpm --filter @concord/db project` runs) must
 * change nothing, and its time is reported (P10's "full rebuild of a workspace's tables").
 *
 * Target: p95 ≤ 2 s over all edits (median of the runs); every edit reaches the table.
 *
 *   pnpm --filter @concord/bench bench:p10          3 runs, prints the table
 *   BENCH_WRITE=1 ...                               ... and writes docs/BENCHMARKS.md (P10)
 *   BENCH_SMOKE=1 ...                               5 clients for 2 s, one run (CI; fails when
 *                                                   an edit never reaches the table, or the
 *                                                   rebuild finds the tables out of step)
 */
import { execSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { recordConsensus } from '@concord/documents';
import { createDocumentStore } from '@concord/db';
import { rebuildProjections } from '@concord/db/projection';
import { outline } from '@concord/rubric-core';
import { maPlnSchoolPlanning } from '@concord/rubric-core/templates';
import { NODE_FLAGS, START_ENTRY } from '@concord/sync-server/node-flags';
import type { Capability } from '@concord/sync-protocol/ticket';
import { openPostgres, type ConcordDatabase } from './lib/concord-db.js';
import { runFanout, type FanoutResult } from './lib/fanout.js';
import { percentile } from './lib/latency.js';
import { SMOKE, WRITE, machine, median, writeSection } from './lib/report.js';
import { seedRoundCast } from './lib/round-seed.js';
import { stockClient, type BenchClient } from './lib/sync-clients.js';
import { concordSetup } from './lib/sync-setups.js';
import { loadavg, medianSpread, ms, pct, requireFullDelivery, verdict } from './lib/sync-report.js';

const RUNS = SMOKE ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = SMOKE ? 5 : 50;
const SECONDS = SMOKE ? 2 : 20;
const UPDATES_PER_SECOND = 2;
const EDITS_PER_SECOND = 2;
const POLL_MS = 10;
const TARGET_P95_MS = 2_000;
/** An edit not in the table after this long is lost. */
const TIMEOUT_MS = 30_000;
const SETTLE_MS = SMOKE ? 200 : 1_000;
/** The largest built-in rubric (83 indicators), as P13. */
const TEMPLATE = maPlnSchoolPlanning;
/** Raters of the cast (their ratings documents are in the workspace the rebuild reads). */
const RATERS = SMOKE ? 3 : 30;
const FACILITATOR_CAPABILITIES: readonly Capability[] = ['read', 'write', 'awareness', 'decide'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Run {
  /** Per edit: local transaction → the row in `consensus` (ms). */
  ms: number[];
  edits: number;
  reached: number;
  fanout: FanoutResult;
  rebuild: { ms: number; changed: number; documents: number; rows: number };
}

async function oneRun(db: ConcordDatabase, runNumber: number): Promise<Run> {
  const cast = await seedRoundCast(db, TEMPLATE, RATERS);
  const workspaceId = await db.withHandle(async (h) => {
    const [row] = await h.sql.query<{ w: string }>(
      {
        name: 'bench_p10_workspace',
        text: 'select workspace_id::text as w from documents where id = $1::uuid',
      },
      [cast.assessmentId],
    );
    return row!.w;
  });
  const setup = await concordSetup(db, { rooms: 1, clientsPerRoom: CLIENTS });
  const server = setup.servers[0]!;
  const entries = outline(TEMPLATE).entries;
  let facilitator: BenchClient | null = null;
  try {
    facilitator = stockClient(`${server.wsBase}/sync`, cast.assessmentId, {
      params: {
        ticket: db.ticket(cast.facilitatorId, cast.assessmentId, FACILITATOR_CAPABILITIES),
      },
      name: 'Bench facilitator',
    });
    await facilitator.synced;
    const fac = facilitator;

    // P1's room: the editor starts once every one of its clients is synced and settled.
    let synced = 0;
    let loadStarted!: () => void;
    const loadRunning = new Promise<void>((r) => (loadStarted = r));
    const fanoutDone = runFanout({
      rooms: 1,
      clientsPerRoom: CLIENTS,
      intervalMs: 1000 / UPDATES_PER_SECOND,
      seconds: SECONDS,
      connect: (room, index) => {
        const c = setup.connect(room, index);
        void c.synced.then(() => {
          if (++synced === CLIENTS) void sleep(SETTLE_MS + 100).then(loadStarted);
        });
        return c;
      },
      readiness: setup.readiness,
      connectBatch: 10,
      settleMs: SETTLE_MS,
      servers: setup.servers,
    });

    // The poller: decided_at (epoch ms) → first seen.
    const seen = new Map<number, number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const rows = await db.withHandle((h) =>
          h.sql.query<{ at: number | string | null }>(
            {
              name: 'bench_p10_poll',
              text: `select (extract(epoch from decided_at) * 1000)::float8 as at
                from consensus where document_id = $1::uuid and decided_at is not null`,
            },
            [cast.assessmentId],
          ),
        );
        const now = performance.now();
        for (const r of rows) {
          const at = Math.round(Number(r.at));
          if (!seen.has(at)) seen.set(at, now);
        }
        await sleep(POLL_MS);
      }
    })();

    await loadRunning;
    const edits: { at: number; sentAt: number }[] = [];
    const base = Date.UTC(2026, 11, 1, 9, 0, 0) + runNumber * 3_600_000;
    const start = performance.now();
    const total = Math.min(entries.length, SECONDS * EDITS_PER_SECOND);
    for (let k = 0; k < total; k++) {
      await sleep(Math.max(0, start + (k * 1000) / EDITS_PER_SECOND - performance.now()));
      const entry = entries[k]!;
      const levels = entry.scale.levels;
      const at = base + k * 1000;
      const sentAt = performance.now();
      recordConsensus(fac.doc, TEMPLATE, {
        indicatorId: entry.indicator.id,
        value: levels[k % levels.length]!.value,
        by: cast.facilitatorId,
        at: new Date(at).toISOString(),
      });
      edits.push({ at, sentAt });
    }
    const deadline = performance.now() + TIMEOUT_MS;
    while (edits.some((e) => !seen.has(e.at)) && performance.now() < deadline) await sleep(20);
    polling = false;
    await poller;
    const fanout = await fanoutDone;

    const samples = edits.filter((e) => seen.has(e.at)).map((e) => seen.get(e.at)! - e.sentAt);
    // The tables against the documents: a rebuild of the workspace changes nothing.
    const rebuild = await db.withHandle((h) =>
      rebuildProjections(h.sql, createDocumentStore(h), { workspaceId }),
    );
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `run ${runNumber}: ${samples.length} of ${edits.length} edits in the table, p50 ${ms(percentile(sorted, 50))} ms, p95 ${ms(percentile(sorted, 95))} ms, max ${ms(sorted.at(-1) ?? NaN)} ms; P1 room delivered ${pct(fanout.delivered, fanout.expected)}, p99 ${ms(fanout.latency.p99)} ms; rebuild ${ms(rebuild.ms)} ms, ${rebuild.changed} rows changed`,
    );
    return {
      ms: samples,
      edits: edits.length,
      reached: samples.length,
      fanout,
      rebuild: {
        ms: rebuild.ms,
        changed: rebuild.changed,
        documents: rebuild.documents,
        rows: rebuild.consensusRows + rebuild.ratingsRows,
      },
    };
  } finally {
    facilitator?.destroy();
    for (const s of setup.servers) await s.stop();
  }
}

const uptimeBefore = uptime();
const runs: Run[] = [];
const db = await openPostgres();
try {
  for (let run = 1; run <= RUNS; run++) {
    const result = await oneRun(db, run);
    runs.push(result);
    if (SMOKE)
      requireFullDelivery('P10 (P1 room)', result.fanout.delivered, result.fanout.expected);
  }
} finally {
  await db.close();
}
const uptimeAfter = uptime();

// ---- report ----

const perRun = (f: (run: Run) => number) => runs.map(f);
const sortedOf = (r: Run) => [...r.ms].sort((a, b) => a - b);
const p95s = perRun((r) => percentile(sortedOf(r), 95));
const p95 = median(p95s);
const allReached = runs.every((r) => r.reached === r.edits);
const inStep = runs.every((r) => r.rebuild.changed === 0);
const table = [
  '| load | edits per run | reached the table | p50 ms | p95 ms | max ms | P1 room: delivered, p99 ms | rebuild of the workspace ms (documents, rows) | rows the rebuild changed |',
  '|---|---|---|---|---|---|---|---|---|',
  `| ${CLIENTS} clients x ${UPDATES_PER_SECOND}/s on one plan + ${EDITS_PER_SECOND} decisions/s | ${runs[0]!.edits} | ${runs.reduce((n, r) => n + r.reached, 0)} of ${runs.reduce((n, r) => n + r.edits, 0)} | ${medianSpread(perRun((r) => percentile(sortedOf(r), 50)))} | ${medianSpread(p95s)} | ${medianSpread(perRun((r) => sortedOf(r).at(-1) ?? NaN))} | ${pct(
    runs.reduce((n, r) => n + r.fanout.delivered, 0),
    runs.reduce((n, r) => n + r.fanout.expected, 0),
  )}, ${medianSpread(perRun((r) => r.fanout.latency.p99))} | ${medianSpread(perRun((r) => r.rebuild.ms))} (${runs[0]!.rebuild.documents}, ${runs[0]!.rebuild.rows}) | ${runs.reduce((n, r) => n + r.rebuild.changed, 0)} |`,
];
const verdicts = [
  `- every edit reached the table: ${verdict(allReached)}`,
  `- p95 ${ms(p95)} ms (target ≤ ${TARGET_P95_MS} ms): ${verdict(p95 <= TARGET_P95_MS)}`,
  `- the tables match the documents (a rebuild changes no row): ${verdict(inStep)}`,
];
console.log([...table, '', ...verdicts].join('\n'));
if (SMOKE) console.log('[smoke run: not a measurement]');

if (WRITE && !SMOKE) {
  writeSection(
    'P10',
    `## P10: projection into the query tables

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:p10\` (bench/p10-projection.ts).

Under P1's load (${CLIENTS} stock \`y-websocket\` clients on one plan document, each writing ${UPDATES_PER_SECOND} updates/s for
${SECONDS} s, bench/lib/fanout.ts), a facilitator's stock client on an assessment of ${TEMPLATE.id} v${TEMPLATE.version}
(${outline(TEMPLATE).entries.length} indicators) records a decision (\`recordConsensus\`: level, by, at) ${EDITS_PER_SECOND} times a second, each on
another indicator; the benchmark polls \`consensus\` every ${POLL_MS} ms on its own connection and times each edit from
the local transaction to the row holding that decision (each edit's \`decided_at\` is its own). The server
projects a changed instrument 250 ms (PROJECTION_DELAY_MS) after the first change of a burst, so that delay is
part of every figure. After the load, \`rebuildProjections\` over the workspace (the assessment and ${RATERS}
ratings documents, which are not projected), as \`pnpm --filter @concord/db project\` runs it, must change no
row. ${RUNS} runs, each a fresh cast and a fresh server process; cells: median of the runs (min–max).

Setup: Concord as \`node ${NODE_FLAGS.join(' ')} apps/sync-server/${START_ENTRY}\` (its \`pnpm start\`),
\`NODE_ENV=production\`, on 127.0.0.1, a scratch PostgreSQL database; all clients in the benchmark process.
Machine load (\`uptime\`; the "after" figure includes the benchmark's own clients and server):
before: ${uptimeBefore}; after: ${uptimeAfter}.

${table.join('\n')}

${verdicts.join('\n')}`,
  );
}

/** `uptime` as the machine says it (load averages over 1, 5 and 15 minutes). */
function uptime(): string {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${loadavg()}`;
  }
}

if (!allReached) throw new Error('P10: an edit did not reach the consensus table');
if (!inStep) throw new Error('P10: the rebuild changed rows: the tables were not in step');
