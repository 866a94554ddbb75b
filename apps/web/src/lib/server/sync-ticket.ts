/**
 * Sync tickets: what a member may do on one document over the sync server, and the signed
 * ticket that says so. The capabilities come from the one table (`documentCapabilities` in
 * @concord/auth) with the member's role, the document's kind and owner, and whether its parent
 * has been revealed, read by @concord/db's `readAccessFacts`: the very read the sync server
 * makes when it checks the connection, so the ticket never promises what the server will not
 * grant (and when the role changes later, the server narrows the open connection itself).
 */
import { documentCapabilities, type SyncCapability } from '@concord/auth/roles';
import { readAccessFacts } from '@concord/db';
import { issueTicket, TICKET_TTL_SECONDS } from '@concord/sync-protocol/ticket';
import type { SqlSession } from './sql-statement.js';
import { publicSyncUrl, type SyncConfig } from './sync-config.js';

/**
 * The one answer when a member gets no ticket: no such document in this workspace (never made,
 * deleted, or another workspace's) and a document their role gives no read on (another rater's
 * ratings before reveal) look exactly alike, status and body, so a member cannot learn whether
 * another rater's ratings document exists. (The sync server admits only a ticket signed for the
 * very document asked for, so it cannot be asked in its place.)
 */
export const NO_TICKET = {
  status: 404,
  body: {
    error: 'not-found',
    reason: 'no-document',
    message:
      'There is no such document in this workspace, or it is not open to you. Reload the workspace page.',
  },
} as const;

export interface TicketSubject {
  /** The workspace the document must be in (the page's or route's). */
  workspaceId: string;
  documentId: string;
  /** The person; their role is read with the document, as the sync server reads it. */
  userId: string;
}

/**
 * The member's sync capabilities on the document (always including read), or `{ ok: false }`
 * alike for a document that is not there (or in another workspace) and one they may not read
 * (see NO_TICKET).
 */
export async function ticketCapabilities(
  db: SqlSession,
  subject: TicketSubject,
): Promise<{ ok: true; capabilities: readonly SyncCapability[] } | { ok: false }> {
  const facts = await readAccessFacts(db, subject.documentId, subject.userId);
  if (facts === null || facts.role === null) return { ok: false };
  if (facts.document.workspaceId !== subject.workspaceId.toLowerCase()) return { ok: false };
  const capabilities = documentCapabilities(
    { userId: subject.userId.toLowerCase(), role: facts.role },
    facts.document,
  );
  if (!capabilities.includes('read')) return { ok: false };
  return { ok: true, capabilities };
}

/** What GET …/documents/[document]/ticket answers. */
export interface SyncTicketResponse {
  /** The sync server's WebSocket base; the client appends `/<documentId>?ticket=…`. */
  url: string;
  ticket: string;
  capabilities: SyncCapability[];
  /** When the ticket stops opening connections (ISO 8601); fetch a new one to reconnect. */
  expiresAt: string;
}

/** Signs a ticket for the capabilities `ticketCapabilities` found. */
export function issueSyncTicket(
  config: SyncConfig,
  pageUrl: URL,
  grant: {
    userId: string;
    /** The person's display name: the sync server writes it into their presence. */
    name?: string;
    documentId: string;
    capabilities: readonly SyncCapability[];
  },
  now: number = Date.now(),
): SyncTicketResponse {
  const ticket = issueTicket({
    secret: config.ticketSecret,
    userId: grant.userId,
    ...(grant.name !== undefined && { name: grant.name }),
    documentId: grant.documentId,
    capabilities: grant.capabilities,
    ttlSeconds: TICKET_TTL_SECONDS,
    now,
  });
  return {
    url: publicSyncUrl(config, pageUrl),
    ticket,
    capabilities: [...grant.capabilities],
    expiresAt: new Date((Math.floor(now / 1000) + TICKET_TTL_SECONDS) * 1000).toISOString(),
  };
}

/**
 * Ready tickets for the documents a page opens, issued with its data so the browser can connect
 * as soon as the page has hydrated instead of asking the ticket route first (one round trip per
 * document). The same checks and capabilities as the ticket route; a document the member gets
 * no ticket for is left out (the page then asks the route, which says why). The page uses one
 * only while it is fresh ($lib/sync/ticket's `TicketSource`): they expire in TICKET_TTL_SECONDS.
 */
export async function pageTickets(
  db: SqlSession,
  config: SyncConfig,
  pageUrl: URL,
  member: Omit<TicketSubject, 'documentId'> & { name?: string },
  documentIds: readonly (string | null)[],
  now: number = Date.now(),
): Promise<Record<string, SyncTicketResponse>> {
  const ids = [...new Set(documentIds.filter((id): id is string => id !== null))];
  const found = await Promise.all(
    ids.map((documentId) => ticketCapabilities(db, { ...member, documentId })),
  );
  const tickets: Record<string, SyncTicketResponse> = {};
  ids.forEach((documentId, i) => {
    const f = found[i]!;
    if (!f.ok) return;
    tickets[documentId] = issueSyncTicket(
      config,
      pageUrl,
      {
        userId: member.userId,
        ...(member.name !== undefined && { name: member.name }),
        documentId: documentId.toLowerCase(),
        capabilities: f.capabilities,
      },
      now,
    );
  });
  return tickets;
}
