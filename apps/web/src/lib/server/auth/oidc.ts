/**
 * OpenID Connect sign-in (the shape Google Workspace and Microsoft Entra use): authorization code
 * flow with PKCE (S256), `state` against login CSRF and `nonce` against ID-token replay. arctic
 * builds the URLs and redeems the code; jose verifies the ID token's signature against the
 * provider's published keys and its issuer, audience and expiry; the nonce is compared here.
 * Endpoints come from the issuer's discovery document, fetched once per process.
 */
import { CodeChallengeMethod, OAuth2Client, generateCodeVerifier, generateState } from 'arctic';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { OIDC_FETCH_TIMEOUT_MS } from './limits.js';
import type { OidcConfig } from './oidc-config.js';

/** Why single sign-on did not work, as a code the sign-in page turns into a message. */
export type OidcFailure =
  | 'provider-unavailable'
  | 'cancelled'
  | 'state-mismatch'
  | 'token-invalid'
  | 'no-email'
  | 'unverified-email-taken';

export class OidcError extends Error {
  constructor(
    readonly code: OidcFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(detail, options);
    this.name = 'OidcError';
  }
}

const Discovery = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});

export interface OidcProvider {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  keys: JWTVerifyGetKey;
  client: OAuth2Client;
}

const withoutSlash = (s: string) => s.replace(/\/+$/, '');

