/**
 * Account limits in one place: sign-in throttling, field lengths, the single sign-on round trip.
 * Throttling is in memory per process (a restart forgets it); each map is bounded so a flood of
 * made-up emails cannot grow it without limit.
 */

/** Failed sign-ins allowed per account before each further attempt must wait. */
export const ACCOUNT_FREE_FAILURES = 5;
/** The first wait for an account; it doubles with each further failure. */
export const ACCOUNT_BASE_DELAY_MS = 30_000;
/** The longest wait for an account. */
export const ACCOUNT_MAX_DELAY_MS = 15 * 60_000;

/**
 * Failed sign-ins allowed per client address before it must wait. Generous: a whole school often
 * shares one address behind its network's NAT.
 */
export const ADDRESS_FREE_FAILURES = 50;
export const ADDRESS_BASE_DELAY_MS = 10_000;
export const ADDRESS_MAX_DELAY_MS = 5 * 60_000;

/** A key's failures are forgotten this long after its last failure. */
export const THROTTLE_FORGET_AFTER_MS = 60 * 60_000;
/** Most keys kept per throttle; the least recently failed is dropped first. */
export const THROTTLE_MAX_KEYS = 10_000;

/** Longest email address (RFC 5321's path limit). */
export const EMAIL_MAX_LENGTH = 254;
/** Longest display name. */
export const NAME_MAX_LENGTH = 120;

/**
 * Characters accepted in a password typed to sign in, before hashing: far above any password
 * Concord accepts (PASSWORD_MAX_LENGTH), yet a hostile megabyte is refused without hashing it.
 */
export const CURRENT_PASSWORD_MAX_LENGTH = 1024;

/** How long the single sign-on round trip (state, PKCE verifier, nonce cookie) may take. */
export const OIDC_STATE_TTL_SECONDS = 10 * 60;
/** Timeout for each request to the identity provider (discovery, token, keys). */
export const OIDC_FETCH_TIMEOUT_MS = 10_000;
