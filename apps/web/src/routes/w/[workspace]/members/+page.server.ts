/**
 * Members of a workspace: everyone sees the list (`members.view`); owners and facilitators invite
 * (`members.invite`), withdraw invitations, change roles and remove members (`members.manage`,
 * with @concord/auth's roleChangeProblem and the last-owner rule). Every action checks the role
 * itself: the page hiding a control is a courtesy, not the lock.
 */
import { redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { ROLE_LABELS, type Role } from '@concord/auth/roles';
import type { Db } from '$lib/server/db';
import { requireMember, allows, forbidden } from '$lib/server/workspace-guard';
import { FORM_ERROR, formFailure, validateForm, type FormValues } from '$lib/server/form';
import {
  createInvitation,
  INVITE_PROBLEM_TEXT,
  InviteSchema,
  listPendingInvitations,
  revokeInvitation,
  RevokeSchema,
} from '$lib/server/invitations';
import { mailerFromEnv, sendInvitation } from '$lib/server/mail';
import {
  ChangeRoleSchema,
  changeMemberRole,
  listMembers,
  MEMBER_PROBLEM_TEXT,
  RemoveMemberSchema,
  removeMember,
  representation,
} from '$lib/server/members';
import { listWorkspaceSchools } from '$lib/server/workspaces';
import { recheckOpenConnections } from '$lib/server/sync-hub';
import type { Actions, PageServerLoad } from './$types';

/**
 * The form's role and whom it represents, checked against the workspace's schools (returned too:
 * an invitation's email names the school). A problem is a failure on the `represents` field.
 */
async function checkRepresentation(
  db: Db,
  workspaceId: string,
  form: { data: { role: Role; represents?: string | undefined }; values: FormValues },
) {
  const schools = await listWorkspaceSchools(db.sql, workspaceId);
  const rep = representation(
    form.data.role,
    form.data.represents,
    schools.map((s) => s.id),
  );
  if (!rep.ok) {
    return {
      ok: false as const,
      failure: formFailure(400, form.values, { represents: rep.message }),
    };
  }
  return { ok: true as const, value: rep.value, schools };
}

export const load: PageServerLoad = async (event) => {
  const { db, access } = await requireMember(event);
  const id = access.workspace.id;
  const [members, schools, invitations] = await Promise.all([
    listMembers(db.sql, id),
    listWorkspaceSchools(db.sql, id),
    allows(access, 'members.invite') ? listPendingInvitations(db.sql, id) : Promise.resolve([]),
  ]);
  return {
    members: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })),
    schools,
    invitations: invitations.map((i) => ({
      ...i,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    })),
    mailConfigured: mailerFromEnv(env) !== null,
  };
};

export const actions: Actions = {
  invite: async (event) => {
    const { db, user, access } = await requireMember(event);
    if (!allows(access, 'members.invite')) return forbidden(access, 'members.invite');
    const form = await validateForm(event.request, InviteSchema);
    if (!form.ok) return form.failure;
    const rep = await checkRepresentation(db, access.workspace.id, form);
    if (!rep.ok) return rep.failure;
    const made = await createInvitation(db, {
      workspaceId: access.workspace.id,
      actorId: user.id,
      email: form.data.email,
      role: form.data.role,
      represents: rep.value,
    });
    if (!made.ok) {
      const field =
        made.problem === 'already-member'
          ? 'email'
          : made.problem === 'owner-only'
            ? 'role'
            : FORM_ERROR;
      return formFailure(made.problem === 'not-allowed' ? 403 : 400, form.values, {
        [field]: INVITE_PROBLEM_TEXT[made.problem],
      });
    }
    const link = new URL(`/invite/${made.token}`, event.url.origin).toString();
    const mailer = mailerFromEnv(env);
    const schoolName = rep.schools.find((s) => s.id === rep.value.schoolId)?.name ?? null;
    const sent = mailer
      ? await sendInvitation(mailer, {
          to: form.data.email,
          link,
          workspaceName: access.workspace.name,
          inviterName: user.name,
          role: form.data.role,
          represents: rep.value.represents === 'district' ? 'the district' : schoolName,
          expiresAt: made.invitation.expiresAt,
        })
      : null;
    return {
      invited: {
        email: form.data.email,
        role: ROLE_LABELS[form.data.role],
        mailed: sent?.sent === true,
        // The link is shown only when no email went out: it is the invitation itself.
        link: sent?.sent === true ? null : link,
        mailProblem: sent && !sent.sent ? sent.reason : null,
        expiresAt: made.invitation.expiresAt.toISOString(),
      },
    };
  },

  revoke: async (event) => {
    const { db, user, access } = await requireMember(event);
    if (!allows(access, 'members.invite')) return forbidden(access, 'members.invite');
    const form = await validateForm(event.request, RevokeSchema);
    if (!form.ok) return form.failure;
    const done = await revokeInvitation(db, {
      workspaceId: access.workspace.id,
      actorId: user.id,
      invitationId: form.data.invitationId,
    });
    if (!done) {
      return formFailure(404, form.values, {
        [FORM_ERROR]: 'That invitation was already accepted or withdrawn. Reload the page.',
      });
    }
    return { revoked: true };
  },

  role: async (event) => {
    const { db, user, access } = await requireMember(event);
    if (!allows(access, 'members.manage')) return forbidden(access, 'members.manage');
    const form = await validateForm(event.request, ChangeRoleSchema);
    if (!form.ok) return form.failure;
    const rep = await checkRepresentation(db, access.workspace.id, form);
    if (!rep.ok) return rep.failure;
    const result = await changeMemberRole(db, {
      workspaceId: access.workspace.id,
      actorId: user.id,
      userId: form.data.userId,
      role: form.data.role,
      represents: rep.value,
    });
    if (!result.ok) {
      return formFailure(result.problem === 'not-allowed' ? 403 : 400, form.values, {
        [FORM_ERROR]: MEMBER_PROBLEM_TEXT[result.problem],
      });
    }
    recheckOpenConnections(access.workspace.id);
    return { changed: form.data.userId };
  },

  remove: async (event) => {
    const { db, user, access } = await requireMember(event);
    if (!allows(access, 'members.manage')) return forbidden(access, 'members.manage');
    const form = await validateForm(event.request, RemoveMemberSchema);
    if (!form.ok) return form.failure;
    const result = await removeMember(db, {
      workspaceId: access.workspace.id,
      actorId: user.id,
      userId: form.data.userId,
    });
    if (!result.ok) {
      return formFailure(result.problem === 'not-allowed' ? 403 : 400, form.values, {
        [FORM_ERROR]: MEMBER_PROBLEM_TEXT[result.problem],
      });
    }
    recheckOpenConnections(access.workspace.id);
    // Someone who left can no longer see this page: take them home.
    if (form.data.userId === user.id) redirect(303, '/');
    return { removed: form.data.userId };
  },
};
