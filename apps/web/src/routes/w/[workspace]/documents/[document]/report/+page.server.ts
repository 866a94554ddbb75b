/**
 * The print-ready consensus report of a checklist or rubric assessment (issue 39, exports): the
 * same report as the CSV ($lib/server/consensus-report), with launch readiness (the checklist),
 * section scores from the decisions, and the heatmap of the latest round with a reveal. The
 * workspace layout has let only members in; no such instrument here → the same 404. Raters are
 * named as the report names them: letters in an anonymised round, with the real names beside
 * them only for owners and facilitators ($lib/server/consensus-report).
 */
import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { loadConsensusReport } from '$lib/server/consensus-report';
import { reportSummary } from '$lib/server/consensus-report-model';
import { NOT_FOUND_MESSAGE } from '$lib/server/workspace-guard';
import { listWorkspaceDocuments } from '$lib/server/workspaces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { workspace, membership } = await event.parent();
  const user = event.locals.user;
  if (!user) error(404, NOT_FOUND_MESSAGE);
  const db = await getDb();
  const loaded = await loadConsensusReport(db, workspace.id, event.params.document, {
    userId: user.id,
    role: membership.role,
  });
  if (!loaded) error(404, NOT_FOUND_MESSAGE);
  const { instrument, template, report } = loaded;
  const documents = await listWorkspaceDocuments(db.sql, workspace.id);
  event.setHeaders({ 'cache-control': 'private, no-cache' });
  const summary = reportSummary(template, report);
  return {
    instrument: {
      id: instrument.id,
      kind: instrument.kind,
      title: instrument.title,
      schoolName: documents.find((d) => d.id === instrument.id)?.schoolName ?? null,
    },
    decisionWord: report.decisionWord,
    sections: report.sections,
    rounds: report.rounds.map((r) => ({
      number: r.number,
      anonymised: r.anonymised,
      revealed: Object.keys(r.revealed).length,
      sections: r.sections.length,
    })),
    readiness: summary.readiness,
    scores: summary.scores,
    heatmap: summary.heatmap,
    lowest: summary.lowest,
    generatedAt: new Date().toISOString(),
  };
};
