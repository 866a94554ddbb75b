/**
 * The update guard's cost on P1's updates (issue 36): what the schema guard adds to every update
 * a client sends, measured on the server's own work alone (no sockets, no clients, no database),
 * so that the figure is not swamped by the load of a busy machine the way a fan-out's latency is.
 *
 * P1's update: one entry set in the plan metric's baseline map (`metrics/<id>/baseline/<key>`,
 * a number), as every fan-out client sends it, from a client that already holds the document.
 * Per update, on a document that already holds `ENTRIES` such entries:
 *   - apply: Y.applyUpdate on the room's document (what the room did per update before the guard);
 *   - guard: guardUpdate (decode, write capability, size, schema, text bounds), then the apply.
 * Also a keystroke into a goal's title (a Y.Text) for text. 5 runs of UPDATES updates each after a
 * warm-up; medians and spreads of the per-update microseconds.
 *
 *   pnpm --filter @concord/bench bench:guard                 prints the table
 *   BENCH_WRITE=1 pnpm --filter @concord/bench bench:guard   ... and writes docs/BENCHMARKS.md
 *   BENCH_SMOKE=1 ...                                        a few hundred updates, for CI
 */
import { performance } from 'node:perf_hooks';
import { DOCUMENT_SHAPES } from '@concord/documents/shapes';
import { guardUpdate, type Sender } from '@concord/sync-server/guard';
import * as Y from 'yjs';
import { FANOUT_SEED, METRIC_ID } from './lib/plan-content.js';
import { SMOKE, WRITE, machine, median, spread, writeSection } from './lib/report.js';

const UPDATES = SMOKE ? 300 : 20_000;
const RUNS = SMOKE ? 1 : 5;
const ENTRIES = 1_000;

const sender: Sender = {
  userId: 'bench-user',
  shape: DOCUMENT_SHAPES.plan,
  can: (c) => c === 'read' || c === 'write' || c === 'awareness',
};

/** A client's updates: each the next map entry, or the next character of a title. */
function clientUpdates(kind: 'map' | 'text', count: number, base: Y.Doc): Uint8Array[] {
  const client = new Y.Doc();
  client.clientID = 7_777;
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
  const out: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => out.push(u));
  const metric = client.getMap('metrics').get(METRIC_ID) as Y.Map<unknown>;
  const baseline = metric.get('baseline') as Y.Map<number>;
  const title = (client.getMap('goals').get('g') as Y.Map<unknown>).get('title') as Y.Text;
  for (let i = 0; i < count; i++) {
    if (kind === 'map') baseline.set(`c${i % 50}.${i}`, i + 0.5);
    else title.insert(title.length, 'x');
  }
  return out;
}

/** The room's document: the fan-out seed, ENTRIES entries, and a goal with a title. */
function roomDocument(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, FANOUT_SEED);
  const writer = new Y.Doc();
  writer.clientID = 5_555;
  Y.applyUpdate(writer, FANOUT_SEED);
  writer.transact(() => {
    const baseline = (writer.getMap('metrics').get(METRIC_ID) as Y.Map<unknown>).get(
      'baseline',
    ) as Y.Map<number>;
    for (let i = 0; i < ENTRIES; i++) baseline.set(`w.${i}`, i);
    const goal = new Y.Map<unknown>();
    writer.getMap('goals').set('g', goal);
    goal.set('title', new Y.Text());
  });
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
  return doc;
}

/** Microseconds per update: applying `updates` in order to a fresh room document. */
function run(updates: readonly Uint8Array[], guarded: boolean): number {
  const doc = roomDocument();
  const started = performance.now();
  for (const update of updates) {
    if (guarded) {
      const verdict = guardUpdate(doc, update, sender);
      if (verdict.kind !== 'apply')
        throw new Error(`the guard refused an honest update: ${JSON.stringify(verdict)}`);
    }
    Y.applyUpdate(doc, update);
  }
  return ((performance.now() - started) * 1000) / updates.length;
}

/** P1's Concord p99 before the guard, end to end (docs/BENCHMARKS.md, 2026-12-04). */
const P1_P99_US = 4_900;

const rows: string[] = [];
const summary: string[] = [];
let guardCost = 0;
for (const kind of ['map', 'text'] as const) {
  const updates = clientUpdates(kind, UPDATES, roomDocument());
  run(updates.slice(0, Math.min(500, updates.length)), true); // warm-up
  const plain: number[] = [];
  const guarded: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    plain.push(run(updates, false));
    guarded.push(run(updates, true));
  }
  const p = median(plain);
  const g = median(guarded);
  const ps = spread(plain);
  const gs = spread(guarded);
  if (kind === 'map') guardCost = g - p;
  const label = kind === 'map' ? 'P1 map entry (metrics/…/baseline/<key>)' : 'keystroke in a title';
  rows.push(
    `| ${label} | ${p.toFixed(1)} (${ps.min.toFixed(1)}–${ps.max.toFixed(1)}) | ${g.toFixed(1)} (${gs.min.toFixed(1)}–${gs.max.toFixed(1)}) | ${(g - p).toFixed(1)} |`,
  );
  summary.push(`${label}: apply ${p.toFixed(1)} µs, guard + apply ${g.toFixed(1)} µs`);
}

const table = `| update | apply alone, µs (median, spread) | guard + apply, µs | guard's cost, µs |
|---|---|---|---|
${rows.join('\n')}`;
console.log(table);

if (WRITE && !SMOKE) {
  writeSection(
    'P1-guard',
    `## P1 after the schema guard: the guard's cost per update

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (other test runs were going on).
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:guard\` (bench/p1-guard.ts).

The server's own work per update, without sockets, clients or a database, on a plan document
holding ${ENTRIES.toLocaleString('en-US')} map entries: Y.applyUpdate alone (what a room did per update before the guard)
against the update guard's whole chain (decode, write capability, size, the plan's schema, text
bounds) and then the apply. ${RUNS} runs of ${UPDATES.toLocaleString('en-US')} updates each; per-update microseconds.

${table}

The fan-out benchmark itself (P1 above) could not be re-run on a quiet machine in the session
that added the guard: on the loaded machine every server's p99 (the floor's too) was hundreds of
milliseconds, so its figures say nothing about the guard. What the guard adds to each of P1's
updates, ${guardCost.toFixed(1)} µs, is ${((100 * guardCost) / P1_P99_US).toFixed(2)}% of P1's last measured Concord p99
(${(P1_P99_US / 1000).toFixed(1)} ms, end to end), well under the 10% that would show in P1. P1 is to be measured again on
a quiet machine.`,
  );
}
console.log(summary.join('\n'));
