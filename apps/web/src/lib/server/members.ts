/**
 * Members of a workspace: the list, changing a member's role (and whom a rater represents), and
 * removing a member. The rules are @concord/auth's (`members.manage`, roleChangeProblem: only an
 * owner touches owners) plus the one only the database can check: the last owner is never
 * demoted or removed. Each change writes its audit row in the same transaction; the sync server
 * watches those rows and re-checks the member's open connections at once.
 *
 * The acting person's role is read again inside the transaction (with the owners locked), so two
 * owners demoting each other at the same moment cannot leave the workspace without one.
 */
import { ROLES, roleChangeProblem, type Role } from '@concord/auth/roles';
import { z } from 'zod';
import type { Db } from './db.js';
import { isUuid, statement, type SqlSession, type SqlTx } from './sql-statement.js';
import { audit } from './workspaces.js';

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  represents: 'district' | 'school' | null;
  schoolId: string | null;
  schoolName: string | null;
  joinedAt: Date;
}

const MEMBERS = statement(
  'members',
  `select m.user_id, u.display_name, u.email, m.role, m.represents, m.school_id,
          s.name as school_name, m.created_at
   from memberships m join users u on u.id = m.user_id
   left join schools s on s.id = m.school_id
   where m.workspace_id = $1::uuid
   order by array_position(array['owner','facilitator','rater','viewer'], m.role),
            lower(u.display_name), u.email`,
);

/** The members, most powerful role first, then by name. */
export async function listMembers(db: SqlSession, workspaceId: string): Promise<Member[]> {
  const rows = await db.query<{
    user_id: string;
    display_name: string;
    email: string;
    role: Role;
    represents: 'district' | 'school' | null;
    school_id: string | null;
    school_name: string | null;
    created_at: Date;
  }>(MEMBERS, [workspaceId]);
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.display_name,
    email: r.email,
    role: r.role,
    represents: r.represents,
    schoolId: r.school_id,
    schoolName: r.school_name,
    joinedAt: new Date(r.created_at),
  }));
}

// ---- whom a rater represents ----

/** The form value for "represents the district". A school is its id. */
export const REPRESENTS_DISTRICT = 'district';

export interface Representation {
  represents: 'district' | 'school' | null;
  schoolId: string | null;
}

/**
 * A role with whom its holder represents: raters speak for the district or one school of the
 * workspace; other roles speak for nobody. `representsField` is the form value ("district" or a
 * school id). Returns an error message for the field, or the representation.
 */
export function representation(
  role: Role,
  representsField: string | undefined,
  workspaceSchoolIds: readonly string[],
): { ok: true; value: Representation } | { ok: false; message: string } {
  if (role !== 'rater') return { ok: true, value: { represents: null, schoolId: null } };
  if (!representsField) {
    return { ok: false, message: 'Choose whom the rater represents: the district or a school.' };
  }
  if (representsField === REPRESENTS_DISTRICT) {
    return { ok: true, value: { represents: 'district', schoolId: null } };
  }
  if (!workspaceSchoolIds.includes(representsField)) {
    return { ok: false, message: 'Choose the district or one of the workspace’s schools.' };
  }
  return { ok: true, value: { represents: 'school', schoolId: representsField } };
}

export const RoleField = z.enum(ROLES, { error: 'Choose a role from the list.' });

export const ChangeRoleSchema = z.object({
  userId: z.string({ error: 'Choose a member.' }).refine(isUuid, 'Choose a member from the list.'),
  role: RoleField,
  represents: z.string().trim().optional(),
});

export const RemoveMemberSchema = z.object({
  userId: z.string({ error: 'Choose a member.' }).refine(isUuid, 'Choose a member from the list.'),
});

// ---- changes ----

export type MemberProblem =
  'not-allowed' | 'owner-only' | 'last-owner' | 'not-a-member' | 'bad-representation';

/** What to tell the person, per problem. */
export const MEMBER_PROBLEM_TEXT: Record<MemberProblem, string> = {
  'not-allowed': 'Your role cannot change members of this workspace.',
  'owner-only': 'Only an owner can make someone an owner, or change or remove an owner.',
  'last-owner':
    'This is the workspace’s only owner. Make someone else an owner first, then change or remove this one.',
  'not-a-member': 'That person is not a member of this workspace (any more). Reload the page.',
  'bad-representation': 'Choose the district or one of the workspace’s schools.',
};

export type MemberChangeResult =
  { ok: true; changed: boolean } | { ok: false; problem: MemberProblem };

