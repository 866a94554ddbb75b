/**
 * A session's browser and system in words ("Chrome on Linux") from its stored User-Agent
 * string, parsed by bowser (MIT, maintained, small; server-side only, so no browser bundle
 * carries it). The raw string stays available to show on demand.
 */
import Bowser from 'bowser';

const UNKNOWN = 'Unknown browser';

/** "Chrome on Linux", "Safari on iOS", "Firefox" (no system known), or "Unknown browser". */
export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim();
  if (!ua) return UNKNOWN;
  let browser = '';
  let system = '';
  try {
    const parser = Bowser.getParser(ua);
    browser = parser.getBrowserName();
    system = parser.getOSName();
  } catch {
    return UNKNOWN;
  }
  if (!browser && !system) return UNKNOWN;
  if (!system) return browser;
  return `${browser || UNKNOWN} on ${system}`;
}
