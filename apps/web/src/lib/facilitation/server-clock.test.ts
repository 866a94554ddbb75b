import { describe, expect, it } from 'vitest';
import { clock, secondsLeft, serverClockOffset } from './server-clock';

describe('the server clock', () => {
  it('takes the offset from the Date header against the middle of the trip', async () => {
    const times = [1_000_000, 1_000_200];
    const fetcher = (async () =>
      new Response(null, {
        headers: { date: new Date(1_060_000).toUTCString() },
      })) as unknown as typeof fetch;
    // Server 1,060,000 (+500 for the cut second) against the trip's middle 1,000,100.
    expect(await serverClockOffset('/x', fetcher, () => times.shift()!)).toBe(60_400);
  });

  it('says 0 when it cannot tell', async () => {
    const failing = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    expect(await serverClockOffset('/x', failing)).toBe(0);
    const noDate = (async () => new Response(null)) as unknown as typeof fetch;
    expect(await serverClockOffset('/x', noDate)).toBe(0);
  });

  it('counts down whole seconds, never below zero, and prints m:ss', () => {
    const start = '2026-12-07T10:00:00.000Z';
    const t0 = Date.parse(start);
    expect(secondsLeft(start, 300, t0)).toBe(300);
    expect(secondsLeft(start, 300, t0 + 1)).toBe(300);
    expect(secondsLeft(start, 300, t0 + 55_000)).toBe(245);
    expect(secondsLeft(start, 300, t0 + 400_000)).toBe(0);
    expect(clock(245)).toBe('4:05');
    expect(clock(0)).toBe('0:00');
  });
});
