/**
 * GET /w/[workspace]/documents/[document]/ticket: a sync ticket for one document, as JSON
 * `{ url, ticket, capabilities, expiresAt }` (see $lib/server/sync-ticket). An API, so refusals
 * are JSON too, shaped like the sync server's (`{ error, reason, message }`): signed out 401
 * (not a redirect), not a member 404; no such document here and no read on it (another rater's
 * ratings before reveal) the same 404 with the same body (NO_TICKET), so whether a document
 * exists is not given away. Never cached: a ticket is a short-lived credential.
 */
import { json } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { getDb } from '$lib/server/db';
import { syncConfig } from '$lib/server/sync-config';
import { issueSyncTicket, NO_TICKET, ticketCapabilities } from '$lib/server/sync-ticket';
import { NOT_FOUND_MESSAGE } from '$lib/server/workspace-guard';
import { workspaceAccess } from '$lib/server/workspaces';
import type { RequestHandler } from './$types';

const NO_STORE = { 'cache-control': 'no-store' };

function refuse(status: number, error: string, reason: string, message: string): Response {
  return json({ error, reason, message }, { status, headers: NO_STORE });
}

export const GET: RequestHandler = async (event) => {
  const user = event.locals.user;
  if (user === null) {
    return refuse(401, 'unauthorized', 'signed-out', 'Sign in, then ask for a ticket again.');
  }
  const db = await getDb();
  const access = await workspaceAccess(db.sql, event.params.workspace, user.id);
  if (access === null) return refuse(404, 'not-found', 'no-workspace', NOT_FOUND_MESSAGE);
  const found = await ticketCapabilities(db.sql, {
    workspaceId: access.workspace.id,
    documentId: event.params.document,
    userId: user.id,
  });
  if (!found.ok) {
    const { error, reason, message } = NO_TICKET.body;
    return refuse(NO_TICKET.status, error, reason, message);
  }
  const body = issueSyncTicket(syncConfig({ requireSecret: !dev }), event.url, {
    userId: user.id,
    name: user.name,
    documentId: event.params.document.toLowerCase(),
    capabilities: found.capabilities,
  });
  return json(body, { headers: NO_STORE });
};
