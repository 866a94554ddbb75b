/**
 * The consensus report of one checklist or rubric assessment, for the CSV route and the print
 * page (issue 39, exports): the instrument as its members may read it (loadInstrument), its Yjs
 * document as the store holds it (DocumentStore.load: the sync server stores every update
 * before it acknowledges it, so this is what the team sees), and the names of the workspace's
 * members for who recorded each decision. The report itself is consensus-report-model.ts (pure).
 * Rater names are the round's own ("Rater A" in an anonymised round) for everyone.
 */
import { createDocumentStore } from '@concord/db';
import type { LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { readReport, type Report } from './consensus-report-model.js';
import type { Db } from './db.js';
import { loadInstrument, type InstrumentDocument } from './instrument-documents.js';
import { listMembers } from './members.js';

export interface LoadedReport {
  instrument: InstrumentDocument;
  template: LeveledTemplate;
  report: Report;
}

/** The report, or null when there is no such instrument here for this member (answer 404). */
export async function loadConsensusReport(
  db: Db,
  workspaceId: string,
  documentId: string,
  userId: string,
): Promise<LoadedReport | null> {
  const instrument = await loadInstrument(db.sql, workspaceId, documentId, userId);
  if (!instrument) return null;
  const [{ state }, members] = await Promise.all([
    createDocumentStore(db).load(instrument.id),
    listMembers(db.sql, workspaceId),
  ]);
  const people = Object.fromEntries(members.map((m) => [m.userId, m.name]));
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return {
      instrument,
      template: instrument.template,
      report: readReport(doc, instrument.template, people),
    };
  } finally {
    doc.destroy();
  }
}
