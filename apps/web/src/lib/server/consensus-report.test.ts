/**
 * Who sees who is who in the consensus report of an anonymised round, on a scratch database:
 * the loader reads round_raters for owners and facilitators (the document page's rule: `decide`
 * on the instrument) and gives the real names beside the letters; raters and viewers get the
 * letters only. Both exports are checked through their routes as SvelteKit calls them, with the
 * role read from the membership as in production: report.csv and the print page.
 */
import type { Role } from '@concord/auth/roles';
import { createDocumentStore } from '@concord/db';
import { addRoundRaters } from '@concord/db/rounds';
import { writeOpenRound, writeReveal } from '@concord/documents';
import { outline } from '@concord/rubric-core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { GET as csvRoute } from '../../routes/w/[workspace]/documents/[document]/report.csv/+server';
import { load as reportPageLoad } from '../../routes/w/[workspace]/documents/[document]/report/+page.server';
import { load as workspaceLayoutLoad } from '../../routes/w/[workspace]/+layout.server';
import { loadConsensusReport } from './consensus-report.js';
import type { ReportSection } from './consensus-report-model.js';
import { DB_GLOBAL_KEY } from './db.js';
import { loadInstrument } from './instrument-documents.js';
import { statement } from './sql-statement.js';
import { addPerson, addWorkspace, useScratchDb } from './workspace-test-db.js';

const getDb = useScratchDb();

// The routes ask getDb(); hand them the scratch database the way the host process does.
beforeAll(() => {
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(getDb());
});
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY];
});

const ADD_MEMBER = statement(
  't_report_add_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);

type Person = { id: string; email: string; name: string };

/**
 * A workspace whose District Conditions assessment has one anonymised round over its first
 * section, revealed: Dana Smith is Rater A, Ben Ode Rater B (in round_raters, as the sync server
 * records them), and a second, named round over the same section.
 */
async function anonymisedRound() {
  const db = getDb();
  const person = async (name: string): Promise<Person> => ({
    ...(await addPerson(db, name)),
    name,
  });
  const owner = await person('Olive Owner');
  const ws = await addWorkspace(db, owner.id);
  const member = async (name: string, role: Role) => {
    const p = await person(name);
    await db.sql.query(ADD_MEMBER, [ws.id, p.id, role]);
    return p;
  };
  const dana = await member('Dana Smith', 'rater');
  const ben = await member('Ben Ode', 'rater');
  const facilitator = await member('Fran Facilitator', 'facilitator');
  const viewer = await member('Vic Viewer', 'viewer');
  const instruments = await Promise.all(
    ws.documentIds.map((id) => loadInstrument(db.sql, ws.id, id, owner.id)),
  );
  const instrument = instruments.find((i) => i?.template.id === 'ma-pln-district-conditions');
  if (!instrument) throw new Error('the workspace has no District Conditions assessment');
  const instrumentId = instrument.id;
  const first = outline(instrument.template).entries[0]!;
  const section = first.section.id;
  const item = first.indicator.id;

  // The round as the sync server writes it: one update appended to the instrument.
  const store = createDocumentStore(db);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await store.load(instrumentId)).state);
  const before = Y.encodeStateVector(doc);
  const stamp = { by: facilitator.id, at: '2026-12-01T10:00:00.000Z' };
  writeOpenRound(
    doc,
    1,
    { sections: [section], anonymised: true, deadline: null },
    { A: 'Rater A', B: 'Rater B' },
    stamp,
  );
  writeReveal(doc, 'r1', { [section]: { [item]: { A: 1, B: 3 } } }, stamp);
  writeOpenRound(
    doc,
    2,
    { sections: [section], anonymised: false, deadline: null },
    { [dana.id]: dana.name, [ben.id]: ben.name },
    stamp,
  );
  writeReveal(doc, 'r2', { [section]: { [item]: { [dana.id]: 2, [ben.id]: 2 } } }, stamp);
  await store.append([
    { documentId: instrumentId, update: Y.encodeStateAsUpdate(doc, before), author: null },
  ]);
  doc.destroy();
  await addRoundRaters(db.sql, instrumentId, 'r1', [
    { userId: dana.id, raterKey: 'A' },
    { userId: ben.id, raterKey: 'B' },
  ]);
  return { db, ws, instrumentId, owner, facilitator, dana, viewer };
}

function locals(person: Person) {
  return {
    user: { id: person.id, email: person.email, name: person.name },
    session: { id: 'test-session', expiresAt: new Date(Date.now() + 60_000) },
  };
}

