/**
 * The numbers on the workspace page and the home page, through their loads as SvelteKit calls
 * them, on a scratch database: a rater's own progress comes from their own ratings document as
 * the document store holds it (so it moves the moment a rating is saved), never from the
 * `ratings` query table (which holds only revealed ratings, and here a stale figure on purpose);
 * other roles get the instruments' sizes and no progress. Everyone gets each instrument's state
 * (round, agreed, readiness) from `instrument_states`, as the sync server's projector keeps it.
 */
import { createDocumentStore } from '@concord/db';
import { projectedDocument, projectStoredDocument } from '@concord/db/projection';
import { recordDecision, setRating } from '@concord/documents';
import { outline, type ChecklistTemplate, type LeveledTemplate } from '@concord/rubric-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DB_GLOBAL_KEY, type Db } from '$lib/server/db';
import { ensureRatingsDocument, loadInstrument } from '$lib/server/instrument-documents';
import { instrumentSize, myRatingProgress } from '$lib/server/instrument-progress';
import { statement } from '$lib/server/sql-statement';
import { addPerson, addWorkspace, useScratchDb } from '$lib/server/workspace-test-db';
import { load as homeLoad } from '../../+page.server';
import { load as workspaceLoad } from './+page.server';

const getDb = useScratchDb();

/** Documents the routes loaded from the document store (its one read statement, by name). */
let loads = 0;

/** The database with every document-store load counted. */
function counting(db: Db): Db {
  const query = ((st: { name: string; text: string }, params?: readonly unknown[]) => {
    if (st.name === 'concord_read_state') loads += 1;
    return db.sql.query(st, params);
  }) as Db['sql']['query'];
  return { ...db, sql: { query, transaction: (fn) => db.sql.transaction(fn) } };
}

/** The loads `fn` made. */
async function loadsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = loads;
  await fn();
  return loads - before;
}

// The routes ask getDb(); hand them the scratch database the way the host process does.
beforeAll(() => {
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(counting(getDb()));
});
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY];
});

const ADD_MEMBER = statement(
  't_progress_add_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);
const SET_ROLE = statement(
  't_progress_set_role',
  `update memberships set role = $3, represents = null where workspace_id = $1 and user_id = $2`,
);
/** A stale figure in the query table: what the pages must never show. */
const STALE_RATING = statement(
  't_progress_stale_rating',
  `insert into ratings (workspace_id, document_id, indicator_id, rater_id, round_id, value)
   values ($1, $2, $3, $4, 'r1', 2)`,
);

type Person = { id: string; email: string };

function locals(person: Person) {
  return {
    user: { id: person.id, email: person.email, name: 'Progress tester' },
    session: { id: 'test-session', expiresAt: new Date(Date.now() + 60_000) },
  };
}

async function workspacePage(person: Person, workspaceId: string) {
  const url = new URL(`http://localhost/w/${workspaceId}`);
  const event = { url, params: { workspace: workspaceId }, locals: locals(person) };
  const data = await workspaceLoad(event as unknown as Parameters<typeof workspaceLoad>[0]);
  if (!data) throw new Error('the workspace page loaded nothing');
  return data;
}

async function homePage(person: Person) {
  const event = { url: new URL('http://localhost/'), locals: locals(person) };
  const data = await homeLoad(event as unknown as Parameters<typeof homeLoad>[0]);
  if (!data?.workspaces) throw new Error('the home page listed no workspaces');
  return data.workspaces;
}

/** Saves `levels` (indicator id → level value) into the ratings document, as the sync server
 * stores a rater's edit: one Yjs update appended to the document store. */
async function rate(
  db: Db,
  ratingsDocumentId: string,
  template: LeveledTemplate,
  levels: Record<string, number | null>,
): Promise<void> {
  const store = createDocumentStore(db);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await store.load(ratingsDocumentId)).state);
  const before = Y.encodeStateVector(doc);
  for (const [id, value] of Object.entries(levels)) setRating(doc, template, id, value);
  await store.append([
    { documentId: ratingsDocumentId, update: Y.encodeStateAsUpdate(doc, before) },
  ]);
  doc.destroy();
}

