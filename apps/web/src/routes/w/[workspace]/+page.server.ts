/** The workspace overview: its instruments, schools and the member's own role. */
import { requireMember } from '$lib/server/workspace-guard';
import { listWorkspaceDocuments, listWorkspaceSchools } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { db, access } = await requireMember(event);
  const [documents, schools] = await Promise.all([
    listWorkspaceDocuments(db.sql, access.workspace.id),
    listWorkspaceSchools(db.sql, access.workspace.id),
  ]);
  return { documents, schools };
};