/** Reads the issuer's discovery document; throws OidcError('provider-unavailable'). */
export async function discover(config: OidcConfig, redirectUri: string): Promise<OidcProvider> {
  const url = `${withoutSlash(config.issuer)}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(OIDC_FETCH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (error) {
    throw new OidcError('provider-unavailable', `discovery at ${url} failed`, { cause: error });
  }
  const parsed = Discovery.safeParse(body);
  if (!parsed.success) {
    throw new OidcError('provider-unavailable', `discovery at ${url} is not an OpenID document`);
  }
  const d = parsed.data;
  if (withoutSlash(d.issuer) !== withoutSlash(config.issuer)) {
    throw new OidcError(
      'provider-unavailable',
      `discovery says the issuer is ${d.issuer}, not OIDC_ISSUER (${config.issuer})`,
    );
  }
  return {
    issuer: d.issuer,
    authorizationEndpoint: d.authorization_endpoint,
    tokenEndpoint: d.token_endpoint,
    userinfoEndpoint: d.userinfo_endpoint ?? null,
    keys: createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: OIDC_FETCH_TIMEOUT_MS }),
    client: new OAuth2Client(config.clientId, config.clientSecret, redirectUri),
  };
}

let providerCache: Map<string, Promise<OidcProvider>> | undefined;

/** The provider for this redirect URI, discovered once; a failed discovery is retried next time. */
export function oidcProvider(config: OidcConfig, redirectUri: string): Promise<OidcProvider> {
  providerCache ??= new Map();
  const key = `${config.issuer} ${config.clientId} ${redirectUri}`;
  let provider = providerCache.get(key);
  if (provider === undefined) {
    provider = discover(config, redirectUri);
    provider.catch(() => providerCache?.delete(key));
    providerCache.set(key, provider);
  }
  return provider;
}

/** What the browser carries (in an HttpOnly cookie) between the start and the callback. */
export interface OidcRoundTrip {
  state: string;
  codeVerifier: string;
  nonce: string;
  redirectTo: string;
}

export const OidcRoundTripSchema = z.object({
  state: z.string().min(16).max(200),
  codeVerifier: z.string().min(43).max(128),
  nonce: z.string().min(16).max(200),
  redirectTo: z.string().max(2000),
});

export const OIDC_SCOPES = ['openid', 'profile', 'email'];

export function startSignIn(
  provider: OidcProvider,
  redirectTo: string,
): { url: URL; roundTrip: OidcRoundTrip } {
  const roundTrip: OidcRoundTrip = {
    state: generateState(),
    codeVerifier: generateCodeVerifier(),
    nonce: generateState(),
    redirectTo,
  };
  const url = provider.client.createAuthorizationURLWithPKCE(
    provider.authorizationEndpoint,
    roundTrip.state,
    CodeChallengeMethod.S256,
    roundTrip.codeVerifier,
    OIDC_SCOPES,
  );
  url.searchParams.set('nonce', roundTrip.nonce);
  return { url, roundTrip };
}

/** Who the provider says signed in. */
export interface OidcIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

const Claims = z.object({
  sub: z.string().min(1).max(255),
  nonce: z.string().optional(),
  email: z.string().max(254).optional(),
  // Some providers send "true" as a string.
  email_verified: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  name: z.string().max(500).optional(),
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
});

/** Checks an ID token: signature, issuer, audience, expiry (jose) and our nonce. */
export async function verifyIdToken(
  provider: OidcProvider,
  idToken: string,
  nonce: string,
): Promise<OidcIdentity> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(idToken, provider.keys, {
      issuer: provider.issuer,
      audience: provider.client.clientId,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: 60,
    }));
  } catch (error) {
    throw new OidcError('token-invalid', 'the ID token did not verify', { cause: error });
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new OidcError('token-invalid', 'the ID token claims are malformed');
  if (claims.data.nonce !== nonce) {
    throw new OidcError('token-invalid', 'the ID token nonce does not match');
  }
  return identityFromClaims(claims.data);
}

function identityFromClaims(c: z.output<typeof Claims>): OidcIdentity {
  const email = c.email?.trim().toLowerCase() || null;
  // Control characters (NUL above all, which PostgreSQL text refuses) are dropped from names.
  const name = (c.name || [c.given_name, c.family_name].filter(Boolean).join(' '))
    .replace(/\p{Cc}/gu, ' ')
    .trim();
  return {
    subject: c.sub,
    email: email !== null && /^[^@\s\p{Cc}]+@[^@\s\p{Cc}]+$/u.test(email) ? email : null,
    emailVerified: c.email_verified === true || c.email_verified === 'true',
    name: name || null,
  };
}

/** Redeems the authorization code and verifies the ID token that comes back. */
export async function finishSignIn(
  provider: OidcProvider,
  code: string,
  roundTrip: OidcRoundTrip,
): Promise<OidcIdentity> {
  let idToken: string;
  let accessToken: string | null;
  try {
    const tokens = await provider.client.validateAuthorizationCode(
      provider.tokenEndpoint,
      code,
      roundTrip.codeVerifier,
    );
    idToken = tokens.idToken();
    accessToken = 'access_token' in tokens.data ? tokens.accessToken() : null;
  } catch (error) {
    throw new OidcError('token-invalid', 'the provider refused the authorization code', {
      cause: error,
    });
  }
  const identity = await verifyIdToken(provider, idToken, roundTrip.nonce);
  // Some providers put email and name only in the UserInfo answer, not in the ID token.
  if (identity.email === null && accessToken !== null && provider.userinfoEndpoint !== null) {
    return { ...identity, ...(await userInfo(provider.userinfoEndpoint, accessToken, identity)) };
  }
  return identity;
}

/** Email and name from the UserInfo endpoint; its `sub` must be the ID token's (OIDC 5.3.2). */
async function userInfo(
  endpoint: string,
  accessToken: string,
  identity: OidcIdentity,
): Promise<Partial<OidcIdentity>> {
  let body: unknown;
  try {
    const res = await fetch(endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(OIDC_FETCH_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (error) {
    throw new OidcError('provider-unavailable', 'the UserInfo request failed', { cause: error });
  }
  const parsed = Claims.safeParse(body);
  if (!parsed.success || parsed.data.sub !== identity.subject) {
    throw new OidcError('token-invalid', 'the UserInfo answer is not about the signed-in subject');
  }
  const fromInfo = identityFromClaims(parsed.data);
  return {
    email: fromInfo.email,
    emailVerified: fromInfo.emailVerified,
    name: identity.name ?? fromInfo.name,
  };
}
