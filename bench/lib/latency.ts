/**
 * Latency statistics for the sync benchmarks: percentiles of receive-minus-send samples and the
 * per-second p99 timeline (binned by the second the update was sent, counted from the start of
 * the measurement), so a spike such as the 15-second awareness renewal shows up where it
 * happened instead of disappearing into one overall figure.
 */

/** The p-th percentile of an ascending array (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 of the updates sent in each second of the measurement (NaN for a second with none). */
  timeline: number[];
}

export class LatencyRecorder {
  private readonly all: number[] = [];
  private readonly bins: number[][] = [];

  /** `start`: when the measurement began (same clock as the sample times). */
  constructor(private readonly start: number) {}

  record(sentAt: number, receivedAt: number): void {
    const ms = receivedAt - sentAt;
    this.all.push(ms);
    const second = Math.max(0, Math.floor((sentAt - this.start) / 1000));
    (this.bins[second] ??= []).push(ms);
  }

  get count(): number {
    return this.all.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.all].sort((a, b) => a - b);
    const timeline = Array.from(this.bins, (bin) =>
      bin
        ? percentile(
            [...bin].sort((a, b) => a - b),
            99,
          )
        : NaN,
    );
    return {
      samples: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.length ? sorted[sorted.length - 1]! : NaN,
      timeline,
    };
  }
}
