/**
 * Authorization against the database: what a user may do on a document right now, from the one
 * capability table (`documentCapabilities` in @concord/auth). The ticket says who the client is
 * and at most what it may do; this says what the member's role allows today. A connection gets
 * the intersection, when it opens and again whenever access may have changed (hub.ts
 * recheckAccess, fed by access-watcher.ts).
 *
 * The policy is a seam (AccessPolicy): the database implementation reads the facts with
 * @concord/db's `readAccessFacts` (one indexed query per check, the same read the web app issues
 * tickets from); `trustTicket` keeps the ticket's word alone, for tests and embedders with no
 * database.
 */
import {
  documentCapabilities,
  SYNC_CAPABILITIES,
  type DocumentKind,
  type SyncCapability,
} from '@concord/auth/roles';
import { readAccessFacts, type DbHandle } from '@concord/db';
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

/** The database policy: the member's role on the document's workspace, through the table. A
 * kind or role this build does not know grants nothing (readAccessFacts checks, not casts). */
export function databaseAccess(handle: Pick<DbHandle, 'sql'>): AccessPolicy {
  return {
    async capabilitiesFor(userId, documentId) {
      const facts = await readAccessFacts(handle.sql, documentId, userId);
      if (facts === null) return err('no-document');
      const { document, role } = facts;
      if (role === null) return err('not-a-member');
      const capabilities = documentCapabilities({ userId: userId.toLowerCase(), role }, document);
      if (!capabilities.includes('read')) return err('no-access');
      return ok({
        capabilities,
        workspaceId: document.workspaceId,
        kind: document.kind,
      });
    },
  };
}