const LOCK_MEMBERS = statement(
  'lock_members',
  `select user_id, role from memberships
   where workspace_id = $1::uuid and (role = 'owner' or user_id = any($2::uuid[]))
   order by user_id for update`,
);
const SCHOOL_IN_WORKSPACE = statement(
  'school_in_workspace',
  `select 1 as found from workspace_schools where workspace_id = $1::uuid and school_id = $2::uuid`,
);
const UPDATE_ROLE = statement(
  'update_role',
  `update memberships set role = $3, represents = $4, school_id = $5::uuid
   where workspace_id = $1::uuid and user_id = $2::uuid`,
);
const REPRESENTATION = statement(
  'member_representation',
  `select represents, school_id from memberships
   where workspace_id = $1::uuid and user_id = $2::uuid`,
);
const DELETE_MEMBER = statement(
  'delete_member',
  `delete from memberships where workspace_id = $1::uuid and user_id = $2::uuid`,
);

interface Locked {
  actor: Role | null;
  target: Role | null;
  owners: number;
}

async function lockMembers(
  tx: SqlTx,
  workspaceId: string,
  actorId: string,
  userId: string,
): Promise<Locked> {
  const rows = await tx.query<{ user_id: string; role: Role }>(LOCK_MEMBERS, [
    workspaceId,
    [actorId, userId],
  ]);
  return {
    actor: rows.find((r) => r.user_id === actorId)?.role ?? null,
    target: rows.find((r) => r.user_id === userId)?.role ?? null,
    owners: rows.filter((r) => r.role === 'owner').length,
  };
}

export interface ChangeRoleInput {
  workspaceId: string;
  actorId: string;
  userId: string;
  role: Role;
  represents: Representation;
}

/** Changes a member's role and representation; audit row `membership.role-change`. */
export async function changeMemberRole(
  db: Db,
  input: ChangeRoleInput,
): Promise<MemberChangeResult> {
  const { workspaceId, actorId, userId, role, represents } = input;
  return db.sql.transaction(async (tx): Promise<MemberChangeResult> => {
    const locked = await lockMembers(tx, workspaceId, actorId, userId);
    if (locked.actor === null) return { ok: false, problem: 'not-allowed' };
    if (locked.target === null) return { ok: false, problem: 'not-a-member' };
    const problem = roleChangeProblem(locked.actor, locked.target, role);
    if (problem) return { ok: false, problem };
    if (locked.target === 'owner' && role !== 'owner' && locked.owners <= 1) {
      return { ok: false, problem: 'last-owner' };
    }
    if (represents.schoolId !== null) {
      const found = await tx.query(SCHOOL_IN_WORKSPACE, [workspaceId, represents.schoolId]);
      if (found.length === 0) return { ok: false, problem: 'bad-representation' };
    }
    const before = await tx.query<{ represents: string | null; school_id: string | null }>(
      REPRESENTATION,
      [workspaceId, userId],
    );
    const old = before[0];
    if (
      locked.target === role &&
      old?.represents === represents.represents &&
      old?.school_id === represents.schoolId
    ) {
      return { ok: true, changed: false };
    }
    await tx.query(UPDATE_ROLE, [
      workspaceId,
      userId,
      role,
      represents.represents,
      represents.schoolId,
    ]);
    await audit(tx, {
      workspaceId,
      actorId,
      action: 'membership.role-change',
      target: `user:${userId}`,
      data: {
        from: locked.target,
        to: role,
        represents: represents.represents,
        schoolId: represents.schoolId,
        previousRepresents: old?.represents ?? null,
        previousSchoolId: old?.school_id ?? null,
      },
    });
    return { ok: true, changed: true };
  });
}

export interface RemoveMemberInput {
  workspaceId: string;
  actorId: string;
  userId: string;
}

/** Removes a member (possibly oneself); audit row `membership.remove`. */
export async function removeMember(db: Db, input: RemoveMemberInput): Promise<MemberChangeResult> {
  const { workspaceId, actorId, userId } = input;
  return db.sql.transaction(async (tx): Promise<MemberChangeResult> => {
    const locked = await lockMembers(tx, workspaceId, actorId, userId);
    if (locked.actor === null) return { ok: false, problem: 'not-allowed' };
    if (locked.target === null) return { ok: false, problem: 'not-a-member' };
    const problem = roleChangeProblem(locked.actor, locked.target, null);
    if (problem) return { ok: false, problem };
    if (locked.target === 'owner' && locked.owners <= 1) {
      return { ok: false, problem: 'last-owner' };
    }
    await tx.query(DELETE_MEMBER, [workspaceId, userId]);
    await audit(tx, {
      workspaceId,
      actorId,
      action: 'membership.remove',
      target: `user:${userId}`,
      data: { from: locked.target, to: null, role: locked.target },
    });
    return { ok: true, changed: true };
  });
}
