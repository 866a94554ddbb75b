/**
 * The facts access is decided from, about one document and one person, in one round trip: the
 * document (its kind, workspace, parent, owner, template, school, title, and whether its
 * instrument has been revealed) and the person's role in the document's workspace. The sync
 * server (each connection, each recheck) and the web app (tickets, the document page) read
 * them here, so both decide from the same inputs; the decision itself is
 * `documentCapabilities` in @concord/auth/roles.
 */
import { DOCUMENT_KINDS, ROLES, type DocumentKind, type Role } from '@concord/auth/roles';
import { z } from 'zod';
import type { SqlSession, Statement } from './sql-runner.js';

export interface DocumentFacts {
  id: string;
  kind: DocumentKind;
  workspaceId: string;
  /** The document this one belongs to (a ratings or comments document's instrument). */
  parentId: string | null;
  /** The rater a ratings document belongs to; null for shared documents. */
  ownerId: string | null;
  templateId: string | null;
  templateVersion: number | null;
  schoolId: string | null;
  title: string;
  /**
   * Whether the ratings of the instrument this document belongs to have been revealed: its own
   * `revealed_at` for an instrument, its parent's for a ratings (or comments) document.
   */
  revealed: boolean;
}

export interface AccessFacts {
  document: DocumentFacts;
  /** The person's role in the document's workspace; null when they are not a member. */
  role: Role | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Named, so PostgreSQL plans it once per pooled connection; all by primary key. */
const ACCESS_FACTS: Statement = {
  name: 'concord_db_access_facts',
  text: `select d.id::text as id, d.kind, d.workspace_id::text as workspace_id,
       d.parent_id::text as parent_id, d.owner_id::text as owner_id, d.template_id,
       d.template_version, d.school_id::text as school_id, d.title,
       case when d.parent_id is null then d.revealed_at is not null
            else p.revealed_at is not null end as revealed,
       m.role
     from documents d
     left join documents p on p.id = d.parent_id
     left join memberships m on m.workspace_id = d.workspace_id and m.user_id = $2::uuid
     where d.id = $1::uuid`,
};

// Checked, not cast: a kind or role this build does not know must not grant anything.
const FactsRow = z.object({
  id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  workspace_id: z.string(),
  parent_id: z.string().nullable(),
  owner_id: z.string().nullable(),
  template_id: z.string().nullable(),
  template_version: z.number().int().nullable(),
  school_id: z.string().nullable(),
  title: z.string(),
  revealed: z.boolean(),
  role: z.enum(ROLES).nullable(),
});

/**
 * The document's facts and the person's role, or null when there is no such document (never
 * made, deleted, or an id that is not a UUID). A user id that is not a UUID is no member.
 * Rejects only when the database cannot answer.
 */
export async function readAccessFacts(
  sql: SqlSession,
  documentId: string,
  userId: string,
): Promise<AccessFacts | null> {
  if (!UUID.test(documentId)) return null;
  const [row] = await sql.query(ACCESS_FACTS, [documentId, UUID.test(userId) ? userId : null]);
  if (row === undefined) return null;
  const r = FactsRow.parse(row);
  return {
    document: {
      id: r.id,
      kind: r.kind,
      workspaceId: r.workspace_id,
      parentId: r.parent_id,
      ownerId: r.owner_id,
      templateId: r.template_id,
      templateVersion: r.template_version,
      schoolId: r.school_id,
      title: r.title,
      revealed: r.revealed,
    },
    role: r.role,
  };
}
