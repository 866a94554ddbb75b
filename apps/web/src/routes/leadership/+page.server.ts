/**
 * The leadership view: every workspace I am a member of at a glance, from the query tables
 * (lib/server/leadership.ts).
 */
import { requireSession } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { leadershipView } from '$lib/server/leadership';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = requireSession(event);
  const db = await getDb();
  // The server's calendar day decides "overdue" here; the plan page uses the browser's.
  const today = new Date().toISOString().slice(0, 10);
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  const view = await leadershipView(db.sql, user.id, today);
  return { workspaces: view.workspaces, cycles: view.cycles, today };
};
