/**
 * The strategic plan page. The plan itself comes live from the sync server in the browser; this
 * load gives what frames it: the plan template (areas, phases, statuses), the School Planning
 * Tool's outcome measures (what metrics start from), the members who can
 * own goals and actions, the instruments' items with a team rating (from the query tables: what
 * goals address, and the readiness gaps), what this member may do, and a ready sync ticket (as
 * the document page does: private, short-lived).
 */
import { SHARED_DOCUMENT_ACCESS } from '@concord/auth/roles';
import { maPlnSchoolPlanning } from '@concord/rubric-core/templates';
import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { outcomeMeasures } from '$lib/plan/metrics';
import { getDb } from '$lib/server/db';
import { listMembers } from '$lib/server/members';
import { loadPlan, workspaceRatedItems } from '$lib/server/plan-documents';
import { syncConfig } from '$lib/server/sync-config';
import { pageTickets, type SyncTicketResponse } from '$lib/server/sync-ticket';
import { NOT_FOUND_MESSAGE } from '$lib/server/workspace-guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { workspace, membership } = await event.parent();
  const user = event.locals.user;
  if (!user) error(404, NOT_FOUND_MESSAGE);
  const db = await getDb();
  const plan = await loadPlan(db.sql, workspace.id, event.params.document, user.id);
  if (!plan) error(404, NOT_FOUND_MESSAGE);
  const [members, rated] = await Promise.all([
    listMembers(db.sql, workspace.id),
    workspaceRatedItems(db.sql, workspace.id),
  ]);
  const tickets = await pageTickets(
    db.sql,
    syncConfig({ requireSecret: !dev }),
    event.url,
    { workspaceId: workspace.id, userId: user.id, name: user.name },
    [plan.id],
  ).catch((): Record<string, SyncTicketResponse> => ({}));
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  return {
    plan: { id: plan.id, title: plan.title },
    template: plan.template,
    /** Who can own a goal or an action. */
    members: members.map((m) => ({ id: m.userId, name: m.name })),
    /** The instruments' items with a team rating: what goals link to, and the gaps. */
    rated,
    /** The School Planning Tool's 13 outcome measures, which metrics start from. */
    measures: outcomeMeasures(maPlnSchoolPlanning),
    canEdit: SHARED_DOCUMENT_ACCESS.plan[membership.role].includes('write'),
    me: { id: user.id, name: user.name },
    tickets,
  };
};
