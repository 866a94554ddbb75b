/**
 * The demo seed, as one suite run on PGlite (demo.pglite.test.ts) and PostgreSQL
 * (demo.postgres.test.ts): what it creates, that its documents are real Yjs histories the
 * document shapes read back (with every kind of rater disagreement), that the sign-ins work, and
 * that running it again changes nothing.
 */
import { verifyPassword } from '@concord/auth';
import {
  readChecklist,
  readFrozen,
  readPlan,
  readRatings,
  readRounds,
  readThreads,
  toAssessmentRatings,
} from '@concord/documents';
import { indicatorStats, launchReadiness } from '@concord/rubric-core';
import {
  knowledgeworksPlanTemplate,
  maPlnDistrictConditions,
  schoolworksPrerequisites,
} from '@concord/rubric-core/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from '../create-db.js';
import { InvalidInputError } from '../errors.js';
import type { Statement } from '../sql-runner.js';
import { projectionsBehind, rebuildProjections } from '../projection.js';
import { createDocumentStore } from '../sql-store.js';
import { rowCounts, type DatabaseTarget } from '../test-fixtures.js';
import {
  DC_RATINGS,
  DEMO_PASSWORD,
  DOCUMENT_IDS,
  PEOPLE,
  PREREQUISITES,
  RATERS,
} from './demo-data.js';
import { formatSignIns } from './sign-ins.js';
import { DEMO_WORKSPACE, seedDemo, type SeedResult } from './index.js';

const q = (text: string): Statement => ({ name: '', text });

