/**
 * GET /w/[workspace]/plan/[document]/plan.ics: every due date of the plan (goals and action
 * steps not done) as an iCalendar file, read from the document as the store holds it. Members
 * only, as the plan's CSV.
 */
import { createDocumentStore } from '@concord/db';
import { readPlan } from '@concord/documents';
import { error } from '@sveltejs/kit';
import * as Y from 'yjs';
import { dueCalendar, type DueItem } from '$lib/server/calendar';
import { attachment, exportFileName } from '$lib/server/consensus-report-model';
import { loadPlan } from '$lib/server/plan-documents';
import { NOT_FOUND_MESSAGE, requireMember } from '$lib/server/workspace-guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const { user, db, access } = await requireMember(event);
  const plan = await loadPlan(db.sql, access.workspace.id, event.params.document, user.id);
  if (!plan) error(404, NOT_FOUND_MESSAGE);
  const { state } = await createDocumentStore(db).load(plan.id);
  const doc = new Y.Doc();
  const items: DueItem[] = [];
  try {
    Y.applyUpdate(doc, state);
    const last = plan.template.goalStatuses.at(-1)?.id;
    for (const g of readPlan(doc, plan.template).goals) {
      const url = new URL(`/w/${access.workspace.id}/plan/${plan.id}#goal-${g.id}`, event.url).href;
      if (g.dueDate && g.status !== last) {
        const description = `${access.workspace.name} · ${plan.title}`;
        items.push({
          kind: 'goal',
          id: g.id,
          planId: plan.id,
          title: g.title,
          dueDate: g.dueDate,
          description,
          url,
        });
      }
      for (const s of g.steps) {
        if (!s.dueDate || s.status === 'done') continue;
        const description = `Goal: ${g.title} · ${access.workspace.name}`;
        items.push({
          kind: 'step',
          id: s.id,
          planId: plan.id,
          title: s.title,
          dueDate: s.dueDate,
          description,
          url,
        });
      }
    }
  } finally {
    doc.destroy();
  }
  const name = exportFileName(access.workspace.name, plan.title, 'due dates');
  return new Response(dueCalendar(items, name), {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': attachment(`${name}.ics`),
      'cache-control': 'private, no-store',
    },
  });
};
