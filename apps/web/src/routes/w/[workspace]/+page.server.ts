/**
 * The workspace overview: its instruments (each with its size and, for a rater, their own
 * progress from their ratings document), schools and the member's own role.
 */
import { instrumentSize, myRatingProgress } from '$lib/server/instrument-progress';
import { requireMember } from '$lib/server/workspace-guard';
import { listWorkspaceDocuments, listWorkspaceSchools } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
  const { db, access, user } = await requireMember(event);
  const [documents, schools, progress] = await Promise.all([
    listWorkspaceDocuments(db.sql, access.workspace.id),
    listWorkspaceSchools(db.sql, access.workspace.id),
    access.role === 'rater'
      ? myRatingProgress(db, user.id, access.workspace.id)
      : Promise.resolve([]),
  ]);
  const mine = new Map(progress.map((p) => [p.instrumentId, p]));
  return {
    documents: documents.map((doc) => {
      const my = mine.get(doc.id);
      return {
        ...doc,
        size: instrumentSize(doc.templateId, doc.templateVersion),
        /** My own progress (raters only): items rated in my ratings document, of all items. */
        myProgress: my ? { rated: my.rated, total: my.total } : null,
      };
    }),
    schools,
  };
}) satisfies PageServerLoad;
