/**
 * The board report of a strategic plan (issue 25), ready to print: readiness, barriers, the plan
 * by area and the outcome metrics, from the query tables ($lib/server/board-report). The same
 * guard as the plan page and its CSV: the workspace layout lets only members in, and loadPlan
 * answers null for another workspace's document or one that is not a plan → the same 404.
 */
import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { loadBoardReport } from '$lib/server/board-report';
import { loadPlan } from '$lib/server/plan-documents';
import { NOT_FOUND_MESSAGE } from '$lib/server/workspace-guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { workspace } = await event.parent();
  const user = event.locals.user;
  if (!user) error(404, NOT_FOUND_MESSAGE);
  const db = await getDb();
  const plan = await loadPlan(db.sql, workspace.id, event.params.document, user.id);
  if (!plan) error(404, NOT_FOUND_MESSAGE);
  const now = new Date();
  // The server's calendar day decides "overdue", as in the leadership view.
  const today = now.toISOString().slice(0, 10);
  const report = await loadBoardReport(db.sql, workspace.id, plan.id, plan.template, today);
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  return {
    plan: { id: plan.id, title: plan.title },
    report,
    today,
    generatedAt: now.toISOString(),
  };
};
