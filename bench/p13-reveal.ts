/**
 * P13 (reveal under load): a facilitator reveals a rating round to 30 connected raters. From the
 * moment the facilitator's client sends the reveal command to the moment each client's copy of
 * the assessment holds the revealed snapshot of every section.
 *
 * Per run: a fresh cast (lib/round-seed.ts: a facilitator, RATERS raters, an assessment of the
 * largest built-in rubric, one ratings document per rater stored with a rating for every
 * indicator), a fresh Concord server process on a scratch PostgreSQL database. Every rater has
 * two stock y-websocket clients, as the document page does: the shared assessment and their own
 * ratings document (where the reveal's freeze marks arrive); the facilitator one, on the
 * assessment, sending round commands (MESSAGE_ROUND) over that same socket and reading the
 * answers (MESSAGE_ROUND_RESULT), as the web app's RoundPanel does. Then REVEALS times: open a
 * round over every section (wait until every client sees it open and, from the second round on,
 * the previous round's freeze marks released and every rater's levels, which the new round
 * cleared, rated again and counted), let the server's progress writes settle, send
 * `reveal` sections 'all' and time, per client on the assessment (the raters and the
 * facilitator), send → its copy of the assessment holds `rounds/r<N>/revealed/<section>` for
 * every section. Then check every copy holds the same snapshot and that it has every rater's
 * seeded level, and close the round.
 *
 * All clients run in the benchmark process, so send and receive share one clock; applying the
 * reveal (one update of every rater's level for every indicator) in each of the 31 copies, one
 * after another on one core, is part of the figures, as the clients' work is in P1.
 *
 * Target: p95 ≤ 500 ms over all client × reveal samples (median of the runs); no extra socket
 * per rater (asserted: no socket opens or drops while the reveals run).
 *
 *   pnpm --filter @concord/bench bench:p13          3 runs of 10 reveals, prints the table
 *   BENCH_WRITE=1 ...                               ... and writes docs/BENCHMARKS.md (P13)
 *   BENCH_SMOKE=1 ...                               5 raters, 2 reveals, one run (CI; fails
 *                                                   only when a reveal never arrives or a round
 *                                                   command is refused)
 */
import { performance } from 'node:perf_hooks';
import { ROOT, ROUND, latestRound, openRound } from '@concord/documents';
import { MESSAGE_ROUND, MESSAGE_ROUND_RESULT } from '@concord/sync-protocol';
import type { Capability } from '@concord/sync-protocol/ticket';
import { NODE_FLAGS, START_ENTRY } from '@concord/sync-server/node-flags';
import { maPlnSchoolPlanning } from '@concord/rubric-core/templates';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { openPostgres, type ConcordDatabase } from './lib/concord-db.js';
import { percentile } from './lib/latency.js';
import { SMOKE, WRITE, machine, median, writeSection } from './lib/report.js';
import { seedRoundCast, type RoundCast } from './lib/round-seed.js';
import { startServer, type ServerProcess } from './lib/server-process.js';
import { stockClient, type StockBenchClient } from './lib/sync-clients.js';
import { loadavg, medianSpread, ms, verdict } from './lib/sync-report.js';

const RUNS = SMOKE ? 1 : Number(process.env.BENCH_RUNS ?? 3);
const RATERS = SMOKE ? 5 : 30;
const REVEALS = SMOKE ? 2 : 10;
const TARGET_P95_MS = 500;
/** The largest built-in rubric (83 indicators in 11 sections), as P7's page. */
const TEMPLATE = maPlnSchoolPlanning;
const FACILITATOR_CAPABILITIES: readonly Capability[] = ['read', 'write', 'awareness', 'decide'];
/** A reveal (or any wait) that takes longer has failed, smoke or not. */
const TIMEOUT_MS = 30_000;
/** After a round opens: longer than the server's progress delay (300 ms) and its writes. */
const SETTLE_MS = SMOKE ? 400 : 1_000;
/** Clients connected at a time. */
const CONNECT_BATCH = 10;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: () => string) {
  const deadline = performance.now() + TIMEOUT_MS;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`P13: timed out after ${TIMEOUT_MS} ms: ${what()}`);
    await sleep(5);
  }
}

