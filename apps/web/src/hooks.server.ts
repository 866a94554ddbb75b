/**
 * Server hooks: at start, validate the single sign-on settings (a bad OIDC_* value stops the
 * process with a message naming it); on every request, turn the session cookie into
 * `locals.user` / `locals.session`. A request without the cookie never touches the database.
 */
import type { Handle, ServerInit } from '@sveltejs/kit';
import { oidcConfig } from '$lib/server/auth/oidc-config';
import { getDb } from '$lib/server/db';
import {
  SESSION_COOKIE,
  deleteSessionCookie,
  setSessionCookie,
  validateSessionToken,
} from '$lib/server/session';

export const init: ServerInit = () => {
  // Throws OidcConfigError (one line per bad variable) when the settings are half-made.
  oidcConfig();
};

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.session = null;
  const token = event.cookies.get(SESSION_COOKIE);
  if (token !== undefined) {
    const found = await validateSessionToken(await getDb(), token);
    if (found === null) {
      deleteSessionCookie(event);
    } else {
      event.locals.user = found.user;
      event.locals.session = { id: found.session.id, expiresAt: found.session.expiresAt };
      if (found.renewed) setSessionCookie(event, token, found.session.expiresAt);
    }
  }
  return resolve(event);
};