/** The CSV as the route answers it to `person`: header and rows. */
async function csvFor(person: Person, workspaceId: string, documentId: string) {
  const url = new URL(`http://localhost/w/${workspaceId}/documents/${documentId}/report.csv`);
  const event = {
    url,
    params: { workspace: workspaceId, document: documentId },
    locals: locals(person),
  };
  const response = await csvRoute(event as unknown as Parameters<typeof csvRoute>[0]);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, rows: parse(text, { bom: true }) as string[][] };
}

/** The print page's data as SvelteKit loads it for `person`, under the workspace layout. */
async function printPageFor(
  person: Person,
  workspaceId: string,
  documentId: string,
): Promise<{ sections: ReportSection[] }> {
  const url = new URL(`http://localhost/w/${workspaceId}/documents/${documentId}/report`);
  const base = {
    url,
    params: { workspace: workspaceId, document: documentId },
    locals: locals(person),
    setHeaders: () => {},
  };
  const parent = () =>
    workspaceLayoutLoad(base as unknown as Parameters<typeof workspaceLayoutLoad>[0]);
  const event = { ...base, parent };
  const data = await reportPageLoad(event as unknown as Parameters<typeof reportPageLoad>[0]);
  if (!data || !('sections' in data)) throw new Error('the report page loaded nothing');
  return data as { sections: ReportSection[] };
}

describe('the consensus report of an anonymised round', () => {
  it('the loader gives the real names to a facilitator and an owner, letters to the others', async () => {
    const t = await anonymisedRound();
    const namesFor = async (userId: string, role: Role) => {
      const loaded = await loadConsensusReport(t.db, t.ws.id, t.instrumentId, { userId, role });
      const item = loaded!.report.sections[0]!.items[0]!;
      return item.rounds.map((r) => r.ratings.map((x) => x.rater));
    };
    const named = ['Dana Smith', 'Ben Ode'];
    for (const [userId, role] of [
      [t.facilitator.id, 'facilitator'],
      [t.owner.id, 'owner'],
    ] as const) {
      expect(await namesFor(userId, role)).toEqual([
        ['Rater A (Dana Smith)', 'Rater B (Ben Ode)'],
        named,
      ]);
    }
    for (const [userId, role] of [
      [t.dana.id, 'rater'],
      [t.viewer.id, 'viewer'],
    ] as const) {
      expect(await namesFor(userId, role)).toEqual([['Rater A', 'Rater B'], named]);
    }
  });

  it('report.csv names the letters for a facilitator only', async () => {
    const t = await anonymisedRound();
    const forFacilitator = await csvFor(t.facilitator, t.ws.id, t.instrumentId);
    const forRater = await csvFor(t.dana, t.ws.id, t.instrumentId);
    const forViewer = await csvFor(t.viewer, t.ws.id, t.instrumentId);
    expect(forFacilitator.rows[0]!.slice(4, 9)).toEqual([
      'Round',
      'Rater A (Dana Smith)',
      'Rater B (Ben Ode)',
      'Dana Smith',
      'Ben Ode',
    ]);
    for (const { rows, text } of [forRater, forViewer]) {
      expect(rows[0]!.slice(4, 9)).toEqual([
        'Round',
        'Rater A',
        'Rater B',
        'Dana Smith',
        'Ben Ode',
      ]);
      // Same columns in the same order; and which letter Dana is appears nowhere.
      expect(rows[0]).toHaveLength(forFacilitator.rows[0]!.length);
      expect(text).not.toContain('Rater A (');
    }
    // The cells are the same for everyone.
    expect(forRater.rows.slice(1)).toEqual(forFacilitator.rows.slice(1));
  });

  it('the print page names the letters for a facilitator only', async () => {
    const t = await anonymisedRound();
    const raters = (data: { sections: ReportSection[] }) =>
      data.sections[0]!.items[0]!.rounds[0]!.ratings.map((r) => r.rater);
    const forFacilitator = await printPageFor(t.facilitator, t.ws.id, t.instrumentId);
    expect(raters(forFacilitator)).toEqual(['Rater A (Dana Smith)', 'Rater B (Ben Ode)']);
    for (const person of [t.dana, t.viewer]) {
      const data = await printPageFor(person, t.ws.id, t.instrumentId);
      expect(raters(data)).toEqual(['Rater A', 'Rater B']);
      expect(JSON.stringify(data)).not.toContain('Rater A (');
    }
  });
});
