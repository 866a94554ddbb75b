import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { deleteSessionCookie, invalidateSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  return { signedIn: locals.user !== null };
};

export const actions: Actions = {
  /** Signing out is a POST (a link or image could not sign anyone out behind their back). */
  default: async (event) => {
    if (event.locals.session) {
      await invalidateSession(await getDb(), event.locals.session.id);
    }
    deleteSessionCookie(event);
    redirect(303, '/');
  },
};
