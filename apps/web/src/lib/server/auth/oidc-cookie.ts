/**
 * The single sign-on round trip's cookie and callback address, shared by the start and callback
 * routes.
 */
import { OidcRoundTripSchema, type OidcRoundTrip } from './oidc.js';

/** Holds state, PKCE verifier, nonce and destination between start and callback. */
export const OIDC_COOKIE = 'concord_oidc';

/** The redirect URI registered at the provider: `<origin>/auth/oidc/callback`. */
export function callbackUrl(url: URL): string {
  return new URL('/auth/oidc/callback', url.origin).toString();
}

/** The cookie's content, or null when missing or tampered with. */
export function readRoundTrip(value: string | undefined): OidcRoundTrip | null {
  if (value === undefined) return null;
  try {
    const parsed = OidcRoundTripSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
