/**
 * The query tables kept in step with the documents (issue 39) on the real server: a decision a
 * facilitator records in the assessment (a stock client), and a round's reveal (a round command),
 * reach `consensus` and `ratings`; a rater's private ratings never do before the reveal; goals
 * and action steps a stock client adds to a plan reach `goals` and `action_steps` (issue 25); the
 * rebuild from the stored documents (`pnpm --filter @concord/db project`) gives the same rows.
 */
import {
  addActionStep,
  addGoal,
  createPlan,
  latestRound,
  recordConsensus,
  removeGoal,
  sectionItems,
  setIndicatorStatus,
  updateActionStep,
} from '@concord/documents';
import { schema } from '@concord/db';
import { projectedDocument, rebuildProjections } from '@concord/db/projection';
import { outline } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
} from '@concord/rubric-core/templates';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, stockClient, useSyncServer, waitFor } from './support.js';
import { command, roundCast } from './round-cast.js';

const fx = useSyncServer({
  databaseAccess: {},
  app: (db) => ({
    rounds: { sql: db.handle.sql, options: { progressDelayMs: 10 } },
    projection: { sql: db.handle.sql, options: { delayMs: 20 } },
  }),
});

const entries = outline(rubric).entries;
const s1 = entries[0]!.section.id;
const items1 = sectionItems(rubric, [s1]).get(s1)!;
const levels = entries[0]!.scale.levels.map((l) => l.value);

/** Polls an async condition (a query) until it holds. */
async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Rows {
  consensus: Record<string, unknown>[];
  ratings: Record<string, unknown>[];
}

async function rows(documentId: string): Promise<Rows> {
  const sql = fx.db.handle.sql;
  const consensus = await sql.query(
    {
      name: 'test_p_consensus',
      text: `select indicator_id, value, rationale, status, decided_by::text as decided_by,
          decided_at::text as decided_at, updated_at::text as updated_at
        from consensus where document_id = $1::uuid order by indicator_id`,
    },
    [documentId],
  );
  const ratings = await sql.query(
    {
      name: 'test_p_ratings',
      text: `select indicator_id, rater_id::text as rater_id, value, note,
          updated_at::text as updated_at
        from ratings where document_id = $1::uuid order by indicator_id, rater_id`,
    },
    [documentId],
  );
  return { consensus, ratings };
}

const timeless = (r: Rows) => ({
  consensus: r.consensus.map(({ updated_at: _, ...rest }) => rest),
  ratings: r.ratings.map(({ updated_at: _, ...rest }) => rest),
});

const setup = () => roundCast(fx);

