/**
 * The server's clock as seen from this browser: a shared timer counts down from a start the server
 * stamped, so each browser needs how far its own clock is off, never assuming the two agree. One
 * HEAD request (not through the service worker, which answers GETs) and its Date header: one
 * second's resolution, plenty for a discussion timer.
 */

/** Milliseconds to add to this browser's `Date.now()` to get the server's time (0 if unknown). */
export async function serverClockOffset(
  url: string,
  fetcher: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<number> {
  try {
    const sent = now();
    const response = await fetcher(url, { method: 'HEAD', cache: 'no-store' });
    const received = now();
    const date = Date.parse(response.headers.get('date') ?? '');
    if (Number.isNaN(date)) return 0;
    // The header is cut to the second: its middle is the best guess, against the trip's middle.
    return date + 500 - (sent + received) / 2;
  } catch {
    return 0;
  }
}

/** Whole seconds left of a timer of `seconds` started at `startedAt` (server time), never < 0. */
export function secondsLeft(startedAt: string, seconds: number, serverNow: number): number {
  const end = Date.parse(startedAt) + seconds * 1000;
  return Math.max(0, Math.ceil((end - serverNow) / 1000));
}

/** "4:05" */
export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
