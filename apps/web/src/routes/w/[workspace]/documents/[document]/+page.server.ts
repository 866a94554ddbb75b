/**
 * The document page of a Prerequisites checklist or a rubric assessment. The live content comes
 * from the sync server in the browser; this load gives what frames it: the template (the rubric
 * is the interface), the workspace's other instruments for navigation (and, for a per-school
 * tool, the other schools' copies), what this member may do, and for a rater the id of their
 * private ratings document (made on first visit); the instrument's comments document (made by
 * the first visitor) and the members who can be mentioned in it; and ready sync tickets for those
 * documents, so the page connects as soon as it has hydrated (no round trip to the ticket route
 * first). The tickets are this member's and short-lived (TICKET_TTL_SECONDS): the answer is
 * marked private, and the page uses a ticket only while it is fresh ($lib/sync/ticket).
 */
import { can, SHARED_DOCUMENT_ACCESS } from '@concord/auth/roles';
import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { getDb } from '$lib/server/db';
import {
  ensureCommentsDocument,
  ensureRatingsDocument,
  loadInstrument,
} from '$lib/server/instrument-documents';
import { listMembers } from '$lib/server/members';
import { goalsByItem } from '$lib/server/plan-documents';
import { documentRoundRaters } from '@concord/db/rounds';
import { syncConfig } from '$lib/server/sync-config';
import { pageTickets, type SyncTicketResponse } from '$lib/server/sync-ticket';
import { NOT_FOUND_MESSAGE } from '$lib/server/workspace-guard';
import { listWorkspaceDocuments } from '$lib/server/workspaces';
import type { Role } from '@concord/auth/roles';
import type { PageServerLoad } from './$types';

function editablePlan(
  workspaceId: string,
  documents: readonly { id: string; kind: string }[],
  role: Role,
): { workspace: string; document: string } | null {
  const plan = documents.find((d) => d.kind === 'plan');
  if (!plan || !SHARED_DOCUMENT_ACCESS.plan[role].includes('write')) return null;
  return { workspace: workspaceId, document: plan.id };
}

export const load: PageServerLoad = async (event) => {
  const { workspace, membership } = await event.parent();
  const user = event.locals.user;
  if (!user) error(404, NOT_FOUND_MESSAGE); // the layout already sent the signed-out away
  const db = await getDb();
  const instrument = await loadInstrument(db.sql, workspace.id, event.params.document, user.id);
  if (!instrument) error(404, NOT_FOUND_MESSAGE);
  const documents = await listWorkspaceDocuments(db.sql, workspace.id);
  const schoolName = documents.find((d) => d.id === instrument.id)?.schoolName ?? null;
  const rater = membership.role === 'rater';
  const ratingsDocumentId = rater
    ? await ensureRatingsDocument(db, {
        workspaceId: workspace.id,
        instrument,
        userId: user.id,
        userName: user.name,
      })
    : null;
  const [commentsDocumentId, members, addressedBy] = await Promise.all([
    ensureCommentsDocument(db, { workspaceId: workspace.id, instrument, userId: user.id }),
    listMembers(db.sql, workspace.id),
    goalsByItem(db.sql, workspace.id),
  ]);
  const capabilities = SHARED_DOCUMENT_ACCESS[instrument.kind][membership.role];
  const canDecide = capabilities.includes('decide');
  // Who each rater key of a round stands for: all of them for those who run rounds, my own key
  // for a rater (an anonymised round names raters by letter in the shared document).
  const keys = canDecide || rater ? await documentRoundRaters(db.sql, instrument.id) : {};
  const roundRaters: Record<string, Record<string, string>> = {};
  const myRaterKeys: Record<string, string> = {};
  for (const [roundId, list] of Object.entries(keys)) {
    if (canDecide) roundRaters[roundId] = Object.fromEntries(list.map((r) => [r.raterKey, r.name]));
    const mine = list.find((r) => r.userId === user.id);
    if (mine) myRaterKeys[roundId] = mine.raterKey;
  }
  // Without them (any failure) the page asks the ticket route, which says what is wrong.
  const tickets = await pageTickets(
    db.sql,
    syncConfig({ requireSecret: !dev }),
    event.url,
    { workspaceId: workspace.id, userId: user.id, name: user.name },
    [instrument.id, ratingsDocumentId, commentsDocumentId],
  ).catch((): Record<string, SyncTicketResponse> => ({}));
  // Holds this member's tickets: never kept by a shared cache.
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  return {
    instrument: {
      id: instrument.id,
      kind: instrument.kind,
      title: instrument.title,
      schoolName,
      revealed: instrument.revealed,
    },
    template: instrument.template,
    instruments: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      title: d.title,
      templateId: d.templateId,
      schoolName: d.schoolName,
    })),
    ratingsDocumentId,
    commentsDocumentId,
    /** Who can be @mentioned in a comment. */
    members: members.map((m) => ({ id: m.userId, name: m.name })),
    /** Who may lead (follow me): the members whose role runs rounds. */
    leaderIds: members.filter((m) => can(m.role, 'ratings.reveal')).map((m) => m.userId),
    canEdit: capabilities.includes('write'),
    /** The workspace's plan, when this member may edit it (a gap's "Create a goal" goes there). */
    plan: editablePlan(workspace.id, documents, membership.role),
    /** Item id → the plan's goals that address it (from the goals query table). */
    addressedBy,
    /** May run rating rounds (open, reveal, close, nudge). */
    canDecide,
    /** Round id → rater key → real name (facilitators and owners only). */
    roundRaters,
    /** Round id → my rater key in it. */
    myRaterKeys,
    canRate: rater && !instrument.revealed,
    me: { id: user.id, name: user.name },
    /** Sync tickets by document id, for the first connection of each (see above). */
    tickets,
  };
};
