/**
 * Sync tickets: what a member may do on one document over the sync server, and the signed
 * ticket that says so. The capabilities come from the one table (`documentCapabilities` in
 * @concord/auth) with the member's role, the document's kind and owner, and whether its parent
 * has been revealed: the same inputs the sync server reads when it checks the connection, so the
 * ticket never promises what the server will not grant (and when the role changes later, the
 * server narrows the open connection itself).
 */
import {
  documentCapabilities,
  DOCUMENT_KINDS,
  type Role,
  type SyncCapability,
} from '@concord/auth/roles';
import { issueTicket, TICKET_TTL_SECONDS } from '@concord/sync-protocol/ticket';
import { z } from 'zod';
import { isUuid, statement, type SqlSession } from './sql-statement.js';
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

const DOCUMENT_ACCESS = statement(
  'sync_ticket_document',
  `select d.kind, d.owner_id::text as owner_id,
          (d.kind = 'ratings' and p.revealed_at is not null) as revealed
   from documents d left join documents p on p.id = d.parent_id
   where d.id = $1::uuid and d.workspace_id = $2::uuid`,
);

const DocumentRow = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  owner_id: z.string().nullable(),
  revealed: z.boolean(),
});

export interface TicketSubject {
  workspaceId: string;
  documentId: string;
  userId: string;
  /** The member's role in the workspace now. */
  role: Role;
}

/**
 * The member's sync capabilities on the document (always including read), or `{ ok: false }`
 * alike for a document that is not there and one they may not read (see NO_TICKET).
 */
export async function ticketCapabilities(
  db: SqlSession,
  subject: TicketSubject,
): Promise<{ ok: true; capabilities: readonly SyncCapability[] } | { ok: false }> {
  if (!isUuid(subject.documentId)) return { ok: false };
  const [row] = await db.query(DOCUMENT_ACCESS, [subject.documentId, subject.workspaceId]);
  if (row === undefined) return { ok: false };
  // Checked, not cast: a kind this build does not know must not grant anything.
  const doc = DocumentRow.parse(row);
  const capabilities = documentCapabilities(
    { userId: subject.userId.toLowerCase(), role: subject.role },
    { kind: doc.kind, ownerId: doc.owner_id, revealed: doc.revealed },
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