async function team() {
  const db = getDb();
  const owner = await addPerson(db, 'Owner');
  const ws = await addWorkspace(db, owner.id);
  const add = async (role: string) => {
    const p = await addPerson(db, role);
    await db.sql.query(ADD_MEMBER, [ws.id, p.id, role]);
    return p;
  };
  const rater = await add('rater');
  const viewer = await add('viewer');
  const facilitator = await add('facilitator');
  const checklist = (await loadInstrument(db.sql, ws.id, ws.documentIds[0]!, owner.id))!;
  expect(checklist.kind).toBe('prerequisites');
  return { db, ws, owner, rater, viewer, facilitator, checklist };
}

describe('instrument sizes', () => {
  it('counts what a rater rates: categories of a checklist, indicators of a rubric, areas of a plan', () => {
    expect(instrumentSize('schoolworks-prerequisites', 1)).toEqual({
      count: 8,
      noun: 'categories',
      detail: null,
    });
    // In the catalogue card's words: the seed's 28 indicators and its 6 autonomy areas.
    expect(instrumentSize('ma-pln-district-conditions', 1)).toEqual({
      count: 34,
      noun: 'items',
      detail: '28 indicators and 6 Required Areas of Autonomy and Flexibility',
    });
    expect(instrumentSize('knowledgeworks-plan', 1)).toEqual({
      count: 10,
      noun: 'plan areas',
      detail: null,
    });
    expect(instrumentSize('no-such-template', 1)).toBeNull();
    expect(instrumentSize('schoolworks-prerequisites', 999)).toBeNull();
  });
});

describe('a rater’s own progress', () => {
  it('follows their ratings document as it is saved, never the stale query table', async () => {
    const { db, ws, rater, checklist } = await team();
    // A stale row in the query table, as the demo seed leaves them: it must not count.
    await db.sql.query(STALE_RATING, [ws.id, checklist.id, 'pre.innovation', rater.id]);

    // Before the rater opens anything: no ratings document, nothing rated, nothing loaded.
    expect(await loadsDuring(() => homePage(rater))).toBe(0);
    let page = await workspacePage(rater, ws.id);
    const card = () => page.documents.find((d) => d.id === checklist.id)!;
    expect(card().myProgress).toEqual({ rated: 0, total: 8 });
    expect(page.documents.map((d) => [d.kind, d.myProgress?.total ?? null])).toEqual([
      ['prerequisites', 8],
      ['assessment', 34],
      ['assessment', 83],
      ['assessment', 16],
      ['plan', null],
    ]);

    // The rater opens the checklist (their ratings document is made) and rates two categories.
    const ratingsId = await ensureRatingsDocument(db, {
      workspaceId: ws.id,
      instrument: checklist,
      userId: rater.id,
      userName: 'Rater',
    });
    const ids = outline(checklist.template).entries.map((e) => e.indicator.id);
    await rate(db, ratingsId, checklist.template, { [ids[0]!]: 1, [ids[1]!]: 3 });
    // One load per instrument that has the rater's ratings document: here one.
    expect(
      await loadsDuring(async () => {
        page = await workspacePage(rater, ws.id);
      }),
    ).toBe(1);
    expect(card().myProgress).toEqual({ rated: 2, total: 8 });
    expect((await homePage(rater))[0]).toMatchObject({
      id: ws.id,
      role: 'rater',
      myProgress: { rated: 2, total: 8 + 34 + 83 + 16 },
    });

    // A cleared rating no longer counts; rating every category counts all of them.
    await rate(db, ratingsId, checklist.template, { [ids[1]!]: null });
    page = await workspacePage(rater, ws.id);
    expect(card().myProgress).toEqual({ rated: 1, total: 8 });
    await rate(db, ratingsId, checklist.template, Object.fromEntries(ids.map((id) => [id, 2])));
    page = await workspacePage(rater, ws.id);
    expect(card().myProgress).toEqual({ rated: 8, total: 8 });
    expect((await homePage(rater))[0]?.myProgress).toEqual({ rated: 8, total: 141 });
  });

  it('is another rater’s own, not the sum of everyone’s', async () => {
    const { db, ws, rater, checklist } = await team();
    const other = await addPerson(db, 'Second rater');
    await db.sql.query(ADD_MEMBER, [ws.id, other.id, 'rater']);
    const theirs = await ensureRatingsDocument(db, {
      workspaceId: ws.id,
      instrument: checklist,
      userId: other.id,
      userName: 'Second rater',
    });
    const ids = outline(checklist.template).entries.map((e) => e.indicator.id);
    await rate(db, theirs, checklist.template, { [ids[0]!]: 1, [ids[2]!]: 1, [ids[3]!]: 2 });
    expect(
      (await workspacePage(other, ws.id)).documents.find((d) => d.id === checklist.id)?.myProgress,
    ).toEqual({ rated: 3, total: 8 });
    expect(
      (await workspacePage(rater, ws.id)).documents.find((d) => d.id === checklist.id)?.myProgress,
    ).toEqual({ rated: 0, total: 8 });
  });
});