interface Answer {
  ok: boolean;
  error?: string;
  at: number;
}

/** Round commands over the facilitator's own (stock) client's socket, with their answers. */
function roundChannel(client: StockBenchClient) {
  const answers = new Map<string, Answer>();
  client.provider.messageHandlers[MESSAGE_ROUND_RESULT] = (_encoder, decoder) => {
    const at = performance.now();
    const r = JSON.parse(decoding.readVarString(decoder)) as {
      id: string;
      ok: boolean;
      error?: string;
    };
    answers.set(r.id, { ok: r.ok, ...(r.error !== undefined && { error: r.error }), at });
  };
  let n = 0;
  return {
    /** Sends a command; returns its id and the time just before it went to the socket. */
    send(command: Record<string, unknown>): { id: string; sentAt: number } {
      const id = `p13-${++n}`;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE_ROUND);
      encoding.writeVarString(e, JSON.stringify({ id, ...command }));
      const frame = encoding.toUint8Array(e);
      const ws = client.provider.ws;
      if (!ws) throw new Error("P13: the facilitator's socket is not open");
      const sentAt = performance.now();
      ws.send(frame);
      return { id, sentAt };
    },
    /** The answer to `id` (throws if the server refused the command). */
    async answer(id: string, what: string): Promise<Answer> {
      await until(
        () => answers.has(id),
        () => `the answer to ${what}`,
      );
      const a = answers.get(id)!;
      if (!a.ok) throw new Error(`P13: the server refused ${what}: ${a.error}`);
      return a;
    },
  };
}

/** The `revealed` map of round `roundId` in `doc`, if there. */
function revealedMap(doc: Y.Doc, roundId: string): Y.Map<unknown> | undefined {
  const round = doc.getMap(ROOT.rounds).get(roundId);
  const revealed = round instanceof Y.Map ? round.get(ROUND.revealed) : undefined;
  return revealed instanceof Y.Map ? (revealed as Y.Map<unknown>) : undefined;
}

/** How many indicators of a ratings document are frozen by round `roundId`. */
function frozenBy(doc: Y.Doc, roundId: string): number {
  let n = 0;
  for (const v of doc.getMap(ROOT.frozen).values()) if (v === roundId) n++;
  return n;
}

interface Reveal {
  /** Per client on the assessment: send → its copy holds every section (ms). */
  ms: number[];
  /** Of each, send → the process read the message that completed it from the client's socket
   * (the rest is that client applying it; reading waits for the process's event loop too). */
  arrivedMs: number[];
  /** Send → the facilitator has the server's answer (ok). */
  answerMs: number;
  /** Send → every rater's own ratings document holds the freeze marks (the last of them). */
  frozenMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
}

interface Run {
  reveals: Reveal[];
  /** Sockets: how many, and how many opened or dropped while the reveals ran. */
  sockets: number;
  reopened: number;
  dropped: number;
  /** Bytes of the reveal's update (the assessment's state after minus before, first reveal). */
  revealBytes: number;
  items: number;
  sections: number;
}

const samples = (run: Run) => run.reveals.flatMap((r) => r.ms).sort((a, b) => a - b);
/** Per reveal, the first copy to hold it: the server's part, the network's and one client's. */
const firstCopy = (run: Run) => run.reveals.map((r) => Math.min(...r.ms));

