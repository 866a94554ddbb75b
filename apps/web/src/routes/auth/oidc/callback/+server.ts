/**
 * The provider sends the browser back here with `code` and `state`. The state must match the
 * cookie set at the start; the code is redeemed (with the PKCE verifier) for an ID token that is
 * verified; the identity is matched to an account (see oidc-link.ts) and a session starts. Any
 * failure goes back to the sign-in page with a message, never an error page.
 */
import { redirect } from '@sveltejs/kit';
import { oidcConfig, OIDC_PROVIDER_SLUG } from '$lib/server/auth/oidc-config';
import { OidcError, finishSignIn, oidcProvider } from '$lib/server/auth/oidc';
import { OIDC_COOKIE, callbackUrl, readRoundTrip } from '$lib/server/auth/oidc-cookie';
import type { Account } from '$lib/server/auth/accounts';
import { accountForIdentity } from '$lib/server/auth/oidc-link';
import { safeRedirectTarget } from '$lib/server/auth/redirect-target';
import { getDb } from '$lib/server/db';
import { createSession, setSessionCookie } from '$lib/server/session';
import type { RequestHandler } from './$types';

function fail(code: string): never {
  redirect(303, `/sign-in?sso=${code}`);
}

export const GET: RequestHandler = async (event) => {
  const config = oidcConfig();
  if (config === null) redirect(303, '/sign-in');
  const roundTrip = readRoundTrip(event.cookies.get(OIDC_COOKIE));
  event.cookies.delete(OIDC_COOKIE, { path: '/auth/oidc' });
  const params = event.url.searchParams;

  if (params.get('error')) fail(roundTrip ? 'cancelled' : 'state-mismatch');
  const code = params.get('code');
  const state = params.get('state');
  if (roundTrip === null || !code || !state || state !== roundTrip.state) fail('state-mismatch');

  let account: Account;
  try {
    const provider = await oidcProvider(config, callbackUrl(event.url));
    const identity = await finishSignIn(provider, code, roundTrip);
    ({ account } = await accountForIdentity(await getDb(), OIDC_PROVIDER_SLUG, identity));
  } catch (e) {
    if (e instanceof OidcError) {
      console.error(`single sign-on: ${e.message}`, e.cause ?? '');
      fail(e.code);
    }
    throw e;
  }
  const db = await getDb();
  const { token, session } = await createSession(db, account.id, {
    userAgent: event.request.headers.get('user-agent'),
    ip: event.getClientAddress(),
  });
  setSessionCookie(event, token, session.expiresAt);
  redirect(303, safeRedirectTarget(roundTrip.redirectTo));
};
