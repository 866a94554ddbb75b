/**
 * Server hooks: at start, validate the single sign-on and sync settings (a bad OIDC_* or SYNC_*
 * value, or no SYNC_TICKET_SECRET in a built app, stops the process with a message naming it); on
 * every request, turn the session cookie into `locals.user` / `locals.session` (a request
 * without the cookie never touches the database), and compress what SvelteKit answers
 * ($lib/server/compress) when the browser accepts brotli or gzip.
 */
import type { Handle, ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { oidcConfig } from '$lib/server/auth/oidc-config';
import { compressResponse } from '$lib/server/compress';
import { getDb } from '$lib/server/db';
import { syncConfig } from '$lib/server/sync-config';
import {
  SESSION_COOKIE,
  deleteSessionCookie,
  setSessionCookie,
  validateSessionToken,
} from '$lib/server/session';

export const init: ServerInit = () => {
  // Throws OidcConfigError (one line per bad variable) when the settings are half-made.
  oidcConfig();
  // Throws SyncConfigError: tickets signed with a wrong or made-up secret would all be refused.
  syncConfig({ requireSecret: !dev });
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
  const response = await resolve(event);
  // Pages and their data compressed (49 KB of HTML on the largest document page; built assets
  // are served precompressed before this hook). Vite's dev server is left as it is.
  return dev ? response : compressResponse(event.request, response);
};