async function oneRun(db: ConcordDatabase, runNumber: number): Promise<Run> {
  const cast: RoundCast = await seedRoundCast(db, TEMPLATE, RATERS);
  const server: ServerProcess = await startServer('concord', db.env);
  const url = `${server.wsBase}/sync`;
  const clients: StockBenchClient[] = [];
  try {
    const connect = (
      documentId: string,
      userId: string,
      name: string,
      capabilities?: readonly Capability[],
    ) => {
      const c = stockClient(url, documentId, {
        params: { ticket: db.ticket(userId, documentId, capabilities) },
        name,
      });
      clients.push(c);
      return c;
    };
    const facilitator = connect(
      cast.assessmentId,
      cast.facilitatorId,
      'Bench facilitator',
      FACILITATOR_CAPABILITIES,
    );
    await facilitator.synced;
    const shared: StockBenchClient[] = [];
    const own: StockBenchClient[] = [];
    for (let i = 0; i < RATERS; i += CONNECT_BATCH) {
      const batch: StockBenchClient[] = [];
      for (let j = i; j < Math.min(RATERS, i + CONNECT_BATCH); j++) {
        const s = connect(cast.assessmentId, cast.raterIds[j]!, `Rater ${j + 1}`);
        const o = connect(cast.ratingsIds[j]!, cast.raterIds[j]!, `Rater ${j + 1}`);
        shared.push(s);
        own.push(o);
        batch.push(s, o);
      }
      await Promise.all(batch.map((c) => c.synced));
    }
    // The seeded ratings reached each rater's own copy.
    for (let j = 0; j < RATERS; j++) {
      const got = own[j]!.doc.getMap(ROOT.ratings).size;
      if (got !== cast.items.length) {
        throw new Error(
          `P13: rater ${j + 1}'s ratings document holds ${got} of ${cast.items.length} ratings`,
        );
      }
    }
    const observed = [facilitator, ...shared];
    const rounds = roundChannel(facilitator);
    const openedAt = clients.map((c) => c.openedAt());
    const dropsBefore = clients.reduce((n, c) => n + c.drops.length, 0);

    const reveals: Reveal[] = [];
    let revealBytes = 0;
    for (let r = 1; r <= REVEALS; r++) {
      const roundId = `r${r}`;
      // Open a round over every section, named (the larger snapshot: keys are user ids).
      const open = rounds.send({
        op: 'open',
        sections: cast.sections,
        anonymised: false,
        deadline: null,
      });
      await rounds.answer(open.id, `open ${roundId}`);
      await until(
        () => observed.every((c) => openRound(c.doc)?.id === roundId),
        () => `every client to see ${roundId} open`,
      );
      // From the second round on, opening releases the earlier round's freeze marks.
      await until(
        () => own.every((c) => c.doc.getMap(ROOT.frozen).size === 0),
        () => `the freeze marks of r${r - 1} released`,
      );
      if (r > 1) {
        // The new round cleared the released ratings: every rater rates again (the same levels),
        // and the round counts them all before the reveal.
        own.forEach((c, j) =>
          c.doc.transact(() => {
            const ratings = c.doc.getMap(ROOT.ratings);
            for (const [id, v] of Object.entries(cast.levels[j]!)) ratings.set(id, v);
          }),
        );
        await until(
          () => {
            const now = openRound(facilitator.doc);
            return cast.raterIds.every(
              (id) =>
                Object.values(now?.progress[id] ?? {}).reduce((a, b) => a + b, 0) ===
                cast.items.length,
            );
          },
          () => `every rater's ratings of ${roundId} counted`,
        );
      }
      await sleep(SETTLE_MS);
      const stateBefore = Y.encodeStateVector(facilitator.doc);

      const done: (number | null)[] = observed.map(() => null);
      const arrivedAt: (number | null)[] = observed.map(() => null);
      const frozenAt: (number | null)[] = own.map(() => null);
      const off: (() => void)[] = [];
      observed.forEach((c, i) => {
        const check = () => {
          if (done[i] !== null) return;
          const revealed = revealedMap(c.doc, roundId);
          if (revealed && cast.sections.every((s) => revealed.has(s))) {
            done[i] = performance.now();
            arrivedAt[i] = c.lastMessageAt();
          }
        };
        c.doc.on('afterTransaction', check);
        off.push(() => c.doc.off('afterTransaction', check));
      });
      own.forEach((c, i) => {
        const check = () => {
          if (frozenAt[i] === null && frozenBy(c.doc, roundId) === cast.items.length)
            frozenAt[i] = performance.now();
        };
        c.doc.on('afterTransaction', check);
        off.push(() => c.doc.off('afterTransaction', check));
      });

      const cpu0 = server.cpuSeconds();
      const clientCpu0 = process.cpuUsage();
      const reveal = rounds.send({ op: 'reveal', sections: 'all' });
      try {
        await until(
          () => done.every((t) => t !== null),
          () =>
            `the reveal of ${roundId} in every copy of the assessment (${done.filter((t) => t === null).length} of ${observed.length} without it)`,
        );
        const answer = await rounds.answer(reveal.id, `reveal ${roundId}`);
        await until(
          () => frozenAt.every((t) => t !== null),
          () => `the freeze marks of ${roundId} in every rater's ratings document`,
        );
        const clientCpu = process.cpuUsage(clientCpu0);
        reveals.push({
          ms: done.map((t) => t! - reveal.sentAt),
          arrivedMs: arrivedAt.map((t, i) => (t ?? done[i]!) - reveal.sentAt),
          answerMs: answer.at - reveal.sentAt,
          frozenMs: Math.max(...frozenAt.map((t) => t!)) - reveal.sentAt,
          serverCpuMs: (server.cpuSeconds() - cpu0) * 1000,
          clientCpuMs: (clientCpu.user + clientCpu.system) / 1000,
        });
      } finally {
        for (const f of off) f();
      }
      if (r === 1) revealBytes = Y.encodeStateAsUpdate(facilitator.doc, stateBefore).byteLength;

      // Every copy holds the same snapshot, with every rater's seeded level for every indicator.
      const snapshot = JSON.stringify(revealedMap(facilitator.doc, roundId)!.toJSON());
      for (const c of shared) {
        if (JSON.stringify(revealedMap(c.doc, roundId)!.toJSON()) !== snapshot) {
          throw new Error(
            `P13: the copies of the assessment differ after the reveal of ${roundId}`,
          );
        }
      }
      const round = latestRound(facilitator.doc)!;
      for (const section of cast.sections) {
        for (const [itemId, row] of Object.entries(round.revealed[section]!.ratings)) {
          cast.raterIds.forEach((raterId, j) => {
            if (row[raterId] !== cast.levels[j]![itemId]) {
              throw new Error(
                `P13: ${roundId} reveals ${row[raterId]} for rater ${j + 1} on ${itemId}; seeded ${cast.levels[j]![itemId]}`,
              );
            }
          });
        }
      }
      const revealedItems = cast.sections.reduce(
        (n, s) => n + Object.keys(round.revealed[s]!.ratings).length,
        0,
      );
      if (revealedItems !== cast.items.length) {
        throw new Error(
          `P13: ${roundId} reveals ${revealedItems} of ${cast.items.length} indicators`,
        );
      }

      const close = rounds.send({ op: 'close' });
      await rounds.answer(close.id, `close ${roundId}`);
      await until(
        () => observed.every((c) => openRound(c.doc) === null),
        () => `every client to see ${roundId} closed`,
      );
      const last = reveals.at(-1)!;
      const sorted = [...last.ms].sort((a, b) => a - b);
      console.log(
        `run ${runNumber} reveal ${r}: p50 ${ms(percentile(sorted, 50))} ms, p95 ${ms(percentile(sorted, 95))} ms, max ${ms(sorted.at(-1)!)} ms, answered ${ms(last.answerMs)} ms, frozen ${ms(last.frozenMs)} ms, server CPU ${last.serverCpuMs.toFixed(0)} ms`,
      );
    }
    const reopened = clients.filter((c, i) => c.openedAt() !== openedAt[i]).length;
    const dropped = clients.reduce((n, c) => n + c.drops.length, 0) - dropsBefore;
    return {
      reveals,
      sockets: clients.length,
      reopened,
      dropped,
      revealBytes,
      items: cast.items.length,
      sections: cast.sections.length,
    };
  } finally {
    for (const c of clients) c.destroy();
    await server.stop();
  }
}

