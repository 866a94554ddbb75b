/**
 * The consensus report of one checklist or rubric assessment, for the CSV route and the print
 * page (issue 39, exports): the instrument as its members may read it (loadInstrument), its Yjs
 * document as the store holds it (DocumentStore.load: the sync server stores every update
 * before it acknowledges it, so this is what the team sees), and the names of the workspace's
 * members for who recorded each decision. The report itself is consensus-report-model.ts (pure).
 * Rater names are the round's own ("Rater A" in an anonymised round), except for a member who may
 * see who is who: by the document page's rule, a role with `decide` on the instrument
 * (SHARED_DOCUMENT_ACCESS: owners and facilitators). For them, and only for them, the round_raters
 * table is read and an anonymised round's letters get the real name beside them ("Rater A (Dana
 * Smith)"); for raters and viewers it is not even read, so the mapping cannot leak into their CSV
 * or print page. Named rounds are the same for everyone.
 */
import { SHARED_DOCUMENT_ACCESS, type Role } from '@concord/auth/roles';
import { createDocumentStore } from '@concord/db';
import { documentRoundRaters } from '@concord/db/rounds';
import type { LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import { readReport, type RealNames, type Report } from './consensus-report-model.js';
import type { Db } from './db.js';
import { loadInstrument, type InstrumentDocument } from './instrument-documents.js';
import { listMembers } from './members.js';

export interface LoadedReport {
  instrument: InstrumentDocument;
  template: LeveledTemplate;
  report: Report;
}

/** The member a report is for: who they are and their role in the workspace (its membership). */
export interface ReportReader {
  userId: string;
  role: Role;
}

/** The report, or null when there is no such instrument here for this member (answer 404). */
export async function loadConsensusReport(
  db: Db,
  workspaceId: string,
  documentId: string,
  reader: ReportReader,
): Promise<LoadedReport | null> {
  const instrument = await loadInstrument(db.sql, workspaceId, documentId, reader.userId);
  if (!instrument) return null;
  // The document page's rule for who is shown all of round_raters: `decide` on the instrument.
  const seesWhoIsWho = SHARED_DOCUMENT_ACCESS[instrument.kind][reader.role].includes('decide');
  const [{ state }, members, keys] = await Promise.all([
    createDocumentStore(db).load(instrument.id),
    listMembers(db.sql, workspaceId),
    seesWhoIsWho ? documentRoundRaters(db.sql, instrument.id) : null,
  ]);
  const people = Object.fromEntries(members.map((m) => [m.userId, m.name]));
  const realNames: RealNames | null =
    keys &&
    Object.fromEntries(
      Object.entries(keys).map(([roundId, list]) => [
        roundId,
        Object.fromEntries(list.map((r) => [r.raterKey, r.name])),
      ]),
    );
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return {
      instrument,
      template: instrument.template,
      report: readReport(doc, instrument.template, people, realNames),
    };
  } finally {
    doc.destroy();
  }
}
