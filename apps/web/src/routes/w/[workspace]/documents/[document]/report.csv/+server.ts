/**
 * GET /w/[workspace]/documents/[document]/report.csv: the consensus report of a checklist or
 * rubric assessment as a CSV file (one row per item and round; $lib/server/consensus-report-model).
 * Members only: signed out → sign in; not a member, no such instrument, or one this member may
 * not read → the same 404 (nothing given away). Private: never kept by a shared cache. An
 * anonymised round's raters are letters, with real names beside them only for a role that may see
 * who is who (owners and facilitators; $lib/server/consensus-report).
 */
import { error } from '@sveltejs/kit';
import { loadConsensusReport } from '$lib/server/consensus-report';
import { attachment, reportFileName, writeReportCsv } from '$lib/server/consensus-report-model';
import { NOT_FOUND_MESSAGE, requireMember } from '$lib/server/workspace-guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
  const { user, db, access } = await requireMember(event);
  const loaded = await loadConsensusReport(db, access.workspace.id, event.params.document, {
    userId: user.id,
    role: access.role,
  });
  if (!loaded) error(404, NOT_FOUND_MESSAGE);
  const filename = reportFileName(access.workspace.name, loaded.instrument.title);
  return new Response(writeReportCsv(loaded.report), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(filename),
      'cache-control': 'private, no-store',
    },
  });
};
