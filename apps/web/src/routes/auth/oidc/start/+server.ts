/**
 * Starts single sign-on: remembers state, PKCE verifier, nonce and where to go afterwards in a
 * short-lived HttpOnly cookie scoped to /auth/oidc, then sends the browser to the provider.
 */
import { error, redirect } from '@sveltejs/kit';
import { OIDC_STATE_TTL_SECONDS } from '$lib/server/auth/limits';
import { oidcConfig } from '$lib/server/auth/oidc-config';
import { OidcError, oidcProvider, startSignIn } from '$lib/server/auth/oidc';
import { OIDC_COOKIE, callbackUrl } from '$lib/server/auth/oidc-cookie';
import { safeRedirectTarget } from '$lib/server/auth/redirect-target';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const config = oidcConfig();
  if (config === null) error(404, 'Single sign-on is not set up on this server.');
  let provider;
  try {
    provider = await oidcProvider(config, callbackUrl(event.url));
  } catch (e) {
    if (e instanceof OidcError) {
      console.error(`single sign-on: ${e.message}`, e.cause ?? '');
      redirect(303, `/sign-in?sso=${e.code}`);
    }
    throw e;
  }
  const redirectTo = safeRedirectTarget(event.url.searchParams.get('redirectTo'));
  const { url, roundTrip } = startSignIn(provider, redirectTo);
  event.cookies.set(OIDC_COOKIE, JSON.stringify(roundTrip), {
    path: '/auth/oidc',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    maxAge: OIDC_STATE_TTL_SECONDS,
  });
  redirect(302, url.toString());
};
