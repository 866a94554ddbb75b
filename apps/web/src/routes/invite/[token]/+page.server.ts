/**
 * Following an invitation link. Signed in: one button accepts it. Signed out: create an account
 * or sign in, and come back here (`?redirectTo=`) to accept. A used, expired or withdrawn link
 * gets a page saying so and what to do, never an error page.
 */
import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { acceptInvitation, lookupInvitation } from '$lib/server/invitations';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
  const found = await lookupInvitation((await getDb()).sql, params.token);
  const here = `/invite/${encodeURIComponent(params.token)}`;
  return {
    here,
    status: found.status,
    invitation:
      found.status === 'valid'
        ? {
            workspaceName: found.invitation.workspaceName,
            districtName: found.invitation.districtName,
            email: found.invitation.email,
            role: found.invitation.role,
            represents: found.invitation.represents,
            schoolName: found.invitation.schoolName,
            invitedByName: found.invitation.invitedByName,
            expiresAt: found.invitation.expiresAt.toISOString(),
          }
        : null,
    signedInAs: locals.user?.email ?? null,
  };
};

export const actions: Actions = {
  accept: async (event) => {
    const user = requireUser(event);
    const result = await acceptInvitation(await getDb(), event.params.token, user.id);
    if (result.status === 'accepted' || result.status === 'already-member') {
      redirect(303, `/w/${result.workspaceId}`);
    }
    return fail(result.status === 'unknown' ? 404 : 410, { status: result.status });
  },
};
