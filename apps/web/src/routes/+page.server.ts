/** Home: signed in, my workspaces with my role and progress; signed out, the public landing. */
import { getDb } from '$lib/server/db';
import { listMyWorkspaces } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user) return { workspaces: null };
  return { workspaces: await listMyWorkspaces((await getDb()).sql, locals.user.id) };
};