const loadBefore = loadavg();
const runs: Run[] = [];
const db = await openPostgres();
try {
  for (let run = 1; run <= RUNS; run++) {
    const result = await oneRun(db, run);
    runs.push(result);
    const s = samples(result);
    console.log(
      `run ${run}: ${s.length} samples, p50 ${ms(percentile(s, 50))} ms, p95 ${ms(percentile(s, 95))} ms, max ${ms(s.at(-1)!)} ms; sockets ${result.sockets}, reopened ${result.reopened}, dropped ${result.dropped}`,
    );
  }
} finally {
  await db.close();
}
const loadAfter = loadavg();

// ---- report ----

const perRun = (f: (run: Run) => number) => runs.map(f);
const p95s = perRun((r) => percentile(samples(r), 95));
const p95 = median(p95s);
const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const table = [
  '| clients on the assessment | reveals x samples per run | p50 ms | p95 ms | max ms | first copy ms (median) | answer to the facilitator ms (median) | freeze marks in every ratings document ms (median) | server CPU per reveal ms | client CPU per reveal ms | sockets (opened again / dropped while revealing) |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  `| ${RATERS} raters + the facilitator | ${REVEALS} x ${RATERS + 1} | ${medianSpread(perRun((r) => percentile(samples(r), 50)))} | ${medianSpread(p95s)} | ${medianSpread(perRun((r) => samples(r).at(-1)!))} | ${medianSpread(perRun((r) => median(firstCopy(r))))} | ${medianSpread(perRun((r) => median(r.reveals.map((x) => x.answerMs))))} | ${medianSpread(perRun((r) => median(r.reveals.map((x) => x.frozenMs))))} | ${medianSpread(
    perRun((r) => meanOf(r.reveals.map((x) => x.serverCpuMs))),
    (n) => n.toFixed(0),
  )} | ${medianSpread(
    perRun((r) => meanOf(r.reveals.map((x) => x.clientCpuMs))),
    (n) => n.toFixed(0),
  )} | ${runs[0]!.sockets} (${runs.reduce((n, r) => n + r.reopened, 0)} / ${runs.reduce((n, r) => n + r.dropped, 0)}) |`,
];
const allDelivered = runs.every((r) => r.reveals.length === REVEALS);
const noExtraSocket = runs.every((r) => r.reopened === 0 && r.dropped === 0);
const verdicts = [
  `- every reveal reached every client: ${verdict(allDelivered)}`,
  `- p95 ${ms(p95)} ms (target ≤ ${TARGET_P95_MS} ms): ${verdict(p95 <= TARGET_P95_MS)}`,
  `- no extra socket per rater (none opened or dropped while the reveals ran): ${verdict(noExtraSocket)}`,
];
const timelines = runs.map(
  (r, i) =>
    `run ${i + 1}: ${r.reveals
      .map((x) =>
        ms(
          percentile(
            [...x.ms].sort((a, b) => a - b),
            95,
          ),
        ),
      )
      .join(' ')}`,
);
console.log([...table, '', ...verdicts, '', 'p95 per reveal (ms):', ...timelines].join('\n'));
if (SMOKE) console.log('[smoke run: not a measurement]');

if (WRITE && !SMOKE) {
  writeSection(
    'P13',
    `## P13: reveal under load

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:p13\` (bench/p13-reveal.ts).

A facilitator and ${RATERS} raters on one assessment of the largest built-in rubric (${TEMPLATE.id}
v${TEMPLATE.version}: ${runs[0]!.items} indicators in ${runs[0]!.sections} sections); each rater's private ratings document is stored
before the server starts with a (seeded, varied) level for every indicator. Every rater has two stock
\`y-websocket\` clients, as the document page does: the shared assessment and their own ratings document;
the facilitator one, on the assessment, which sends the round commands over that socket (MESSAGE_ROUND,
answered by MESSAGE_ROUND_RESULT) as the web app does. ${REVEALS} reveals per run: open a round over every
section (named, so rater keys are user ids), wait until every client sees it open and the earlier round's
freeze marks are released, ${SETTLE_MS} ms for the server's progress writes, then \`reveal\` sections
\`all\`; per client on the assessment (${RATERS} raters and the facilitator), the time from just before the
command went to the facilitator's socket to the moment that client's copy holds
\`rounds/r<N>/revealed/<section>\` for every section (one Yjs update of ${(runs[0]!.revealBytes / 1024).toFixed(0)} KiB: every
rater's level for every indicator). After each reveal the benchmark checks that every copy holds the same
snapshot and that it has every rater's seeded level for every indicator, then closes the round. ${RUNS} runs,
each a fresh cast and a fresh server process; p50/p95/max over the ${REVEALS} x ${RATERS + 1} samples of a
run; cells: median of the runs (min–max). "First copy": per reveal, the first client to hold the snapshot
(the server's work, loopback, and one client applying it; median over the reveals). "Answer": the facilitator has
the server's \`ok\` (sent after the snapshot, the freeze marks and the audit entry are written).
"Freeze marks": the last rater's own ratings document holds all ${runs[0]!.items} of them. CPU per reveal: from
the send until the snapshot, the answer and every freeze mark arrived (the server's /proc time has a 10 ms
tick, so it is a mean over the reveals).

Setup: Concord as \`node ${NODE_FLAGS.join(' ')} apps/sync-server/${START_ENTRY}\` (its \`pnpm start\`),
\`NODE_ENV=production\`, default limits and log level, on 127.0.0.1, a scratch PostgreSQL 15 database;
tickets as the web app issues them (the facilitator's with \`decide\`); members with their roles
(facilitator, rater), so the server's own access checks apply. All ${runs[0]!.sockets} clients run in the
benchmark process, so send and receive times share one clock; the copies apply the reveal one after
another in that process, and that work (client CPU column, which includes the ratings documents' freeze
marks) is part of every figure. 1-minute load average: ${loadBefore} before, ${loadAfter} after${
      Math.max(Number(loadBefore), Number(loadAfter)) >= 1
        ? "\n(other engineers' tests were running on this 2-core machine)"
        : ''
    }.

${table.join('\n')}

${verdicts.join('\n')}

${spreadNote()}

p95 per reveal (ms), in order: the first reveal of a run is the fresh server process's first (its code
not yet optimised); each round's snapshot stays in the assessment, so the document grows by one
snapshot per reveal:

\`\`\`
${timelines.join('\n')}
\`\`\``,
  );
}

/** Where the time between the first copy and the last goes, in this run's figures. */
function spreadNote(): string {
  const first = median(runs.map((r) => median(firstCopy(r))));
  const clientCpu = median(runs.map((r) => meanOf(r.reveals.map((x) => x.clientCpuMs))));
  const load = Math.max(Number(loadBefore), Number(loadAfter));
  return `The first copy holds the snapshot ${ms(first)} ms after the send (median); the rest of each figure is the time
until the last of the ${RATERS + 1} copies has it: the server sends the one update to every connection of the room, and
the benchmark process applies it in each copy in turn (${clientCpu.toFixed(0)} ms of its CPU per reveal, freeze marks included).${
    load >= 1
      ? ` With a load average of ${load} on 2 cores every process here waits for a core, so this run does not
separate the server's part of that spread from the clients'; a run on a quiet machine would.`
      : ''
  }`;
}

if (!allDelivered) throw new Error('P13: a reveal did not reach every client');