export function seedContract(name: string, target: DatabaseTarget) {
  describe(`demo seed on ${name}`, () => {
    let handle: DbHandle;
    let first: SeedResult;
    const counts = () => rowCounts(handle);

    beforeAll(async () => {
      handle = await target.open();
      first = await seedDemo(handle);
    });
    afterAll(async () => {
      await handle?.close();
      await target.teardown?.();
    });

    const load = async (id: string) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await createDocumentStore(handle).load(id)).state);
      return doc;
    };

    it('creates the district, schools, people with their roles and the workspace', async () => {
      expect(first.created).toBe(true);
      expect(first.workspaceId).toBe(DEMO_WORKSPACE.id);
      expect(await counts()).toMatchObject({
        districts: 1,
        schools: 2,
        users: 7,
        password_credentials: 7,
        workspaces: 1,
        workspace_schools: 2,
        memberships: 7,
        documents: 12,
      });
      const members = await handle.sql.query<{
        email: string;
        role: string;
        represents: string | null;
        school: string | null;
      }>(
        q(`select u.email, m.role, m.represents, s.name as school from memberships m
           join users u on u.id = m.user_id left join schools s on s.id = m.school_id
           where m.workspace_id = '${DEMO_WORKSPACE.id}' order by u.email`),
      );
      expect(members.filter((m) => m.role === 'rater').map((m) => m.represents ?? '')).toEqual([
        'district',
        'district',
        'school',
        'school',
      ]);
      expect(members.filter((m) => m.role === 'viewer')).toHaveLength(1);
      expect(members.filter((m) => m.role === 'facilitator')).toHaveLength(1);
      expect(
        new Set(members.filter((m) => m.represents === 'school').map((m) => m.school)).size,
      ).toBe(2);
      expect(first.signIns.map((s) => s.role).sort()).toEqual([
        'facilitator',
        'owner',
        'rater',
        'rater',
        'rater',
        'rater',
        'viewer',
      ]);
      expect(formatSignIns(first.signIns)).toContain('facilitator@demo.concord.test');
    });

    it('gives every demo account a working argon2id password', async () => {
      const rows = await handle.sql.query<{ email: string; password_hash: string }>(
        q(
          `select u.email, p.password_hash from users u join password_credentials p on p.user_id = u.id`,
        ),
      );
      expect(rows).toHaveLength(7);
      const hash = rows[0]!.password_hash;
      expect(hash.startsWith('$argon2id$')).toBe(true);
      expect(await verifyPassword(hash, DEMO_PASSWORD)).toBe(true);
      expect(await verifyPassword(hash, 'concord-demo-2025')).toBe(false);
      expect(first.signIns.every((s) => s.password === DEMO_PASSWORD)).toBe(true);
    });

    it('stores the Prerequisites checklist with evidence and a Barrier that blocks launch', async () => {
      const checklist = readChecklist(
        await load(DOCUMENT_IDS.prerequisites),
        schoolworksPrerequisites,
      );
      expect(checklist['pre.funding']!.teamRating?.value).toBe(1);
      expect(checklist['pre.funding']!.evidence).toMatch(/Title IV-A/);
      expect(checklist['pre.community']!.status).toBe('in-discussion');
      const readiness = launchReadiness(
        schoolworksPrerequisites,
        toAssessmentRatings(schoolworksPrerequisites, [], checklist),
      );
      expect(readiness.status).toBe('blocked');
      expect(readiness.blockers.map((b) => b.indicatorId)).toEqual(['pre.funding']);
    });

    it('stores each rater’s blind ratings, unrevealed, disagreeing in every way rubric-core flags', async () => {
      const docs = await handle.sql.query<{
        id: string;
        owner_id: string;
        parent_id: string;
        revealed_at: Date | null;
      }>(
        q(
          `select id::text, owner_id::text, parent_id::text, revealed_at from documents
           where kind = 'ratings' and parent_id = '${DOCUMENT_IDS.assessment}' order by id`,
        ),
      );
      expect(docs.map((d) => d.owner_id)).toEqual(RATERS.map((k) => PEOPLE[k].id));
      expect(
        docs.every((d) => d.parent_id === DOCUMENT_IDS.assessment && d.revealed_at === null),
      ).toBe(true);
      const [assessment] = await handle.sql.query<{ revealed_at: Date | null }>(
        q(`select revealed_at from documents where id = '${DOCUMENT_IDS.assessment}'`),
      );
      expect(assessment!.revealed_at).toBeNull();

      const raters = await Promise.all(
        RATERS.map(async (key, i) => ({
          raterId: PEOPLE[key].id,
          ratings: readRatings(await load(DOCUMENT_IDS.ratings(i)), maPlnDistrictConditions),
        })),
      );
      raters.forEach((r, i) => {
        for (const [id, values] of Object.entries(DC_RATINGS))
          expect(r.ratings[id]).toBe(values[i]);
      });
      const input = toAssessmentRatings(maPlnDistrictConditions, raters);
      const kinds = new Set<string>();
      for (const id of Object.keys(DC_RATINGS).filter((i) => !i.startsWith('dc.autonomy'))) {
        const values = input[id]!.ratings.flatMap((r) => (r.value === null ? [] : [r.value]));
        const stats = indicatorStats(values, maPlnDistrictConditions.scale);
        kinds.add(stats.flag?.kind ?? (stats.range === 0 ? 'unanimous' : 'adjacent'));
      }
      expect([...kinds].sort()).toEqual([
        'adjacent',
        'one-outlier',
        'split',
        'spread',
        'unanimous',
      ]);
      // Nothing of them is in the query tables: no round has revealed them.
      const rows = await handle.sql.query(
        q(`select 1 from ratings where document_id = '${DOCUMENT_IDS.assessment}'`),
      );
      expect(rows).toHaveLength(0);
    });

    it('has the Prerequisites rated blind in round 1, revealed and fixed, as the server writes it', async () => {
      const checklistDoc = await load(DOCUMENT_IDS.prerequisites);
      const rounds = readRounds(checklistDoc);
      expect(rounds).toHaveLength(1);
      const round = rounds[0]!;
      const ids = RATERS.map((k) => PEOPLE[k].id);
      expect(round).toMatchObject({
        id: 'r1',
        sections: ['pre'],
        anonymised: false,
        closed: null,
        opened: { by: PEOPLE.facilitator.id },
      });
      // A named round: each rater keyed by user id, named, with their progress (counts only).
      expect(Object.keys(round.raters).sort()).toEqual([...ids].sort());
      expect(round.raters[PEOPLE.shirley.id]).toBe('Tom Brennan');
      const rated = (i: number) =>
        Object.values(PREREQUISITES.ratings).filter((v) => v[i] !== null).length;
      RATERS.forEach((k, i) => expect(round.progress[PEOPLE[k].id]).toEqual({ pre: rated(i) }));
      // The one section revealed: every rater's blind rating of every category.
      expect(Object.keys(round.revealed)).toEqual(['pre']);
      const snapshot = round.revealed.pre!;
      expect(snapshot.by).toBe(PEOPLE.facilitator.id);
      for (const [id, values] of Object.entries(PREREQUISITES.ratings)) {
        expect(snapshot.ratings[id], id).toEqual(
          Object.fromEntries(RATERS.map((k, i) => [PEOPLE[k].id, values[i]])),
        );
      }
      // Each rater's own document holds those ratings, fixed by the reveal's freeze marks.
      const docs = await handle.sql.query<{ id: string; owner_id: string; created_by: string }>(
        q(`select id::text, owner_id::text, created_by::text from documents
           where kind = 'ratings' and parent_id = '${DOCUMENT_IDS.prerequisites}' order by id`),
      );
      expect(docs.map((d) => d.owner_id)).toEqual(ids);
      expect(docs.every((d) => d.created_by === d.owner_id)).toBe(true);
      for (const [i, d] of docs.entries()) {
        const doc = await load(d.id);
        const mine = readRatings(doc, schoolworksPrerequisites);
        for (const [id, values] of Object.entries(PREREQUISITES.ratings))
          expect(mine[id], id).toBe(values[i]);
        expect([...readFrozen(doc)].sort()).toEqual(Object.keys(PREREQUISITES.ratings).sort());
      }
      // Who each key stands for, and the reveal in the audit log.
      const keys = await handle.sql.query<{ user_id: string; rater_key: string }>(
        q(`select user_id::text, rater_key from round_raters
           where document_id = '${DOCUMENT_IDS.prerequisites}' and round_id = 'r1'`),
      );
      expect(keys.map((k) => k.user_id).sort()).toEqual([...ids].sort());
      expect(keys.every((k) => k.rater_key === k.user_id)).toBe(true);
      const [audit] = await handle.sql.query<{ actor: string; data: unknown }>(
        q(`select actor_id::text as actor, data from audit_log where action = 'ratings.reveal'
           and target = 'document:${DOCUMENT_IDS.prerequisites}'`),
      );
      expect(audit?.actor).toBe(PEOPLE.facilitator.id);
      expect(audit?.data).toEqual({ round: 'r1', sections: ['pre'] });
      // The query table holds exactly the revealed ratings, as the projector writes them.
      const rows = await handle.sql.query<{
        indicator_id: string;
        rater_id: string;
        value: number | null;
      }>(
        q(`select indicator_id, rater_id::text, value from ratings
           where document_id = '${DOCUMENT_IDS.prerequisites}'`),
      );
      expect(rows).toHaveLength(Object.keys(PREREQUISITES.ratings).length * RATERS.length);
      for (const r of rows) {
        const i = ids.indexOf(r.rater_id);
        expect(r.value, `${r.indicator_id} ${r.rater_id}`).toBe(
          PREREQUISITES.ratings[r.indicator_id]![i],
        );
      }
    });

    it('attributes each edit to the person who made it, one update per edit', async () => {
      const authors = await handle.sql.query<{ author: string; n: number }>(
        q(`select author_id::text as author, count(*)::int as n from document_updates
           where document_id = '${DOCUMENT_IDS.ratings(3)}' group by author_id`),
      );
      const byAuthor = Object.fromEntries(authors.map((a) => [a.author, a.n]));
      // The facilitator laid the document out; every rating and note after is the rater's own.
      expect(byAuthor[PEOPLE.facilitator.id]).toBe(1);
      expect(byAuthor[PEOPLE.shirley.id]).toBe(Object.keys(DC_RATINGS).length + 1);
      expect(Object.keys(byAuthor)).toHaveLength(2);
    });

    it('stores a small plan with goals, steps and a metric, matched by the query tables', async () => {
      const plan = readPlan(await load(DOCUMENT_IDS.plan), knowledgeworksPlanTemplate);
      expect(plan.vision).toMatch(/^Every Revere student/);
      expect(plan.goals).toHaveLength(3);
      expect(plan.goals.flatMap((g) => g.steps)).toHaveLength(3);
      expect(plan.metrics[0]).toMatchObject({
        name: 'Chronic absenteeism',
        current: { all: 20.2, 'english-language-learners': 24.5 },
      });
      const goals = await handle.sql.query<{
        goal_id: string;
        owner: string | null;
        phase_year: number;
        due_date: string;
      }>(
        q(`select g.goal_id, u.display_name as owner, g.phase_year, g.due_date::text as due_date
           from goals g left join users u on u.id = g.owner_id
           where g.workspace_id = '${DEMO_WORKSPACE.id}' order by g.due_date`),
      );
      expect(goals).toEqual([
        { goal_id: 'goal-devices', owner: 'Grace Chen', phase_year: 1, due_date: '2027-01-31' },
        { goal_id: 'goal-funding', owner: 'Morgan Ellis', phase_year: 1, due_date: '2027-03-31' },
        { goal_id: 'goal-coaching', owner: 'Priya Raman', phase_year: 1, due_date: '2027-06-30' },
      ]);
      // Every owner of every goal, users and names (goals keep only the first user).
      const owners = await handle.sql.query<{ goal_id: string; owner: string }>(
        q(`select o.goal_id, coalesce(u.display_name, o.name) as owner
           from goal_owners o left join users u on u.id = o.user_id
           where o.workspace_id = '${DEMO_WORKSPACE.id}' order by o.goal_id, o.position`),
      );
      expect(owners.filter((o) => o.goal_id === 'goal-funding').map((o) => o.owner)).toEqual([
        'Morgan Ellis',
        'Chief Financial Officer',
      ]);
      expect(await counts()).toMatchObject({
        action_steps: 3,
        metrics: 4,
        metric_values: 9,
        document_versions: 1,
        consensus: 8 + 34,
        ratings: 8 * 4,
      });
      const threads = readThreads(await load(DOCUMENT_IDS.planComments));
      expect(threads[0]!.messages).toHaveLength(2);
    });

    it('writes the query tables as the projector would: nothing behind, a rebuild changes nothing', async () => {
      const behind = (await projectionsBehind(handle.sql, 100_000)).filter(
        (d) => d.workspaceId === DEMO_WORKSPACE.id,
      );
      expect(behind).toEqual([]);
      const rebuilt = await rebuildProjections(handle.sql, createDocumentStore(handle), {
        workspaceId: DEMO_WORKSPACE.id,
      });
      expect(rebuilt).toMatchObject({
        changed: 0,
        skipped: [],
        goalRows: 3,
        actionStepRows: 3,
        metricRows: 4,
        metricValueRows: 9,
      });
    });

    it('changes nothing on a second run, and says so', async () => {
      const before = await counts();
      const again = await seedDemo(handle);
      expect(again.created).toBe(false);
      expect(again.workspaceId).toBe(DEMO_WORKSPACE.id);
      expect(again.signIns).toEqual(first.signIns);
      expect(await counts()).toEqual(before);
    });

    it('refuses a password that sign-up would refuse', async () => {
      await expect(seedDemo(handle, { password: 'password' })).rejects.toThrow(InvalidInputError);
    });
  });
}
