/**
 * My actions: the steps and goals assigned to me in every workspace, soonest due first (from the
 * query tables: lib/server/my-actions.ts), grouped by when they are due.
 */
import { requireSession } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { myActions } from '$lib/server/my-actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = requireSession(event);
  const db = await getDb();
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  return { actions: await myActions(db.sql, user.id) };
};
