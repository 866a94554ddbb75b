/**
 * Formatting shared by the sync benchmarks (P1, P2, P3, P5): milliseconds, megabytes, delivery
 * percentages, median-and-spread cells, the per-second p99 timeline, and the verdict word.
 */
import { readFileSync } from 'node:fs';
import { median, SMOKE, spread } from './report.js';

export const ms = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
export const pct = (part: number, whole: number) =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(part === whole ? 0 : 2)}%`;

/** "median (min–max)" of several runs' figures. */
export function medianSpread(xs: readonly number[], format: (n: number) => string = ms): string {
  if (xs.length === 0) return '–';
  if (xs.length === 1) return format(xs[0]!);
  const s = spread(xs);
  return `${format(median(xs))} (${format(s.min)}–${format(s.max)})`;
}

/** One line of per-second p99s, e.g. "2.9 3.1 … 14.2" (– for a second with no samples). */
export const timelineLine = (timeline: readonly number[]) => timeline.map((t) => ms(t)).join(' ');

export const verdict = (ok: boolean) => (SMOKE ? 'smoke' : ok ? 'met' : '**not met**');

/** Throws (failing the smoke run in CI) when any update was not delivered. */
export function requireFullDelivery(label: string, delivered: number, expected: number): void {
  if (delivered !== expected) {
    throw new Error(
      `${label}: delivered ${delivered} of ${expected} updates (${pct(delivered, expected)}); every update must reach every other client of its room`,
    );
  }
}

/** The 1-minute load average now (how busy the shared machine was). */
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
