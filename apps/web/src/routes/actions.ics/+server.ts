/**
 * GET /actions.ics: the due dates of everything assigned to me (My actions) as an iCalendar
 * file, each event linking to its goal in the plan. Signed in only; private.
 */
import { requireSession } from '$lib/server/auth/guard';
import { dueCalendar } from '$lib/server/calendar';
import { attachment } from '$lib/server/consensus-report-model';
import { getDb } from '$lib/server/db';
import { myActions } from '$lib/server/my-actions';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const { user } = requireSession(event);
  const db = await getDb();
  const actions = await myActions(db.sql, user.id);
  const ics = dueCalendar(
    actions.flatMap((a) =>
      a.dueDate
        ? [
            {
              kind: a.kind,
              id: a.id,
              planId: a.planId,
              title: a.title,
              dueDate: a.dueDate,
              description: `${a.goalTitle ? `Goal: ${a.goalTitle} · ` : ''}${a.workspaceName}`,
              url: new URL(`/w/${a.workspaceId}/plan/${a.planId}#goal-${a.goalId}`, event.url).href,
            },
          ]
        : [],
    ),
    `My actions (${user.name})`,
  );
  return new Response(ics, {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': attachment('My actions.ics'),
      'cache-control': 'private, no-store',
    },
  });
};
