/**
 * Exponential backoff after repeated failures, per key (an account's email, a client address).
 * The first `freeFailures` failures cost nothing; from then on each failure makes the key wait
 * `baseDelayMs`, doubling per further failure up to `maxDelayMs`. Attempts refused while waiting
 * are not verified and do not count. A success clears the key. Pure and in memory: the caller
 * passes the time, so tests need no clock.
 */

export interface ThrottleOptions {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures are forgotten this long after the last one. */
  forgetAfterMs: number;
  /** Most keys kept; the least recently failed key is dropped first. */
  maxKeys: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAt: Date };

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class FailureThrottle {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly options: ThrottleOptions) {}

  /** Whether `key` may try now, and if not, when it may. */
  check(key: string, now: number = Date.now()): ThrottleDecision {
    const entry = this.#live(key, now);
    if (entry === undefined || entry.blockedUntil <= now) return { allowed: true };
    return { allowed: false, retryAt: new Date(entry.blockedUntil) };
  }

  /** Records a failure; returns the decision for the next attempt. */
  fail(key: string, now: number = Date.now()): ThrottleDecision {
    const entry = this.#live(key, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const over = entry.failures - this.options.freeFailures;
    if (over >= 0) {
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
      entry.blockedUntil = now + delay;
    }
    // Re-insert so the map's order is least recently failed first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.options.maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return this.check(key, now);
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.lastFailureAt >= this.options.forgetAfterMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** "30 seconds", "2 minutes": how long until `retryAt`, rounded up, for a message. */
export function waitText(retryAt: Date, now: number = Date.now()): string {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - now) / 1000));
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