describe('projection into the query tables', () => {
  it('follows decisions and reveals, never private ratings, and a rebuild gives the same rows', async () => {
    const t = await setup();
    const [a, b] = [entries[0]!.indicator.id, entries[1]!.indicator.id];

    // A stock client lays out the assessment and the facilitator records a decision on it.
    const fac = t.client(t.assessment, t.facilitator, 21);
    await fac.synced();
    const at = '2026-12-05T09:30:00.000Z';
    recordConsensus(fac.doc, rubric, { indicatorId: a, value: levels[2]!, by: t.facilitator, at });
    setIndicatorStatus(fac.doc, rubric, b, 'in-discussion');
    await until(
      async () => (await rows(t.assessment)).consensus.some((r) => r.indicator_id === a),
      'the decision in the consensus table',
    );
    let now = await rows(t.assessment);
    expect(now.consensus).toHaveLength(entries.length);
    expect(now.consensus.find((r) => r.indicator_id === a)).toMatchObject({
      value: levels[2],
      status: 'agreed',
      decided_by: t.facilitator,
    });
    await until(
      async () =>
        (await rows(t.assessment)).consensus.find((r) => r.indicator_id === b)?.status ===
        'in-discussion',
      'the status in the consensus table',
    );

    // Raters rate in their private documents; a round opens: nothing of theirs is projected.
    const anaOwn = t.client(t.anaRatings, t.ana, 22);
    const benOwn = t.client(t.benRatings, t.ben, 23);
    await Promise.all([anaOwn.synced(), benOwn.synced()]);
    anaOwn.doc.getMap('ratings').set(items1[0]!, levels[1]!);
    benOwn.doc.getMap('ratings').set(items1[0]!, levels[3]!);
    benOwn.doc.getMap('ratings').set(items1[1]!, levels[0]!);
    const cmd = await t.commander(t.facilitator);
    expect(
      await command(cmd, { op: 'open', sections: [s1], anonymised: true, deadline: null }),
    ).toMatchObject({ ok: true });
    // Progress (a server edit) is written and projected; the ratings table stays empty.
    await waitFor(
      () => Object.keys(latestRound(fac.doc)?.progress ?? {}).length === 2,
      'both raters’ progress',
    );
    await fx.server.app.sync.room(t.assessment)?.settled();
    await new Promise((r) => setTimeout(r, 200));
    expect((await rows(t.assessment)).ratings).toEqual([]);

    // The reveal (the server's own edit) reaches the ratings table, each rater by user id.
    expect(await command(cmd, { op: 'reveal', sections: 'all' })).toMatchObject({ ok: true });
    await until(
      async () => (await rows(t.assessment)).ratings.length === items1.length * 2,
      'the revealed ratings in the ratings table',
    );
    now = await rows(t.assessment);
    const of = (user: string, item: string) =>
      now.ratings.find((r) => r.rater_id === user && r.indicator_id === item)?.value;
    expect(of(t.ana, items1[0]!)).toBe(levels[1]);
    expect(of(t.ben, items1[0]!)).toBe(levels[3]);
    expect(of(t.ben, items1[1]!)).toBe(levels[0]);
    expect(of(t.ana, items1[1]!)).toBeNull();
    expect(now.ratings.every((r) => r.note === null)).toBe(true);

    // The rebuild from the stored documents: nothing to change, and from empty tables the same
    // rows.
    await fx.server.app.sync.room(t.assessment)?.settled();
    const again = await rebuildProjections(fx.db.handle.sql, fx.db.store, {
      workspaceId: (
        await fx.db.handle.sql.query<{ w: string }>(
          {
            name: 'test_p_ws',
            text: 'select workspace_id::text as w from documents where id = $1::uuid',
          },
          [t.assessment],
        )
      )[0]!.w,
    });
    expect(again.changed).toBe(0);
    expect(await rows(t.assessment)).toEqual(now);
    await fx.db.handle.sql.query(
      { name: 'test_p_clear_c', text: 'delete from consensus where document_id = $1::uuid' },
      [t.assessment],
    );
    await fx.db.handle.sql.query(
      { name: 'test_p_clear_r', text: 'delete from ratings where document_id = $1::uuid' },
      [t.assessment],
    );
    await rebuildProjections(fx.db.handle.sql, fx.db.store);
    expect(timeless(await rows(t.assessment))).toEqual(timeless(now));
    cmd.close();
  });

  it('loses nothing when the server stops between a document write and its projection', async () => {
    const t = await setup();
    const a = entries[3]!.indicator.id;
    const at = '2026-12-06T09:00:00.000Z';
    const decision = async () =>
      (await rows(t.assessment)).consensus.find((r) => r.indicator_id === a)?.value;
    // A server that stores the edit and never projects it: as if it crashed right after the write.
    const crashed = await startServer({ store: fx.db.store });
    const fac = stockClient(
      crashed.url,
      t.assessment,
      crashed.ticket(t.assessment, t.facilitator),
      { clientID: 71 },
    );
    await fac.synced();
    recordConsensus(fac.doc, rubric, { indicatorId: a, value: levels[1]!, by: t.facilitator, at });
    await until(
      async () =>
        (await fx.db.store.load(t.assessment)).state.byteLength > 0 &&
        (await projectedDocument(fx.db.handle.sql, t.assessment))!.headSeq > 0,
      'the edit stored',
    );
    fac.destroy();
    await crashed.close();
    expect(await decision()).toBeUndefined();

    // The next start catches the tables up from the store, with no client connected.
    const next = await startServer({
      store: fx.db.store,
      projection: { sql: fx.db.handle.sql, options: { delayMs: 20 } },
    });
    try {
      await until(async () => (await decision()) === levels[1], 'the decision caught up');
      const [state] = await fx.db.handle.sql.query<{ agreed: number; seq: number }>(
        {
          name: 'test_p_state',
          text: `select items_agreed as agreed, projected_seq::int as seq
            from instrument_states where document_id = $1::uuid`,
        },
        [t.assessment],
      );
      expect(state?.agreed).toBe(1);
      expect(state?.seq).toBe((await projectedDocument(fx.db.handle.sql, t.assessment))!.headSeq);
      expect(next.app.sync.room(t.assessment)).toBeUndefined();
    } finally {
      await next.close();
    }
  });

  it('follows a plan: goals and action steps a stock client edits reach their tables', async () => {
    const t = await setup();
    const sql = fx.db.handle.sql;
    const [row] = await fx.db.handle.db
      .insert(schema.documents)
      .values({
        workspaceId: t.space.workspaceId,
        kind: 'plan',
        title: 'Strategic plan',
        templateId: planTemplate.id,
        templateVersion: planTemplate.version,
      })
      .returning();
    const plan = row!.id;
    // Laid out when it is made, as the web app makes it.
    const initial = new Y.Doc();
    createPlan(initial, planTemplate);
    await fx.db.store.append([{ documentId: plan, update: Y.encodeStateAsUpdate(initial) }]);
    const planRows = async () => ({
      goals: await sql.query<Record<string, unknown>>(
        {
          name: 'test_p_goals',
          text: `select goal_id, area_id, title, owner_id::text as owner_id, owner_name,
              phase_year, due_date::text as due_date, status, indicator_ids,
              updated_at::text as updated_at
            from goals where document_id = $1::uuid order by goal_id`,
        },
        [plan],
      ),
      steps: await sql.query<Record<string, unknown>>(
        {
          name: 'test_p_steps',
          text: `select step_id, goal_id, title, owner_id::text as owner_id, owner_name, status,
              updated_at::text as updated_at
            from action_steps where document_id = $1::uuid order by step_id`,
        },
        [plan],
      ),
    });

    const fac = t.client(plan, t.facilitator, 31);
    await fac.synced();
    const area = planTemplate.areas[0]!.id;
    addGoal(fac.doc, planTemplate, {
      id: 'goal-coaching',
      area,
      title: 'Coaching for personalized learning',
      owners: [t.ana, 'Director of Professional Learning'],
      phase: planTemplate.phases[0]!.id,
      dueDate: '2027-06-30',
      indicators: [entries[0]!.indicator.id],
    });
    addActionStep(fac.doc, 'goal-coaching', {
      id: 'step-hire',
      title: 'Hire two coaches',
      owner: t.ben,
    });
    // How fast is P10's question (bench/p10-projection.ts), not this test's: it waits as long as
    // the machine needs.
    await until(
      async () => (await planRows()).steps.length === 1,
      'the goal and its step in the query tables',
    );
    let now = await planRows();
    expect(now.goals).toMatchObject([
      {
        goal_id: 'goal-coaching',
        area_id: area,
        title: 'Coaching for personalized learning',
        owner_id: t.ana,
        owner_name: 'Director of Professional Learning',
        phase_year: 1,
        due_date: '2027-06-30',
        status: planTemplate.goalStatuses[0]!.id,
        indicator_ids: [entries[0]!.indicator.id],
      },
    ]);
    expect(now.steps).toMatchObject([
      { step_id: 'step-hire', goal_id: 'goal-coaching', owner_id: t.ben, owner_name: null },
    ]);

    // A second goal and a step's status; then the second goal removed again.
    addGoal(fac.doc, planTemplate, { id: 'goal-devices', area, title: 'Devices' });
    updateActionStep(fac.doc, 'goal-coaching', 'step-hire', { status: 'in-progress' });
    await until(
      async () => (await planRows()).steps[0]?.status === 'in-progress',
      'the step’s status in action_steps',
    );
    expect((await planRows()).goals.map((g) => g.goal_id)).toEqual([
      'goal-coaching',
      'goal-devices',
    ]);
    removeGoal(fac.doc, 'goal-devices');
    await until(
      async () => (await planRows()).goals.length === 1,
      'the removed goal gone from goals',
    );

    // The rebuild from the stored document: nothing to change; from empty tables the same rows.
    // (The last edit's rows are in; the projection of the same rows writes nothing.)
    await fx.server.app.sync.room(plan)?.settled();
    now = await planRows();
    // (The first rebuild projects the workspace's assessment, never edited; the plan's rows
    // stay as they are, updated_at too.)
    const rebuild = () =>
      rebuildProjections(sql, fx.db.store, { workspaceId: t.space.workspaceId });
    expect(await rebuild()).toMatchObject({ goalRows: 1, actionStepRows: 1 });
    expect(await planRows()).toEqual(now);
    expect((await rebuild()).changed).toBe(0);
    await sql.query(
      { name: 'test_p_clear_g', text: 'delete from goals where document_id = $1::uuid' },
      [plan],
    );
    await rebuildProjections(sql, fx.db.store, { workspaceId: t.space.workspaceId });
    const timelessPlan = (r: Awaited<ReturnType<typeof planRows>>) => ({
      goals: r.goals.map(({ updated_at: _, ...rest }) => rest),
      steps: r.steps.map(({ updated_at: _, ...rest }) => rest),
    });
    expect(timelessPlan(await planRows())).toEqual(timelessPlan(now));
  });
});
