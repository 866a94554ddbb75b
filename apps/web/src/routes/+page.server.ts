/**
 * Home: signed in, my workspaces with my role and what each holds, and where I am a rater my own
 * rating progress there (from my ratings documents: nothing is loaded for other roles); signed
 * out, the public landing.
 */
import { getDb } from '$lib/server/db';
import { myRatingProgress, progressByWorkspace } from '$lib/server/instrument-progress';
import { listMyWorkspaces } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals }) => {
  if (!locals.user) return { workspaces: null };
  const db = await getDb();
  const [workspaces, progress] = await Promise.all([
    listMyWorkspaces(db.sql, locals.user.id),
    myRatingProgress(db, locals.user.id, null),
  ]);
  const mine = progressByWorkspace(progress);
  return {
    workspaces: workspaces.map((ws) => ({
      ...ws,
      /** Items I have rated of the items there are to rate; null unless I am a rater there. */
      myProgress: ws.role === 'rater' ? (mine.get(ws.id) ?? null) : null,
    })),
  };
}) satisfies PageServerLoad;
