/**
 * Invitations: an owner or facilitator invites someone by email with a role (and, for a rater,
 * whom they represent). The link carries a random token (@concord/auth generateToken); only its
 * SHA-256 is stored, so a leaked table cannot be used to join. A link works once, until
 * INVITATION_TTL_MS after it was made, and not after it was withdrawn (the row is deleted).
 *
 * Accepting is one statement that marks the invitation used only if it is still unused and
 * unexpired, so two people racing with one link cannot both join; the membership and its audit
 * rows are written in the same transaction.
 */
import { hashToken, isWellFormedToken } from '@concord/auth';
import { can, roleChangeProblem, type Role } from '@concord/auth/roles';
import { generateToken } from '@concord/auth';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from './auth/limits.js';
import type { Db } from './db.js';
import { RoleField, type Representation } from './members.js';
import { isUuid, statement, type SqlSession } from './sql-statement.js';
import { INVITATION_TTL_MS, PENDING_INVITATIONS_LISTED } from './workspace-limits.js';
import { audit } from './workspaces.js';

export const InviteSchema = z.object({
  email: z
    .string({ error: 'Enter the email address to invite.' })
    .trim()
    .min(1, 'Enter the email address to invite.')
    .max(EMAIL_MAX_LENGTH, `Use at most ${EMAIL_MAX_LENGTH} characters.`)
    .pipe(z.email({ error: 'Enter an email address like name@district.org.' })),
  role: RoleField,
  represents: z.string().trim().optional(),
});

export const RevokeSchema = z.object({
  invitationId: z
    .string({ error: 'Choose an invitation.' })
    .refine(isUuid, 'Choose an invitation from the list.'),
});

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  represents: 'district' | 'school' | null;
  schoolName: string | null;
  invitedByName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export type InviteProblem = 'not-allowed' | 'owner-only' | 'already-member';

export const INVITE_PROBLEM_TEXT: Record<InviteProblem, string> = {
  'not-allowed': 'Your role cannot invite people to this workspace.',
  'owner-only': 'Only an owner can invite someone as an owner.',
  'already-member': 'This person is already a member of the workspace.',
};

export interface CreateInvitationInput {
  workspaceId: string;
  actorId: string;
  email: string;
  role: Role;
  represents: Representation;
}

export type CreateInvitationResult =
  | { ok: true; token: string; invitation: { id: string; expiresAt: Date } }
  | { ok: false; problem: InviteProblem };

const ACTOR_ROLE = statement(
  'actor_role',
  `select role from memberships where workspace_id = $1::uuid and user_id = $2::uuid`,
);
const MEMBER_BY_EMAIL = statement(
  'member_by_email',
  `select 1 as found from memberships m join users u on u.id = m.user_id
   where m.workspace_id = $1::uuid and lower(u.email) = lower($2)`,
);
const INSERT_INVITATION = statement(
  'insert_invitation',
  `insert into invitations (token_hash, workspace_id, email, role, represents, school_id,
                            invited_by, created_at, expires_at)
   values ($1, $2::uuid, $3, $4, $5, $6::uuid, $7::uuid, $8, $9)
   returning id, expires_at`,
);

/**
 * Makes an invitation and returns its token (to put in the link; it is not stored). The caller
 * has checked that a school in `represents` is one of the workspace's.
 */
