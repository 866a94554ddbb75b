/**
 * The leadership view and My actions over the query tables (PostgreSQL scratch database): a goal
 * counts for every one of its owners (users and names), metric trends come with their subgroups
 * and sentence, and a district's workspaces of two school years make a readiness comparison.
 */
import { writePlanProjection, type PlanRows } from '@concord/db/projection';
import { describe, expect, it } from 'vitest';
import { leadershipView } from './leadership.js';
import { myActions } from './my-actions.js';
import { statement } from './sql-statement.js';
import { addPerson, addWorkspace, useScratchDb } from './workspace-test-db.js';

const getDb = useScratchDb();

const DOCS = statement(
  't_leadership_docs',
  `select d.id::text as id, d.kind, d.template_id, w.district_id::text as district_id
   from documents d join workspaces w on w.id = d.workspace_id
   where d.workspace_id = $1::uuid order by d.created_at, d.id`,
);
const ADD_MEMBER = statement(
  't_leadership_member',
  `insert into memberships (workspace_id, user_id, role) values ($1::uuid, $2::uuid, 'viewer')`,
);
const SCORES = statement(
  't_leadership_scores',
  `update instrument_states set section_scores = $2::jsonb where document_id = $1::uuid`,
);

const score = (sectionId: string, title: string, mean: number) => ({
  sectionId,
  title,
  depth: 0,
  ownScale: false,
  indicators: 4,
  scored: 4,
  withConsensus: 4,
  mean,
  basis: 'consensus',
  atOrAbove: null,
  level: Math.floor(mean),
  levelLabel: null,
});

