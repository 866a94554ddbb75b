/**
 * Shared benchmark reporting: run statistics (median and spread of repeated runs), the machine
 * description every figure must carry, and writing one benchmark's block into
 * docs/BENCHMARKS.md between its own markers so benchmarks update independently.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SMOKE = process.env.BENCH_SMOKE === '1';
export const WRITE = process.env.BENCH_WRITE === '1';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function spread(xs: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...xs), max: Math.max(...xs) };
}

export function machine(): string {
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  let freeH = '';
  try {
    freeH =
      execSync('free -h', { encoding: 'utf8' }).split('\n')[1]?.replace(/\s+/g, ' ').trim() ?? '';
  } catch {
    freeH = `total ${gib(totalmem())}, free ${gib(freemem())}`;
  }
  return `nproc ${cpus().length} (${cpus()[0]?.model.trim() ?? 'unknown CPU'}); free -h: ${freeH}; Node ${process.version}`;
}

const docsPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'BENCHMARKS.md');

/** Replaces the block between `<!-- id:start -->` and `<!-- id:end -->` in docs/BENCHMARKS.md. */
export function writeSection(id: string, markdown: string): void {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let doc = existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '# Benchmarks\n';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc =
    i >= 0 && j > i
      ? doc.slice(0, i) + block + doc.slice(j + end.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(docsPath, doc);
  console.log(`wrote ${id} to ${docsPath}`);
}
