/**
 * The projection's SQL (projection.ts) as one suite that projection.pglite.test.ts and
 * projection.postgres.test.ts run against each database: a write makes the query tables hold
 * exactly a document's rows (upsert, delete what is gone, leave what did not change untouched),
 * and a rebuild from the stored documents gives the same rows.
 */
import { randomUUID } from 'node:crypto';
import {
  addActionStep,
  addGoal,
  addMetric,
  createAssessment,
  createPlan,
  recordActual,
  recordConsensus,
  removeGoal,
  updateGoal,
  sectionItems,
  setIndicatorStatus,
  writeClose,
  writeOpenRound,
  writeProgress,
  writeReveal,
} from '@concord/documents';
import { outline } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
} from '@concord/rubric-core/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from './create-db.js';
import {
  instrumentRows,
  planRows,
  projectedDocument,
  projectionsBehind,
  projectStoredDocument,
  rebuildProjections,
  writePlanProjection,
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
        consensusRows: entries.length,
        ratingsRows: items1.length * 2,
      });
      // The plan has no template: it is left as it is too.
      expect(result.skipped).toHaveLength(2);
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          { documentId: unknown, templateId: rubric.id, templateVersion: 999 },
          { documentId: plan!.id, templateId: null, templateVersion: null },
        ]),
      );
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
        .values({
          workspaceId: t.workspaceId,
          kind: 'plan',
          title: 'Plan',
          templateId: planTemplate.id,
          templateVersion: planTemplate.version,
        })
        .returning();
      expect(await projectedDocument(handle.sql, plan!.id)).toMatchObject({ kind: 'plan' });
      const [comments] = await handle.db
        .insert(documents)
        .values({
          workspaceId: t.workspaceId,
          kind: 'comments',
          title: 'Comments',
          parentId: plan!.id,
        })
        .returning();
      expect(await projectedDocument(handle.sql, comments!.id)).toBeNull();
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
      expect(caught).toMatchObject({ kind: 'instrument', write: { consensusWritten: 1 } });
      expect(await behind()).not.toContain(t.documentId);
    });

    // ---- plans: goals, action steps, metrics ----

    async function planDocument(workspaceId: string, templateVersion = planTemplate.version) {
      const [row] = await handle.db
        .insert(documents)
        .values({
          workspaceId,
          kind: 'plan',
          title: 'Strategic plan',
          templateId: planTemplate.id,
          templateVersion,
        })
        .returning();
      return row!.id;
    }

    async function planTables(documentId: string) {
      const q = (name: string, text: string) =>
        handle.sql.query<Record<string, unknown>>({ name, text }, [documentId]);
      return {
        goals: await q(
          'test_projection_goals',
          `select goal_id, area_id, title, owner_id::text as owner_id, owner_name, phase_year,
              start_date::text as start_date, due_date::text as due_date, status, confidence,
              indicator_ids, updated_at
            from goals where document_id = $1::uuid order by goal_id`,
        ),
        steps: await q(
          'test_projection_steps',
          `select step_id, goal_id, title, owner_id::text as owner_id, owner_name,
              due_date::text as due_date, status, updated_at
            from action_steps where document_id = $1::uuid order by step_id`,
        ),
        metrics: await q(
          'test_projection_metrics',
          `select metric_id, subgroup, goal_id, name, source, unit, baseline, target, current,
              updated_at
            from metrics where document_id = $1::uuid order by metric_id, subgroup`,
        ),
        owners: await q(
          'test_projection_goal_owners',
          `select goal_id, position, user_id::text as user_id, name, updated_at
            from goal_owners where document_id = $1::uuid order by goal_id, position`,
        ),
        values: await q(
          'test_projection_metric_values',
          `select metric_id, subgroup, measured_on::text as measured_on, value, updated_at
            from metric_values where document_id = $1::uuid
            order by metric_id, subgroup, measured_on`,
        ),
        state: await q(
          'test_projection_plan_state',
          `select projected_seq::int as projected_seq, updated_at from plan_states
            where document_id = $1::uuid`,
        ),
      };
    }

    const planTimeless = (r: Awaited<ReturnType<typeof planTables>>) => ({
      goals: r.goals.map(({ updated_at: _, ...rest }) => rest),
      steps: r.steps.map(({ updated_at: _, ...rest }) => rest),
      metrics: r.metrics.map(({ updated_at: _, ...rest }) => rest),
      owners: r.owners.map(({ updated_at: _, ...rest }) => rest),
      values: r.values.map(({ updated_at: _, ...rest }) => rest),
    });

    const [area1, area2] = [planTemplate.areas[0]!.id, planTemplate.areas[1]!.id];

    async function planSetting() {
      const { workspace, user: owner } = await seedWorkspace(handle);
      const ana = await person('ana');
      const documentId = await planDocument(workspace.id);
      const doc = new Y.Doc();
      createPlan(doc, planTemplate);
      addGoal(doc, planTemplate, {
        id: 'goal-a',
        area: area1,
        title: 'Coaching',
        owners: [owner.id, 'Director of Curriculum'],
        phase: planTemplate.phases[1]!.id,
        startDate: '2026-09-01',
        dueDate: '2027-06-30',
        status: 'on-track',
        confidence: 'medium',
        indicators: [a, b],
        createdAt: AT,
      });
      addGoal(doc, planTemplate, {
        id: 'goal-b',
        area: area2,
        title: 'Devices',
        owners: [randomUUID()],
        createdAt: AT,
      });
      addActionStep(doc, 'goal-a', { id: 'step-1', title: 'Hire', owner: ana, createdAt: AT });
      addActionStep(doc, 'goal-b', {
        id: 'step-2',
        title: 'Survey',
        owner: 'Principal',
        dueDate: '2026-10-15',
        status: 'done',
        createdAt: AT,
      });
      addMetric(doc, planTemplate, {
        id: 'metric-1',
        name: 'Attendance',
        goalId: 'goal-b',
        unit: '%',
        baseline: { all: 21.4, 'economic-disadvantage': 26.9 },
        target: { all: 17 },
        createdAt: AT,
      });
      recordActual(doc, planTemplate, 'metric-1', { date: '2026-12-31', value: 20.2 });
      recordActual(doc, planTemplate, 'metric-1', {
        date: '2026-12-31',
        value: 25.5,
        subgroup: 'economic-disadvantage',
      });
      return { workspaceId: workspace.id, owner: owner.id, ana, documentId, doc };
    }

    it('writes a plan’s goals, steps and metrics, then only what changed, and deletes what is gone', async () => {
      const t = await planSetting();
      const target = { documentId: t.documentId, workspaceId: t.workspaceId, headSeq: 0 };
      expect(await writePlanProjection(handle.sql, target, planRows(t.doc, planTemplate))).toEqual({
        goalsWritten: 2,
        goalsDeleted: 0,
        stepsWritten: 2,
        stepsDeleted: 0,
        metricsWritten: 2,
        metricsDeleted: 0,
        ownersWritten: 2,
        ownersDeleted: 0,
        valuesWritten: 2,
        valuesDeleted: 0,
      });
      const first = await planTables(t.documentId);
      expect(planTimeless(first)).toEqual({
        goals: [
          {
            goal_id: 'goal-a',
            area_id: area1,
            title: 'Coaching',
            owner_id: t.owner,
            owner_name: 'Director of Curriculum',
            phase_year: 2,
            start_date: '2026-09-01',
            due_date: '2027-06-30',
            status: 'on-track',
            confidence: 'medium',
            indicator_ids: [a, b],
          },
          {
            // Its owner is a user id nobody has: the goal is kept without it.
            goal_id: 'goal-b',
            area_id: area2,
            title: 'Devices',
            owner_id: null,
            owner_name: null,
            phase_year: null,
            start_date: null,
            due_date: null,
            status: planTemplate.goalStatuses[0]!.id,
            confidence: null,
            indicator_ids: [],
          },
        ],
        steps: [
          {
            step_id: 'step-1',
            goal_id: 'goal-a',
            title: 'Hire',
            owner_id: t.ana,
            owner_name: null,
            due_date: null,
            status: 'not-started',
          },
          {
            step_id: 'step-2',
            goal_id: 'goal-b',
            title: 'Survey',
            owner_id: null,
            owner_name: 'Principal',
            due_date: '2026-10-15',
            status: 'done',
          },
        ],
        metrics: [
          {
            metric_id: 'metric-1',
            subgroup: 'all',
            goal_id: 'goal-b',
            name: 'Attendance',
            source: null,
            unit: '%',
            baseline: 21.4,
            target: 17,
            current: 20.2,
          },
          {
            metric_id: 'metric-1',
            subgroup: 'economic-disadvantage',
            goal_id: 'goal-b',
            name: 'Attendance',
            source: null,
            unit: '%',
            baseline: 26.9,
            target: null,
            current: 25.5,
          },
        ],
        // Every owner; goal-b's unknown user id is left out.
        owners: [
          { goal_id: 'goal-a', position: 0, user_id: t.owner, name: null },
          { goal_id: 'goal-a', position: 1, user_id: null, name: 'Director of Curriculum' },
        ],
        values: [
          { metric_id: 'metric-1', subgroup: 'all', measured_on: '2026-12-31', value: 20.2 },
          {
            metric_id: 'metric-1',
            subgroup: 'economic-disadvantage',
            measured_on: '2026-12-31',
            value: 25.5,
          },
        ],
      });
      expect(first.state).toMatchObject([{ projected_seq: 0 }]);

      // The same rows again: nothing written, updated_at kept, plan_states' too.
      const none = {
        goalsWritten: 0,
        goalsDeleted: 0,
        stepsWritten: 0,
        stepsDeleted: 0,
        metricsWritten: 0,
        metricsDeleted: 0,
        ownersWritten: 0,
        ownersDeleted: 0,
        valuesWritten: 0,
        valuesDeleted: 0,
      };
      expect(await writePlanProjection(handle.sql, target, planRows(t.doc, planTemplate))).toEqual(
        none,
      );
      expect(await planTables(t.documentId)).toEqual(first);

      // A goal's status and owners change (ana added first); goal-b goes (its step with it, its
      // metric stays, unlinked); a new goal and its step come in the same statement; a new
      // measurement.
      updateGoal(t.doc, planTemplate, 'goal-a', {
        status: 'at-risk',
        owners: [t.ana, t.owner, 'Director of Curriculum'],
      });
      recordActual(t.doc, planTemplate, 'metric-1', { date: '2027-03-31', value: 19 });
      removeGoal(t.doc, 'goal-b');
      addGoal(t.doc, planTemplate, { id: 'goal-c', area: area2, title: 'Funding', createdAt: AT });
      addActionStep(t.doc, 'goal-c', { id: 'step-3', title: 'Budget line', createdAt: AT });
      expect(
        await writePlanProjection(
          handle.sql,
          { ...target, headSeq: 5 },
          planRows(t.doc, planTemplate),
        ),
      ).toEqual({
        ...none,
        goalsWritten: 2,
        goalsDeleted: 1,
        stepsWritten: 1,
        stepsDeleted: 1,
        metricsWritten: 2,
        ownersWritten: 3,
        valuesWritten: 1,
      });
      const after = await planTables(t.documentId);
      expect(after.goals.map((g) => [g.goal_id, g.status])).toEqual([
        ['goal-a', 'at-risk'],
        ['goal-c', planTemplate.goalStatuses[0]!.id],
      ]);
      expect(after.steps.map((s) => [s.step_id, s.goal_id])).toEqual([
        ['step-1', 'goal-a'],
        ['step-3', 'goal-c'],
      ]);
      expect(after.metrics.map((m) => [m.subgroup, m.goal_id])).toEqual([
        ['all', null],
        ['economic-disadvantage', null],
      ]);
      expect(after.owners.map((o) => [o.position, o.user_id ?? o.name])).toEqual([
        [0, t.ana],
        [1, t.owner],
        [2, 'Director of Curriculum'],
      ]);
      expect(after.values.map((v) => [v.subgroup, v.measured_on, v.value])).toEqual([
        ['all', '2026-12-31', 20.2],
        ['all', '2027-03-31', 19],
        ['economic-disadvantage', '2026-12-31', 25.5],
      ]);
      expect(after.state).toMatchObject([{ projected_seq: 5 }]);

      // A user who is deleted no longer owns anything.
      await handle.sql.query(
        { name: 'test_projection_delete_ana', text: 'delete from users where id = $1::uuid' },
        [t.ana],
      );
      expect(
        (await planTables(t.documentId)).owners.map((o) => [o.position, o.user_id ?? o.name]),
      ).toEqual([
        [1, t.owner],
        [2, 'Director of Curriculum'],
      ]);
      // An unchanged goal's row is untouched.
      expect(after.steps[0]).toEqual(first.steps[0]);

      // Everything gone.
      const empty = new Y.Doc();
      createPlan(empty, planTemplate);
      expect(await writePlanProjection(handle.sql, target, planRows(empty, planTemplate))).toEqual({
        ...none,
        goalsDeleted: 2,
        stepsDeleted: 2,
        metricsDeleted: 2,
        ownersDeleted: 2,
        valuesDeleted: 3,
      });
      expect(planTimeless(await planTables(t.documentId))).toEqual({
        goals: [],
        steps: [],
        metrics: [],
        owners: [],
        values: [],
      });
    });

    it('writes no plan rows for a plan that is gone, or of another workspace', async () => {
      const t = await planSetting();
      const other = await seedWorkspace(handle);
      const rowsOf = planRows(t.doc, planTemplate);
      await writePlanProjection(
        handle.sql,
        { documentId: randomUUID(), workspaceId: t.workspaceId, headSeq: 0 },
        rowsOf,
      );
      await writePlanProjection(
        handle.sql,
        { documentId: t.documentId, workspaceId: other.workspace.id, headSeq: 0 },
        rowsOf,
      );
      expect(await planTables(t.documentId)).toEqual({
        goals: [],
        steps: [],
        metrics: [],
        owners: [],
        values: [],
        state: [],
      });
    });

    it('rebuilds plans from the stored documents, and catches up a plan it is behind on', async () => {
      const t = await planSetting();
      await store1(t.documentId, t.doc);
      const behind = async () =>
        (await projectionsBehind(handle.sql, 100_000)).map((d) => d.documentId);
      expect(await behind()).toContain(t.documentId);
      // Plan rows on an instrument are strays, and go.
      const instrumentId = await instrument(t.workspaceId);
      await handle.sql.query(
        {
          name: 'test_projection_stray_goal',
          text: `insert into goals (workspace_id, document_id, goal_id, area_id, title)
            values ($1::uuid, $2::uuid, 'stray', 'kw.curriculum', 'Stray')`,
        },
        [t.workspaceId, instrumentId],
      );

      const result = await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(result).toMatchObject({
        goalRows: 2,
        goalOwnerRows: 3, // mapped; goal-b's unknown user is left out by the write
        actionStepRows: 2,
        metricRows: 2,
        metricValueRows: 2,
      });
      const built = await planTables(t.documentId);
      expect(planTimeless(built)).toEqual(
        planTimeless(
          await (async () => {
            // What the live projection writes, on a plan of its own (in a workspace of its own,
            // out of the rebuilds below).
            const elsewhere = (await seedWorkspace(handle)).workspace.id;
            const twin = await planDocument(elsewhere);
            await writePlanProjection(
              handle.sql,
              { documentId: twin, workspaceId: elsewhere, headSeq: 1 },
              planRows(t.doc, planTemplate),
            );
            return planTables(twin);
          })(),
        ),
      );
      expect(built.state).toMatchObject([{ projected_seq: 1 }]);
      expect(await behind()).not.toContain(t.documentId);
      const [stray] = await handle.sql.query<{ n: number }>(
        {
          name: 'test_projection_stray_count',
          text: 'select count(*)::int as n from goals where document_id = $1::uuid',
        },
        [instrumentId],
      );
      expect(stray?.n).toBe(0);

      // Again: nothing changes, not even updated_at.
      const again = await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(again.changed).toBe(0);
      expect(await planTables(t.documentId)).toEqual(built);

      // From empty tables: the same rows.
      await handle.sql.query(
        { name: 'test_projection_clear_g', text: 'delete from goals where document_id = $1::uuid' },
        [t.documentId],
      );
      await handle.sql.query(
        {
          name: 'test_projection_clear_m',
          text: 'delete from metrics where document_id = $1::uuid',
        },
        [t.documentId],
      );
      await handle.sql.query(
        {
          name: 'test_projection_clear_o',
          text: 'delete from goal_owners where document_id = $1::uuid',
        },
        [t.documentId],
      );
      await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(planTimeless(await planTables(t.documentId))).toEqual(planTimeless(built));

      // A change stored but not projected: behind, then caught up from the store.
      updateGoal(t.doc, planTemplate, 'goal-a', { status: 'complete' });
      await store1(t.documentId, t.doc);
      expect(await behind()).toContain(t.documentId);
      const caught = await projectStoredDocument(
        handle.sql,
        store,
        (await projectedDocument(handle.sql, t.documentId))!,
      );
      expect(caught).toMatchObject({ kind: 'plan', write: { goalsWritten: 1 } });
      expect(await behind()).not.toContain(t.documentId);
      expect((await planTables(t.documentId)).state).toMatchObject([{ projected_seq: 2 }]);

      // A plan whose template version this build lacks is left as it is, and stays behind.
      const unknown = await planDocument(t.workspaceId, 999);
      const skipped = await rebuildProjections(handle.sql, store, { workspaceId: t.workspaceId });
      expect(skipped.skipped).toEqual(
        expect.arrayContaining([
          { documentId: unknown, templateId: planTemplate.id, templateVersion: 999 },
        ]),
      );
      expect(await behind()).toContain(unknown);
    });
  });
}
