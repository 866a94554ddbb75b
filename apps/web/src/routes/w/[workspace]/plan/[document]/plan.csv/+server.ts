/**
 * GET /w/[workspace]/plan/[document]/plan.csv: the strategic plan as a CSV file (goals, action
 * steps, metrics; $lib/server/plan-export), read from the document as the store holds it (the
 * sync server stores every update before it acknowledges it). Members only: signed out → sign in;
 * not a member or no such plan → the same 404. Private: never kept by a shared cache.
 */
import { createDocumentStore } from '@concord/db';
import { readPlan } from '@concord/documents';
import { error } from '@sveltejs/kit';
import * as Y from 'yjs';
import { attachment, exportFileName } from '$lib/server/consensus-report-model';
import { listMembers } from '$lib/server/members';
import { loadPlan } from '$lib/server/plan-documents';
import { writePlanCsv } from '$lib/server/plan-export';
import { NOT_FOUND_MESSAGE, requireMember } from '$lib/server/workspace-guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const { user, db, access } = await requireMember(event);
  const plan = await loadPlan(db.sql, access.workspace.id, event.params.document, user.id);
  if (!plan) error(404, NOT_FOUND_MESSAGE);
  const [{ state }, members] = await Promise.all([
    createDocumentStore(db).load(plan.id),
    listMembers(db.sql, access.workspace.id),
  ]);
  const doc = new Y.Doc();
  let csv: string;
  try {
    Y.applyUpdate(doc, state);
    csv = writePlanCsv(
      readPlan(doc, plan.template),
      plan.template,
      Object.fromEntries(members.map((m) => [m.userId, m.name])),
    );
  } finally {
    doc.destroy();
  }
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(
        exportFileName(access.workspace.name, plan.title, 'plan.csv'),
      ),
      'cache-control': 'private, no-store',
    },
  });
};