export async function createInvitation(
  db: Db,
  input: CreateInvitationInput,
  now: Date = new Date(),
): Promise<CreateInvitationResult> {
  const { workspaceId, actorId, email, role, represents } = input;
  return db.sql.transaction(async (tx): Promise<CreateInvitationResult> => {
    const [actor] = await tx.query<{ role: Role }>(ACTOR_ROLE, [workspaceId, actorId]);
    if (!actor || !can(actor.role, 'members.invite')) return { ok: false, problem: 'not-allowed' };
    if (roleChangeProblem(actor.role, null, role) === 'owner-only') {
      return { ok: false, problem: 'owner-only' };
    }
    if ((await tx.query(MEMBER_BY_EMAIL, [workspaceId, email])).length > 0) {
      return { ok: false, problem: 'already-member' };
    }
    const token = generateToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const [row] = await tx.query<{ id: string; expires_at: Date }>(INSERT_INVITATION, [
      hashToken(token),
      workspaceId,
      email,
      role,
      represents.represents,
      represents.schoolId,
      actorId,
      now,
      expiresAt,
    ]);
    await audit(tx, {
      workspaceId,
      actorId,
      action: 'invitation.create',
      target: `invitation:${row!.id}`,
      data: { email, role, represents: represents.represents, schoolId: represents.schoolId },
    });
    return { ok: true, token, invitation: { id: row!.id, expiresAt: new Date(row!.expires_at) } };
  });
}

const PENDING = statement(
  'pending_invitations',
  `select i.id, i.email, i.role, i.represents, s.name as school_name,
          u.display_name as invited_by_name, i.created_at, i.expires_at
   from invitations i left join schools s on s.id = i.school_id
   left join users u on u.id = i.invited_by
   where i.workspace_id = $1::uuid and i.used_at is null and i.expires_at > $2
   order by i.created_at desc limit ${PENDING_INVITATIONS_LISTED}`,
);

/** Invitations not yet accepted and not expired, newest first. */
export async function listPendingInvitations(
  db: SqlSession,
  workspaceId: string,
  now: Date = new Date(),
): Promise<PendingInvitation[]> {
  const rows = await db.query<{
    id: string;
    email: string;
    role: Role;
    represents: 'district' | 'school' | null;
    school_name: string | null;
    invited_by_name: string | null;
    created_at: Date;
    expires_at: Date;
  }>(PENDING, [workspaceId, now]);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    represents: r.represents,
    schoolName: r.school_name,
    invitedByName: r.invited_by_name,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
  }));
}

const DELETE_PENDING = statement(
  'delete_invitation',
  `delete from invitations where id = $1::uuid and workspace_id = $2::uuid and used_at is null
   returning email, role`,
);

/**
 * Withdraws a pending invitation: its link stops working at once. False when there is no such
 * pending invitation in this workspace (already accepted, already withdrawn, another workspace's).
 * The caller has checked `members.invite`.
 */
export async function revokeInvitation(
  db: Db,
  input: { workspaceId: string; actorId: string; invitationId: string },
): Promise<boolean> {
  return db.sql.transaction(async (tx) => {
    const [row] = await tx.query<{ email: string; role: string }>(DELETE_PENDING, [
      input.invitationId,
      input.workspaceId,
    ]);
    if (!row) return false;
    await audit(tx, {
      workspaceId: input.workspaceId,
      actorId: input.actorId,
      action: 'invitation.revoke',
      target: `invitation:${input.invitationId}`,
      data: { email: row.email, role: row.role },
    });
    return true;
  });
}

// ---- following a link ----

export interface InvitationDetails {
  id: string;
  workspaceId: string;
  workspaceName: string;
  districtName: string;
  email: string;
  role: Role;
  represents: 'district' | 'school' | null;
  schoolName: string | null;
  invitedByName: string | null;
  expiresAt: Date;
}

/** What a link leads to. A withdrawn or mistyped link is `unknown`: the row is gone. */
export type InvitationLookup =
  | { status: 'valid'; invitation: InvitationDetails }
  | { status: 'used' }
  | { status: 'expired' }
  | { status: 'unknown' };

const BY_HASH = statement(
  'invitation_by_hash',
  `select i.id, i.workspace_id, w.name as workspace_name, d.name as district_name, i.email,
          i.role, i.represents, s.name as school_name, u.display_name as invited_by_name,
          i.expires_at, i.used_at
   from invitations i join workspaces w on w.id = i.workspace_id
   join districts d on d.id = w.district_id
   left join schools s on s.id = i.school_id
   left join users u on u.id = i.invited_by
   where i.token_hash = $1`,
);

