/**
 * How production starts the sync server: `pnpm start` (package.json) runs
 * `node ${NODE_FLAGS} ${START_ENTRY}`, and the benchmarks and the cross-package tests start it
 * the same way, so what they measure is what runs.
 *
 * START_ENTRY is the bundle (scripts/bundle.mjs explains why: ~6 MB less live heap than the
 * unbundled dist/main.js, which stays as the entry for `@concord/sync-server` importers).
 *
 * --max-semi-space-size=4: V8's young generation is capped at two 4 MB semispaces instead of
 * growing to 16 MB each. The server's garbage is short-lived (frames, decoded updates, query
 * results); with small semispaces it dies young rather than being copied and promoted, and the
 * process holds ~25-60 MB less. Measured in P2 (2,000 connections): RSS at the end 124-136 MB
 * instead of 149-194 MB, p99 unchanged (docs/BENCHMARKS.md).
 *
 * --max-old-space-size=1024: the old generation may grow to 1 GB, and, what matters here, V8
 * scales how far it lets the heap grow between two full collections by that limit: up to 4x the
 * live size when the limit is 2 GB or more (the default on a machine with this much memory),
 * at most ~1.6x at 1 GB. With the default, a full collection early in P2 sometimes set the next
 * one at 4x and the heap grew from 30 to 95 MB of mostly garbage (RSS at the end 157-164 MB in
 * 3 of 5 runs, 116-121 MB in the others); with 1 GB all 6 ended at 118-120 MB, p99 the same.
 * A larger instance raises it (same flags otherwise); past 2 GB the 4x growth comes back.
 * The trade: the heap now follows the live size closely, so as documents grow (R8's soak) RSS
 * grows with them by a larger fraction of a smaller whole: 600 s of R8 ended at 136-138 MB,
 * +9.3% to +12.7% after warm-up, where the default ended at 158 MB (peak 189), +8.9%
 * (docs/ARCHITECTURE.md).
 */
export const NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--max-old-space-size=1024',
];

/** The production entry point, relative to this package's root. */
export const START_ENTRY = 'dist/bundle/main.js';
