/**
 * The V8 flags the sync server runs with in production: `pnpm start` (package.json) passes them,
 * and the benchmarks and the cross-package tests start the server the same way, so what they
 * measure is what runs.
 *
 * --max-semi-space-size=4: V8's young generation is capped at two 4 MB semispaces instead of
 * growing to 16 MB each. The server's garbage is short-lived (frames, decoded updates, query
 * results); with small semispaces it dies young rather than being copied and promoted, and the
 * process holds ~25-60 MB less. Measured in P2 (2,000 connections): RSS at the end 124-136 MB
 * instead of 149-194 MB, p99 unchanged (docs/BENCHMARKS.md).
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
