/**
 * P6: rubric-core full summary (per-indicator stats, flags, agenda, section scores,
 * Krippendorff's alpha, Fleiss' kappa) for 200 indicators x 30 raters, target <= 5 ms median,
 * and the same at 10x and 100x the ratings to show the cost grows linearly.
 *
 *   pnpm --filter @concord/bench bench                   full run, prints the table
 *   BENCH_WRITE=1 pnpm --filter @concord/bench bench     ... and writes docs/BENCHMARKS.md
 *   BENCH_SMOKE=1 ...                                    a few iterations, for CI
 */
import { performance } from 'node:perf_hooks';
import {
  parseTemplate,
  summarizeAssessment,
  type AssessmentRatings,
  type RubricTemplate,
} from '@concord/rubric-core';
import { SMOKE, WRITE, machine, median, spread, writeSection } from './lib/report.js';

/** Deterministic PRNG (mulberry32) so every run rates the same way. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeTemplate(indicators: number): RubricTemplate {
  const perSection = 20;
  const sections = [];
  for (let s = 0; s * perSection < indicators; s++) {
    const count = Math.min(perSection, indicators - s * perSection);
    sections.push({
      id: `s${s + 1}`,
      number: String(s + 1),
      title: `Section ${s + 1}`,
      indicators: Array.from({ length: count }, (_, i) => ({
        id: `s${s + 1}.${i + 1}`,
        number: String(i + 1),
        text: `Indicator ${i + 1} of section ${s + 1}.`,
      })),
    });
  }
  const r = parseTemplate({
    schemaVersion: 1,
    kind: 'rubric',
    id: 'bench',
    version: 1,
    title: 'Benchmark rubric',
    source: { document: 'synthetic', publisher: 'bench', date: '2026' },
    scale: {
      levels: [1, 2, 3, 4].map((value) => ({ value, label: `Level ${value}` })),
      readyAt: 3,
    },
    sections,
  });
  if (!r.ok || r.value.kind !== 'rubric') throw new Error('bad benchmark template');
  return r.value;
}

/** Raters mostly agree around a true level per indicator, with some noise and missing ratings. */
function makeRatings(template: RubricTemplate, raters: number, seed: number): AssessmentRatings {
  const rand = rng(seed);
  const out: Record<string, { ratings: { raterId: string; value: number | null }[] }> = {};
  for (const section of template.sections) {
    for (const ind of section.indicators) {
      const truth = 1 + Math.floor(rand() * 4);
      const ratings = [];
      for (let r = 0; r < raters; r++) {
        const x = rand();
        const noise = x < 0.6 ? 0 : x < 0.8 ? 1 : x < 0.95 ? -1 : 2;
        const value = Math.min(4, Math.max(1, truth + noise));
        ratings.push({ raterId: `rater-${r}`, value: rand() < 0.03 ? null : value });
      }
      out[ind.id] = { ratings };
    }
  }
  return out;
}

interface Row {
  label: string;
  indicators: number;
  raters: number;
  runs: number[];
}

function measure(indicators: number, raters: number, label: string): Row {
  const template = makeTemplate(indicators);
  const ratings = makeRatings(template, raters, 42);
  const budgetMs = SMOKE ? 20 : 2100;
  const runCount = SMOKE ? 1 : 7;
  // Warm up the JIT (optimised code for every path) before timing.
  const warmUntil = performance.now() + (SMOKE ? 0 : 300);
  do summarizeAssessment(template, ratings);
  while (performance.now() < warmUntil);
  const runs: number[] = [];
  for (let run = 0; run < runCount; run++) {
    let iterations = 0;
    const start = performance.now();
    let now = start;
    do {
      summarizeAssessment(template, ratings);
      iterations++;
      now = performance.now();
    } while (now - start < budgetMs / runCount || iterations < 3);
    runs.push((now - start) / iterations);
  }
  return { label, indicators, raters, runs };
}

const rows = [
  measure(200, 30, '1x (target)'),
  measure(2000, 30, '10x'),
  measure(SMOKE ? 2000 : 20000, 30, SMOKE ? '10x (smoke)' : '100x'),
];

const base = median(rows[0]!.runs) / (200 * 30);
const lines = [
  `| size | indicators x raters | ratings | median ms | spread (min–max) ms | µs per 1,000 ratings | vs linear |`,
  `|---|---|---|---|---|---|---|`,
  ...rows.map((r) => {
    const n = r.indicators * r.raters;
    const m = median(r.runs);
    const { min, max } = spread(r.runs);
    return `| ${r.label} | ${r.indicators} x ${r.raters} | ${n.toLocaleString('en-US')} | ${m.toFixed(3)} | ${min.toFixed(3)}–${max.toFixed(3)} | ${((m / n) * 1e6).toFixed(1)} | ${(m / n / base).toFixed(2)}x |`;
  }),
];
console.log(lines.join('\n'));

const target = median(rows[0]!.runs);
console.log(
  `P6 1x median ${target.toFixed(3)} ms (target ≤ 5 ms)${SMOKE ? ' [smoke run: not a measurement]' : ''}`,
);

if (WRITE && !SMOKE) {
  writeSection(
    'P6',
    `## P6: rubric-core full summary

Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench\` (bench/p6-rubric-core.ts).
Each row: ${rows[0]!.runs.length} runs, each the mean of as many \`summarizeAssessment\` calls as fit in 300 ms, after warm-up;
the table gives the median run and the spread. Ratings are synthetic (seeded), 4-level scale, ~3% missing.
"vs linear" is the cost per rating relative to the 1x row (1.00x = perfectly linear).
Every step is O(ratings) (counts per level, no pairwise loops over raters or indicators); the
per-rating cost still rises with size because at 1x the whole input sits in the CPU cache, while
at 100x its 600,000 rating objects (tens of MB) do not and garbage collection walks a larger heap.

${lines.join('\n')}

Target P6: ≤ 5 ms median at 1x — **${target <= 5 ? 'met' : 'not met'}** (${target.toFixed(2)} ms).`,
  );
}