/** The invitation behind a link's token, and whether it can still be accepted. */
export async function lookupInvitation(
  db: SqlSession,
  token: string,
  now: Date = new Date(),
): Promise<InvitationLookup> {
  if (!isWellFormedToken(token)) return { status: 'unknown' };
  const [row] = await db.query<{
    id: string;
    workspace_id: string;
    workspace_name: string;
    district_name: string;
    email: string;
    role: Role;
    represents: 'district' | 'school' | null;
    school_name: string | null;
    invited_by_name: string | null;
    expires_at: Date;
    used_at: Date | null;
  }>(BY_HASH, [hashToken(token)]);
  if (!row) return { status: 'unknown' };
  if (row.used_at !== null) return { status: 'used' };
  if (new Date(row.expires_at).getTime() <= now.getTime()) return { status: 'expired' };
  return {
    status: 'valid',
    invitation: {
      id: row.id,
      workspaceId: row.workspace_id,
      workspaceName: row.workspace_name,
      districtName: row.district_name,
      email: row.email,
      role: row.role,
      represents: row.represents,
      schoolName: row.school_name,
      invitedByName: row.invited_by_name,
      expiresAt: new Date(row.expires_at),
    },
  };
}

export type AcceptResult =
  | { status: 'accepted'; workspaceId: string; role: Role }
  | { status: 'already-member'; workspaceId: string; role: Role }
  | { status: 'used' }
  | { status: 'expired' }
  | { status: 'unknown' };

const CLAIM = statement(
  'claim_invitation',
  `update invitations set used_at = $2, used_by = $3::uuid
   where token_hash = $1 and used_at is null and expires_at > $2
   returning id, workspace_id, role, represents, school_id`,
);
const INSERT_MEMBER = statement(
  'insert_member',
  `insert into memberships (workspace_id, user_id, role, represents, school_id)
   values ($1::uuid, $2::uuid, $3, $4, $5::uuid)
   on conflict (workspace_id, user_id) do nothing
   returning role`,
);
const EXISTING_ROLE = statement(
  'existing_role',
  `select role from memberships where workspace_id = $1::uuid and user_id = $2::uuid`,
);

/**
 * Accepts the invitation for the signed-in person: they become a member with its role. The link
 * is used up either way; someone already a member keeps the role they have.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  userId: string,
  now: Date = new Date(),
): Promise<AcceptResult> {
  if (!isWellFormedToken(token)) return { status: 'unknown' };
  const hash = hashToken(token);
  return db.sql.transaction(async (tx): Promise<AcceptResult> => {
    const [claimed] = await tx.query<{
      id: string;
      workspace_id: string;
      role: Role;
      represents: 'district' | 'school' | null;
      school_id: string | null;
    }>(CLAIM, [hash, now, userId]);
    if (!claimed) {
      const found = await lookupInvitation(tx, token, now);
      // Claimed by someone between our update and this read: it is used now.
      return found.status === 'valid' ? { status: 'used' } : found;
    }
    const workspaceId = claimed.workspace_id;
    const [inserted] = await tx.query<{ role: Role }>(INSERT_MEMBER, [
      workspaceId,
      userId,
      claimed.role,
      claimed.represents,
      claimed.school_id,
    ]);
    await audit(tx, {
      workspaceId,
      actorId: userId,
      action: 'invitation.accept',
      target: `invitation:${claimed.id}`,
      data: { role: claimed.role, joined: inserted !== undefined },
    });
    if (!inserted) {
      const [existing] = await tx.query<{ role: Role }>(EXISTING_ROLE, [workspaceId, userId]);
      return { status: 'already-member', workspaceId, role: existing?.role ?? claimed.role };
    }
    await audit(tx, {
      workspaceId,
      actorId: userId,
      action: 'membership.add',
      target: `user:${userId}`,
      data: {
        from: null,
        to: claimed.role,
        role: claimed.role,
        represents: claimed.represents,
        schoolId: claimed.school_id,
        invitationId: claimed.id,
      },
    });
    return { status: 'accepted', workspaceId, role: claimed.role };
  });
}