describe('each instrument’s state, from the query tables', () => {
  it('is there from the wizard on, and follows a projection of the document', async () => {
    const { db, ws, owner, checklist } = await team();
    let page = await workspacePage(owner, ws.id);
    const card = () => page.documents.find((d) => d.id === checklist.id)!;
    expect(card().state).toEqual({
      itemsTotal: 8,
      itemsAgreed: 0,
      itemsInDiscussion: 0,
      round: null,
      readiness: 'incomplete',
      barriers: 0,
    });
    // The plan is not an instrument: no state.
    expect(page.documents.find((d) => d.kind === 'plan')?.state).toBeNull();

    // The team records a Barrier to Launch on one category (as the sync server stores the
    // facilitator's edit), and the projector projects it.
    const store = createDocumentStore(db);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await store.load(checklist.id)).state);
    const before = Y.encodeStateVector(doc);
    const template = checklist.template as ChecklistTemplate;
    const entry = outline(template).entries[0]!;
    const barrier = entry.scale.levels.find((l) => l.blocksLaunch)!;
    recordDecision(doc, template, {
      indicatorId: entry.indicator.id,
      value: barrier.value,
      by: owner.id,
      at: '2026-12-07T10:00:00.000Z',
    });
    await store.append([{ documentId: checklist.id, update: Y.encodeStateAsUpdate(doc, before) }]);
    await projectStoredDocument(db.sql, store, (await projectedDocument(db.sql, checklist.id))!);

    page = await workspacePage(owner, ws.id);
    expect(card().state).toMatchObject({ itemsAgreed: 1, readiness: 'blocked', barriers: 1 });
    const [home] = (await homePage(owner)).filter((w) => w.id === ws.id);
    // 8 categories + 34 + 83 + 16 items of the workspace's instruments.
    expect(home?.agreed).toEqual({ agreed: 1, total: 8 + 34 + 83 + 16 });
  });
});

describe('members who do not rate', () => {
  it('see each instrument’s size and no progress, and load no ratings document', async () => {
    const { db, ws, owner, rater, viewer, facilitator, checklist } = await team();
    await db.sql.query(STALE_RATING, [ws.id, checklist.id, 'pre.innovation', rater.id]);
    const ratingsId = await ensureRatingsDocument(db, {
      workspaceId: ws.id,
      instrument: checklist,
      userId: rater.id,
      userName: 'Rater',
    });
    await rate(db, ratingsId, checklist.template, { 'pre.innovation': 2 });
    for (const person of [owner, viewer, facilitator]) {
      let page = await workspacePage(person, ws.id);
      expect(
        await loadsDuring(async () => {
          page = await workspacePage(person, ws.id);
          await homePage(person);
        }),
      ).toBe(0);
      expect(page.documents.map((d) => d.myProgress)).toEqual([null, null, null, null, null]);
      expect(page.documents.map((d) => d.size && `${d.size.count} ${d.size.noun}`)).toEqual([
        '8 categories',
        '34 items',
        '83 indicators',
        '16 indicators',
        '10 plan areas',
      ]);
      const [home] = await homePage(person);
      expect(home?.myProgress).toBeNull();
      expect(home).not.toHaveProperty('ratings');
    }

    // A rater with ratings who becomes a viewer: their role decides, so nothing is read.
    expect(await myRatingProgress(db, rater.id, ws.id)).toHaveLength(4);
    await db.sql.query(SET_ROLE, [ws.id, rater.id, 'viewer']);
    expect(await myRatingProgress(db, rater.id, ws.id)).toEqual([]);
    expect(await myRatingProgress(db, rater.id, null)).toEqual([]);
    expect(
      await loadsDuring(async () => {
        const page = await workspacePage(rater, ws.id);
        expect(page.documents.every((d) => d.myProgress === null)).toBe(true);
        expect((await homePage(rater))[0]?.myProgress).toBeNull();
      }),
    ).toBe(0);
  });
});
