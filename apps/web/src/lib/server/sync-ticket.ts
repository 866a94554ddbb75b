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
import { issueTicket, TICKET_TTL_SECONDS } from '@concord/sync-server/auth';
import { z } from 'zod';
import { isUuid, statement, type SqlSession } from './sql-statement.js';
import { publicSyncUrl, type SyncConfig } from './sync-config.js';

/**
 * Why a member gets no ticket:
 * - no-document: no such document in this workspace (the same answer as a document that
 *   exists elsewhere, so ids cannot be probed);
 * - no-access: the role gives no read on it (another rater's ratings before reveal).
 */
export type TicketProblem = 'no-document' | 'no-access';

export const TICKET_PROBLEM_TEXT: Record<TicketProblem, string> = {
  'no-document': 'There is no such document in this workspace. Reload the workspace page.',
  'no-access':
    'Ratings are private until a facilitator reveals them: only their rater may open this ratings document before then.',
};

export const TICKET_PROBLEM_STATUS: Record<TicketProblem, 403 | 404> = {
  'no-document': 404,
  'no-access': 403,
};

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

/** The member's sync capabilities on the document (always including read), or why none. */
export async function ticketCapabilities(
  db: SqlSession,
  subject: TicketSubject,
): Promise<
  { ok: true; capabilities: readonly SyncCapability[] } | { ok: false; problem: TicketProblem }
> {
  if (!isUuid(subject.documentId)) return { ok: false, problem: 'no-document' };
  const [row] = await db.query(DOCUMENT_ACCESS, [subject.documentId, subject.workspaceId]);
  if (row === undefined) return { ok: false, problem: 'no-document' };
  // Checked, not cast: a kind this build does not know must not grant anything.
  const doc = DocumentRow.parse(row);
  const capabilities = documentCapabilities(
    { userId: subject.userId.toLowerCase(), role: subject.role },
    { kind: doc.kind, ownerId: doc.owner_id, revealed: doc.revealed },
  );
  if (!capabilities.includes('read')) return { ok: false, problem: 'no-access' };
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
  grant: { userId: string; documentId: string; capabilities: readonly SyncCapability[] },
  now: number = Date.now(),
): SyncTicketResponse {
  const ticket = issueTicket({
    secret: config.ticketSecret,
    userId: grant.userId,
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
