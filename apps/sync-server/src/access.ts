/**
 * Authorization against the database: what a user may do on a document right now, from the one
 * capability table (`documentCapabilities` in @concord/auth). The ticket says who the client is
 * and at most what it may do; this says what the member's role allows today. A connection gets
 * the intersection, when it opens and again whenever access may have changed (hub.ts
 * recheckAccess, fed by access-watcher.ts).
 *
 * The policy is a seam (AccessPolicy): the database implementation is one indexed query per
 * check; `trustTicket` keeps the ticket's word alone, for tests and embedders with no database.
 */
import {
  documentCapabilities,
  DOCUMENT_KINDS,
  ROLES,
  SYNC_CAPABILITIES,
  type DocumentKind,
  type SyncCapability,
} from '@concord/auth/roles';
import type { DbHandle } from '@concord/db';
import { z } from 'zod';
import { err, ok, type Result } from './result.js';

/** What a user may do on a document, and the workspace it belongs to (rechecks are per
 * workspace). workspaceId is null when the policy does not know it (trustTicket). */
export interface Access {
  capabilities: readonly SyncCapability[];
  workspaceId: string | null;
  /** The document's kind, whose shape every update is checked against (guard/chain.ts); null
   * when the policy does not know it (trustTicket: test servers with free-form documents). */
  kind: DocumentKind | null;
}

/**
 * Why a user may not open a document:
 * - no-document: it does not exist (never created, or deleted);
 * - not-a-member: the user is not a member of the document's workspace (or was removed);
 * - no-access: a member, but the role gives nothing on this document (someone else's ratings
 *   before reveal).
 */
export type AccessProblem = 'no-document' | 'not-a-member' | 'no-access';

export const ACCESS_PROBLEM_TEXT: Record<AccessProblem, string> = {
  'no-document': 'no such document (never created, or deleted)',
  'not-a-member': 'you are not a member of this document’s workspace',
  'no-access': 'your role does not allow reading this document (ratings are private until reveal)',
};

/** HTTP status of a refused upgrade, per problem. */
export const ACCESS_PROBLEM_STATUS: Record<AccessProblem, 403 | 404> = {
  'no-document': 404,
  'not-a-member': 403,
  'no-access': 403,
};

export interface AccessPolicy {
  /** Rejects only when the answer cannot be known (database unreachable): the caller refuses
   * the connection for now (503) or, for an open one, keeps it as it is and tries again. */
  capabilitiesFor(userId: string, documentId: string): Promise<Result<Access, AccessProblem>>;
}

/** Capabilities in both lists, in the table's order. */
export function intersectCapabilities(
  a: readonly SyncCapability[],
  b: readonly SyncCapability[],
): SyncCapability[] {
  return SYNC_CAPABILITIES.filter((c) => a.includes(c) && b.includes(c));
}

/** The ticket alone decides (the web app computed it from the same table when it issued it).
 * No database, so nothing to recheck: role changes reach open connections only via revoke(). */
export const trustTicket: AccessPolicy = {
  capabilitiesFor: async () =>
    ok({ capabilities: SYNC_CAPABILITIES, workspaceId: null, kind: null }),
};

const AccessRow = z.object({
  workspace_id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  owner_id: z.string().nullable(),
  revealed: z.boolean(),
  role: z.enum(ROLES).nullable(),
});

/**
 * The document, its workspace, the user's membership in it and, for a ratings document, whether
 * its parent (the assessment or checklist the ratings are for) has been revealed: one round trip,
 * all by primary key. Named, so PostgreSQL plans it once per pooled connection.
 */
const ACCESS_QUERY = {
  name: 'concord_sync_access',
  text: `select d.workspace_id::text as workspace_id, d.kind, d.owner_id::text as owner_id,
       (d.kind = 'ratings' and p.revealed_at is not null) as revealed, m.role
     from documents d
     left join documents p on p.id = d.parent_id
     left join memberships m on m.workspace_id = d.workspace_id and m.user_id = $2::uuid
     where d.id = $1::uuid`,
};

/** The database policy: the member's role on the document's workspace, through the table. */
export function databaseAccess(handle: Pick<DbHandle, 'sql'>): AccessPolicy {
  return {
    async capabilitiesFor(userId, documentId) {
      const rows = await handle.sql.query(ACCESS_QUERY, [documentId, userId]);
      if (rows.length === 0) return err('no-document');
      // Checked, not cast: a role or kind this build does not know must not grant anything.
      const row = AccessRow.parse(rows[0]);
      if (row.role === null) return err('not-a-member');
      const capabilities = documentCapabilities(
        { userId: userId.toLowerCase(), role: row.role },
        { kind: row.kind, ownerId: row.owner_id, revealed: row.revealed },
      );
      if (!capabilities.includes('read')) return err('no-access');
      return ok({
        capabilities,
        workspaceId: row.workspace_id,
        kind: row.kind,
      });
    },
  };
}
