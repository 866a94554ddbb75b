/**
 * The projection's SQL (projection.ts) as one suite that projection.pglite.test.ts and
 * projection.postgres.test.ts run against each database: a write makes the query tables hold
 * exactly a document's rows (upsert, delete what is gone, leave what did not change untouched),
 * and a rebuild from the stored documents gives the same rows.
 */
import { randomUUID } from 'node:crypto';
import {
  createAssessment,
  recordConsensus,
  sectionItems,
  setIndicatorStatus,
  writeClose,
  writeOpenRound,
  writeProgress,
  writeReveal,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from './create-db.js';
import {
  instrumentRows,
  projectedDocument,
  projectionsBehind,
  projectStoredDocument,
  rebuildProjections,
  writeProjection,
  type InstrumentRows,
} from './projection.js';
import { addRoundRaters } from './rounds.js';
import { documents, users } from './schema/index.js';
import { createDocumentStore } from './sql-store.js';
import type { DocumentStore } from './store.js';
import { seedWorkspace, type DatabaseTarget } from './test-fixtures.js';

const entries = outline(rubric).entries;
const [a, b, c] = [entries[0]!.indicator.id, entries[1]!.indicator.id, entries[2]!.indicator.id];
const levels = entries[0]!.scale.levels.map((l) => l.value);
const s1 = entries[0]!.section.id;
const items1 = sectionItems(rubric, [s1]).get(s1)!;
const AT = '2026-12-01T10:00:00.000Z';

export function projectionContract(name: string, target: DatabaseTarget): void {
  describe(`projection: ${name}`, () => {
    let handle: DbHandle;
    let store: DocumentStore;

    beforeAll(async () => {
      handle = await target.open();
      store = createDocumentStore(handle);
    });

    afterAll(async () => {
      await handle?.close();
      await target.teardown?.();
    });

    async function person(label: string): Promise<string> {
      const [row] = await handle.db
        .insert(users)
        .values({ email: `${label}.${randomUUID()}@example.org`, displayName: label })
        .returning();
      return row!.id;
    }

    async function instrument(workspaceId: string, templateVersion = rubric.version) {
      const [row] = await handle.db
        .insert(documents)
        .values({
          workspaceId,
          kind: 'assessment',
          title: 'District Conditions',
          templateId: rubric.id,
          templateVersion,
        })
        .returning();
      return row!.id;
    }

    /** Stores `doc`'s whole state as one update. */
    async function store1(documentId: string, doc: Y.Doc) {
      await store.append([{ documentId, update: Y.encodeStateAsUpdate(doc) }]);
    }

    async function rows(documentId: string) {
      const consensus = await handle.sql.query<Record<string, unknown>>(
        {
          name: 'test_projection_consensus',
          text: `select indicator_id, value, rationale, status, decided_by::text as decided_by,
              decided_at, updated_at from consensus where document_id = $1::uuid
            order by indicator_id`,
        },
        [documentId],
      );
      const ratings = await handle.sql.query<Record<string, unknown>>(
        {
          name: 'test_projection_ratings',
          text: `select indicator_id, rater_id::text as rater_id, round_id, value, note, updated_at
            from ratings where document_id = $1::uuid order by indicator_id, round_id, rater_id`,
        },
        [documentId],
      );
      const state = await handle.sql.query<Record<string, unknown>>(
        {
          name: 'test_projection_state',
          text: `select items_total, items_agreed, items_in_discussion, round_number, round_open,
              round_items, round_revealed, round_raters, round_raters_done, readiness, barriers,
              section_scores, projected_seq::int as projected_seq, updated_at
            from instrument_states where document_id = $1::uuid`,
        },
        [documentId],
      );
      return { consensus, ratings, state };
    }

    const withoutTimes = (r: Awaited<ReturnType<typeof rows>>) => ({
      consensus: r.consensus.map(({ updated_at: _, ...rest }) => rest),
      ratings: r.ratings.map(({ updated_at: _, ...rest }) => rest),
      state: r.state.map(({ updated_at: _, ...rest }) => rest),
    });

    async function setting() {
      const { workspace, user: owner } = await seedWorkspace(handle);
      const [ana, ben] = [await person('ana'), await person('ben')];
      const documentId = await instrument(workspace.id);
      const doc = new Y.Doc();
      createAssessment(doc, rubric);
      return { workspaceId: workspace.id, owner: owner.id, ana, ben, documentId, doc };
    }

    it('writes a document’s rows, then only what changed, and deletes what is gone', async () => {
      const t = await setting();
      recordConsensus(t.doc, rubric, { indicatorId: a, value: levels[1]!, by: t.owner, at: AT });
      setIndicatorStatus(t.doc, rubric, b, 'in-discussion');
      const projected: InstrumentRows = {
        ...instrumentRows(t.doc, rubric, {}),
        ratings: [
          { indicatorId: a, raterId: t.ana, value: levels[0]!, roundId: 'r1' },
          { indicatorId: a, raterId: t.ben, value: null, roundId: 'r1' },
        ],
      };
      const target = { documentId: t.documentId, workspaceId: t.workspaceId, headSeq: 0 };
      expect(await writeProjection(handle.sql, target, projected)).toEqual({
        consensusWritten: entries.length,
        consensusDeleted: 0,
        ratingsWritten: 2,
        ratingsDeleted: 0,
        stateWritten: 1,
      });
      const first = await rows(t.documentId);
      expect(first.consensus).toHaveLength(entries.length);
      expect(first.consensus.find((r) => r.indicator_id === a)).toMatchObject({
        value: levels[1],
        status: 'agreed',
        decided_by: t.owner,
        rationale: null,
      });
      expect(
        new Date(first.consensus.find((r) => r.indicator_id === a)!.decided_at as string),
      ).toEqual(new Date(AT));
      expect(first.consensus.find((r) => r.indicator_id === b)).toMatchObject({
        status: 'in-discussion',
        value: null,
      });
      expect(first.ratings.map((r) => [r.rater_id, r.value, r.note])).toEqual(
        [
          [t.ana, levels[0], null],
          [t.ben, null, null],
        ].sort((x, y) => ((x[0] as string) < (y[0] as string) ? -1 : 1)),
      );

      // The same rows again: nothing written, updated_at kept.
      expect(await writeProjection(handle.sql, target, projected)).toEqual({
        consensusWritten: 0,
        consensusDeleted: 0,
        ratingsWritten: 0,
        ratingsDeleted: 0,
        stateWritten: 0,
      });
      expect(await rows(t.documentId)).toEqual(first);

      // One decision cleared; round 1's ratings gone, Ana's of round 2 there.
      const next: InstrumentRows = {
        ...projected,
        consensus: projected.consensus.map((r) =>
          r.indicatorId === a
            ? { ...r, value: null, status: 'in-discussion', decidedBy: null, decidedAt: null }
            : r,
        ),
        ratings: [{ indicatorId: a, raterId: t.ana, value: levels[3]!, roundId: 'r2' }],
      };
      expect(await writeProjection(handle.sql, target, next)).toEqual({
        consensusWritten: 1,
        consensusDeleted: 0,
        ratingsWritten: 1,
        ratingsDeleted: 2,
        stateWritten: 0,
      });
      const after = await rows(t.documentId);
      expect(after.consensus.find((r) => r.indicator_id === a)).toMatchObject({
        value: null,
        status: 'in-discussion',
        decided_by: null,
        decided_at: null,
      });
      expect(after.ratings.map((r) => [r.rater_id, r.value])).toEqual([[t.ana, levels[3]]]);
      // An indicator the document no longer has loses its row.
      await writeProjection(handle.sql, target, {
        ...next,
        consensus: next.consensus.filter((r) => r.indicatorId !== c),
        ratings: [],
      });
      const fewer = await rows(t.documentId);
      expect(fewer.consensus.map((r) => r.indicator_id)).not.toContain(c);
      expect(fewer.ratings).toEqual([]);
    });

    it('drops a rating of a user who does not exist and keeps a decision without its author', async () => {
      const t = await setting();
      const ghost = randomUUID();
      recordConsensus(t.doc, rubric, { indicatorId: a, value: levels[1]!, by: ghost, at: AT });
      const target = { documentId: t.documentId, workspaceId: t.workspaceId, headSeq: 0 };
      await writeProjection(handle.sql, target, {
        ...instrumentRows(t.doc, rubric, {}),
        ratings: [
          { indicatorId: a, raterId: ghost, value: levels[0]!, roundId: 'r1' },
          { indicatorId: a, raterId: t.ana, value: levels[2]!, roundId: 'r1' },
        ],
      });
      const r = await rows(t.documentId);
      expect(r.consensus.find((x) => x.indicator_id === a)).toMatchObject({
        value: levels[1],
        decided_by: null,
      });
      expect(r.ratings.map((x) => x.rater_id)).toEqual([t.ana]);
    });

    it('writes nothing for a document that is gone, or of another workspace', async () => {
      const t = await setting();
      const rowsOf = instrumentRows(t.doc, rubric, {});
      const other = await seedWorkspace(handle);
      await writeProjection(
        handle.sql,
        { documentId: randomUUID(), workspaceId: t.workspaceId, headSeq: 0 },
        rowsOf,
      );
      await writeProjection(
        handle.sql,
        { documentId: t.documentId, workspaceId: other.workspace.id, headSeq: 0 },
        rowsOf,
      );
      expect(await rows(t.documentId)).toEqual({ consensus: [], ratings: [], state: [] });
    });

    it('rebuilds from the stored documents: the rows the live projection writes', async () => {
      const t = await setting();
      recordConsensus(t.doc, rubric, { indicatorId: a, value: levels[2]!, by: t.owner, at: AT });
      // An anonymised round revealed: keys A and B stand for Ben and Ana.
      writeOpenRound(
        t.doc,
        1,
        { sections: [s1], anonymised: true, deadline: null },
        { A: 'Rater A', B: 'Rater B' },
        { by: t.owner, at: AT },
      );
      writeReveal(
        t.doc,
        'r1',
        { [s1]: Object.fromEntries(items1.map((id) => [id, { A: levels[0]!, B: null }])) },
        { by: t.owner, at: AT },
      );
      await addRoundRaters(handle.sql, t.documentId, 'r1', [
        { userId: t.ben, raterKey: 'A' },
        { userId: t.ana, raterKey: 'B' },
      ]);
      await store1(t.documentId, t.doc);
      // A document whose template this build does not have is left as it is.
      const unknown = await instrument(t.workspaceId, 999);
      // A stray row on a document that is not projected (a plan) goes.
      const [plan] = await handle.db
        .insert(documents)
        .values({ workspaceId: t.workspaceId, kind: 'plan', title: 'Plan' })
        .returning();
      await handle.sql.query(
        {
          name: 'test_projection_stray',
          text: `insert into ratings (workspace_id, document_id, indicator_id, rater_id, round_id,
              value) values ($1::uuid, $2::uuid, $3, $4::uuid, 'r1', 2)`,
        },
        [t.workspaceId, plan!.id, a, t.ana],
      );

      const result = await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(result).toMatchObject({
        documents: 1,
        skipped: [{ documentId: unknown, templateId: rubric.id, templateVersion: 999 }],
        consensusRows: entries.length,
        ratingsRows: items1.length * 2,
      });
      const built = await rows(t.documentId);
      expect(built.ratings).toHaveLength(items1.length * 2);
      expect(
        built.ratings.filter((r) => r.rater_id === t.ben).every((r) => r.value === levels[0]),
      ).toBe(true);
      expect(built.ratings.filter((r) => r.rater_id === t.ana).every((r) => r.value === null)).toBe(
        true,
      );
      expect(built.consensus.find((r) => r.indicator_id === a)).toMatchObject({
        value: levels[2],
        decided_by: t.owner,
      });
      expect((await rows(plan!.id)).ratings).toEqual([]);

      // Again: nothing changes, not even updated_at.
      const again = await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(again.changed).toBe(0);
      expect(await rows(t.documentId)).toEqual(built);

      // From empty tables: the same rows (updated_at aside).
      await handle.sql.query(
        {
          name: 'test_projection_clear',
          text: 'delete from consensus where document_id = $1::uuid',
        },
        [t.documentId],
      );
      await handle.sql.query(
        {
          name: 'test_projection_clear_r',
          text: 'delete from ratings where document_id = $1::uuid',
        },
        [t.documentId],
      );
      await handle.sql.query(
        {
          name: 'test_projection_clear_s',
          text: 'delete from instrument_states where document_id = $1::uuid',
        },
        [t.documentId],
      );
      await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(withoutTimes(await rows(t.documentId))).toEqual(withoutTimes(built));
    });

    it('says which documents it follows', async () => {
      const t = await setting();
      expect(await projectedDocument(handle.sql, t.documentId)).toEqual({
        documentId: t.documentId,
        workspaceId: t.workspaceId,
        kind: 'assessment',
        templateId: rubric.id,
        templateVersion: rubric.version,
        headSeq: 0,
      });
      const [plan] = await handle.db
        .insert(documents)
        .values({ workspaceId: t.workspaceId, kind: 'plan', title: 'Plan' })
        .returning();
      expect(await projectedDocument(handle.sql, plan!.id)).toBeNull();
    });
    it('keeps each round’s reveal, and the instrument’s state: decisions, the latest round, scores', async () => {
      const t = await setting();
      const stamp = { by: t.owner, at: AT };
      writeOpenRound(
        t.doc,
        1,
        { sections: [s1], anonymised: false, deadline: null },
        { [t.ana]: 'Ana', [t.ben]: 'Ben' },
        stamp,
      );
      writeReveal(
        t.doc,
        'r1',
        {
          [s1]: Object.fromEntries(
            items1.map((id) => [id, { [t.ana]: levels[0]!, [t.ben]: levels[3]! }]),
          ),
        },
        stamp,
      );
      writeClose(t.doc, 'r1', stamp);
      // A second round on one item: Ben moves down; Ana has not re-rated yet.
      writeOpenRound(
        t.doc,
        2,
        { sections: [s1], items: [a], anonymised: false, deadline: null },
        { [t.ana]: 'Ana', [t.ben]: 'Ben' },
        stamp,
      );
      writeProgress(t.doc, 'r2', t.ben, { [s1]: 1 });
      writeReveal(t.doc, 'r2', { [s1]: { [a]: { [t.ana]: null, [t.ben]: levels[1]! } } }, stamp);
      recordConsensus(t.doc, rubric, { indicatorId: a, value: levels[1]!, by: t.owner, at: AT });
      setIndicatorStatus(t.doc, rubric, b, 'in-discussion');
      await store1(t.documentId, t.doc);
      await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });

      const r = await rows(t.documentId);
      // Both rounds of item a, side by side; the other items have round 1 only.
      expect(
        r.ratings.filter((x) => x.indicator_id === a).map((x) => [x.round_id, x.rater_id, x.value]),
      ).toEqual(
        [
          ['r1', t.ana, levels[0]],
          ['r1', t.ben, levels[3]],
          ['r2', t.ana, null],
          ['r2', t.ben, levels[1]],
        ].sort((x, y) =>
          x[0] === y[0]
            ? (x[1] as string) < (y[1] as string)
              ? -1
              : 1
            : (x[0] as string) < (y[0] as string)
              ? -1
              : 1,
        ),
      );
      expect(r.ratings).toHaveLength(items1.length * 2 + 2);
      const [state] = r.state;
      expect(state).toMatchObject({
        items_total: entries.length,
        items_agreed: 1,
        items_in_discussion: 1,
        round_number: 2,
        round_open: true,
        round_items: 1,
        round_revealed: 1,
        round_raters: 2,
        round_raters_done: 1,
        readiness: null,
        barriers: null,
        projected_seq: 1,
      });
      const scores = state!.section_scores as {
        sectionId: string;
        scored: number;
        withConsensus: number;
        basis: string;
      }[];
      expect(scores.find((x) => x.sectionId === s1)).toMatchObject({
        scored: items1.length,
        withConsensus: 1,
        basis: 'mixed',
      });
    });

    it('finds the instruments it is behind on: never projected, or changed since', async () => {
      const t = await setting();
      await store1(t.documentId, t.doc);
      const behind = async () =>
        (await projectionsBehind(handle.sql, 100_000)).map((d) => d.documentId);
      expect(await behind()).toContain(t.documentId);
      const facts = (await projectedDocument(handle.sql, t.documentId))!;
      expect(facts.headSeq).toBe(1);
      await writeProjection(handle.sql, facts, instrumentRows(t.doc, rubric, {}));
      expect(await behind()).not.toContain(t.documentId);
      // A change stored but not projected (the server stopped in between).
      recordConsensus(t.doc, rubric, { indicatorId: a, value: levels[1]!, by: t.owner, at: AT });
      await store1(t.documentId, t.doc);
      expect(await behind()).toContain(t.documentId);
      const caught = await projectStoredDocument(
        handle.sql,
        store,
        (await projectedDocument(handle.sql, t.documentId))!,
      );
      expect(caught?.write.consensusWritten).toBe(1);
      expect(await behind()).not.toContain(t.documentId);
    });
  });
}
