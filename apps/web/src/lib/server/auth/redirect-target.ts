/**
 * Where to send someone after signing in: only a path on this site (`/w/abc?tab=plan`), never
 * another origin (`//evil.example`, `https://…`, `/\evil.example`), so `?redirectTo=` cannot be
 * used to bounce people to a look-alike site.
 */

/** The fallback destination. */
export const DEFAULT_REDIRECT = '/';

/** Pages that make no sense to return to after signing in. */
const NOT_AFTER_SIGN_IN = ['/sign-in', '/sign-up', '/sign-out', '/auth/'];

export function safeRedirectTarget(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
    return DEFAULT_REDIRECT;
  }
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\p{Cc}]/u.test(value)) {
    return DEFAULT_REDIRECT;
  }
  const base = 'http://concord.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return DEFAULT_REDIRECT;
  }
  if (url.origin !== base) return DEFAULT_REDIRECT;
  if (NOT_AFTER_SIGN_IN.some((p) => url.pathname === p || url.pathname.startsWith(p))) {
    return DEFAULT_REDIRECT;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in?redirectTo=…` for a page that needs a signed-in person. */
export function signInUrl(from: URL): string {
  const target = safeRedirectTarget(`${from.pathname}${from.search}`);
  return target === DEFAULT_REDIRECT
    ? '/sign-in'
    : `/sign-in?redirectTo=${encodeURIComponent(target)}`;
}