describe('leadershipView and myActions', () => {
  it('counts every owner of a goal, shows metric trends and readiness across cycles', async () => {
    const db = getDb();
    const lee = await addPerson(db, 'Lee Leader');
    const ana = await addPerson(db, 'Ana Owner');
    const before = await addWorkspace(db, lee.id, {
      name: 'Revere 2025-26',
      schoolYear: '2025-26',
      instruments: ['district-conditions'],
      planningSchools: [],
    });
    const beforeDocs = await db.sql.query<{
      id: string;
      kind: string;
      template_id: string;
      district_id: string;
    }>(DOCS, [before.id]);
    const now = await addWorkspace(db, lee.id, {
      name: 'Revere 2026-27',
      schoolYear: '2026-27',
      district: beforeDocs[0]!.district_id,
      newSchools: 'Beachmont Elementary',
      instruments: ['district-conditions', 'plan'],
      planningSchools: [],
    });
    await db.sql.query(ADD_MEMBER, [now.id, ana.id]);
    const nowDocs = await db.sql.query<{ id: string; kind: string; template_id: string }>(DOCS, [
      now.id,
    ]);
    const plan = nowDocs.find((d) => d.kind === 'plan')!;
    const dcBefore = beforeDocs.find((d) => d.kind === 'assessment')!;
    const dcNow = nowDocs.find((d) => d.kind === 'assessment')!;
    await db.sql.query(SCORES, [
      dcBefore.id,
      JSON.stringify([score('s1', 'Leadership', 1.5), score('s2', 'Budget', 2)]),
    ]);
    await db.sql.query(SCORES, [
      dcNow.id,
      JSON.stringify([score('s1', 'Leadership', 2.5), score('s2', 'Budget', 2)]),
    ]);

    const goal = (goalId: string, title: string, status: string, dueDate: string | null) => ({
      goalId,
      areaId: 'kw.curriculum',
      title,
      ownerId: null,
      ownerName: null,
      phaseYear: 1,
      startDate: null,
      dueDate,
      status,
      confidence: null,
      indicatorIds: [],
    });
    const rows: PlanRows = {
      goals: [
        goal('g1', 'Coaching', 'at-risk', '2026-11-30'),
        goal('g2', 'Devices', 'on-track', '2027-06-30'),
        goal('g3', 'Funding', 'not-started', null),
      ],
      goalOwners: [
        { goalId: 'g1', position: 0, userId: lee.id, name: null },
        { goalId: 'g1', position: 1, userId: ana.id, name: null },
        { goalId: 'g1', position: 2, userId: null, name: 'Chief Financial Officer' },
        { goalId: 'g2', position: 0, userId: ana.id, name: null },
      ],
      actionSteps: [],
      metrics: [
        {
          metricId: 'm1',
          subgroup: 'all',
          goalId: null,
          name: 'Chronic absenteeism',
          source: null,
          unit: '%',
          baseline: 18.2,
          target: 12,
          current: 16.1,
        },
        {
          metricId: 'm1',
          subgroup: 'english-language-learners',
          goalId: null,
          name: 'Chronic absenteeism',
          source: null,
          unit: '%',
          baseline: 25,
          target: 15,
          current: 24,
        },
      ],
      metricValues: [
        { metricId: 'm1', subgroup: 'all', measuredOn: '2026-10-31', value: 17.5 },
        { metricId: 'm1', subgroup: 'all', measuredOn: '2027-01-31', value: 16.1 },
        {
          metricId: 'm1',
          subgroup: 'english-language-learners',
          measuredOn: '2027-01-31',
          value: 24,
        },
      ],
    };
    await writePlanProjection(
      db.sql,
      { documentId: plan.id, workspaceId: now.id, headSeq: 0 },
      rows,
    );

    const view = await leadershipView(db.sql, lee.id, '2026-12-08');
    const ws = view.workspaces.find((w) => w.id === now.id)!;
    expect(ws.goals.find((g) => g.goalId === 'g1')!.owners).toEqual([
      'Lee Leader',
      'Ana Owner',
      'Chief Financial Officer',
    ]);
    expect(ws.goals.find((g) => g.goalId === 'g3')!.owners).toEqual([]);
    expect(ws.byOwner).toEqual([
      { owner: 'Ana Owner', userId: ana.id, goals: 2, atRisk: 1, complete: 0, overdue: 1 },
      {
        owner: 'Chief Financial Officer',
        userId: null,
        goals: 1,
        atRisk: 1,
        complete: 0,
        overdue: 1,
      },
      { owner: 'Lee Leader', userId: lee.id, goals: 1, atRisk: 1, complete: 0, overdue: 1 },
    ]);
    expect(ws.overdue.find((o) => o.id === 'g1')!.owner).toBe(
      'Lee Leader, Ana Owner, Chief Financial Officer',
    );
    expect(ws.metrics).toHaveLength(1);
    expect(ws.metrics[0]!.series.map((s) => [s.label, s.points.length])).toEqual([
      ['All students', 2],
      ['English language learners', 1],
    ]);
    expect(ws.metrics[0]!.summary).toBe(
      'Chronic absenteeism: 18.2% at baseline, 16.1% on 2027-01-31, target 12%: 34% of the way; ' +
        'furthest behind: English language learners (10% of the way).',
    );
    expect(view.cycles).toHaveLength(1);
    expect(view.cycles[0]!.cycles.map((c) => c.label)).toEqual(['2025-26', '2026-27']);
    expect(view.cycles[0]!.sections.map((s) => [s.title, s.means])).toEqual([
      ['Leadership', [1.5, 2.5]],
      ['Budget', [2, 2]],
    ]);

    // My actions: a goal is on the list of each user among its owners.
    const anas = await myActions(db.sql, ana.id);
    expect(
      anas
        .filter((a) => a.kind === 'goal')
        .map((a) => a.id)
        .sort(),
    ).toEqual(['g1', 'g2']);
    const lees = await myActions(db.sql, lee.id);
    expect(lees.filter((a) => a.kind === 'goal').map((a) => a.id)).toEqual(['g1']);

    // Ana sees only the workspace she is a member of: no cycles to compare.
    const hers = await leadershipView(db.sql, ana.id, '2026-12-08');
    expect(hers.workspaces.map((w) => w.id)).toEqual([now.id]);
    expect(hers.cycles).toEqual([]);
  });
});
