/**
 * Session and invitation tokens the Lucia way: 20 random bytes, base32-encoded for the cookie or
 * link; only the SHA-256 of a token (hex) is ever stored, so a leaked database cannot be replayed
 * as sessions. Sliding expiry: a session used in the second half of its life is extended.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** How long a session lives without use. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session used when less than this remains is extended to a full SESSION_TTL_MS. */
export const SESSION_RENEW_BEFORE_MS = 15 * 24 * 60 * 60 * 1000;

export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The stored form of a token (also its id): hex SHA-256. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Whether a token has the shape generateToken makes (so junk cookies cost no database query). */
export function isWellFormedToken(token: string): boolean {
  return /^[a-z2-7]{32}$/.test(token);
}

/** The new expiry when a session is used at `now`, or null if it need not change. */
export function renewedExpiry(expiresAt: Date, now: Date = new Date()): Date | null {
  if (expiresAt.getTime() - now.getTime() >= SESSION_RENEW_BEFORE_MS) return null;
  return new Date(now.getTime() + SESSION_TTL_MS);
}
