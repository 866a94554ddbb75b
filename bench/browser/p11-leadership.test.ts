/**
 * P11: the leadership view over 50 workspaces, server time (target ≤ 300 ms, median).
 *
 * One person is a member (owner) of WORKSPACES workspaces, each made through the wizard (five
 * instruments, their first projection in the query tables, an empty plan); each plan's goals and
 * action steps are then written into the query tables as the projector writes them (GOALS goals
 * with STEPS steps each, owned by the person, some overdue), since the page reads only the
 * tables. The page (`GET /leadership`, server-rendered) is requested over loopback with the
 * person's session and timed from the request to the last byte of the answer: the server's time
 * plus loopback, an upper bound of the server time. One request first (not counted); then per
 * run SAMPLES requests, one after another; a cell is the median of the runs' medians.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDb } from '@concord/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createWorkspaceByHttp,
  get,
  signUpByHttp,
  type Person,
} from '../../tests/e2e/workspace-support.js';
import {
  SMOKE,
  WRITE,
  date,
  loadavg,
  machine,
  median,
  medianSpread,
  runs,
  verdict,
  writeSection,
} from './support.js';

const WORKSPACES = SMOKE ? 3 : 50;
const GOALS = 12;
const STEPS = 3;
const SAMPLES = SMOKE ? 3 : 20;
const TARGET_MS = 300;

let person: Person;
let db: Awaited<ReturnType<typeof createDb>>;

beforeAll(async () => {
  person = await signUpByHttp('Lee Leadership');
  const ids: string[] = [];
  // A few at a time: the wizard's transaction per workspace is the slow part.
  for (let i = 0; i < WORKSPACES; i += 5) {
    const batch = [];
    for (let j = i; j < Math.min(WORKSPACES, i + 5); j++) {
      batch.push(createWorkspaceByHttp(person, `Bench P11 ${j + 1}`));
    }
    ids.push(...(await Promise.all(batch)));
  }
  db = await createDb({ databaseUrl: inject('databaseUrl') });
  const [user] = await db.sql.query<{ id: string }>(
    { name: 'bench_p11_user', text: 'select id::text as id from users where email = $1' },
    [person.email],
  );
  const userId = user!.id;
  const goals: unknown[] = [];
  const steps: unknown[] = [];
  const plans = await db.sql.query<{ id: string; workspace_id: string }>(
    {
      name: 'bench_p11_plans',
      text: `select id::text as id, workspace_id::text as workspace_id from documents
        where kind = 'plan' and workspace_id = any($1::uuid[])`,
    },
    [ids],
  );
  for (const plan of plans) {
    for (let g = 0; g < GOALS; g++) {
      const goalId = `goal-${randomUUID()}`;
      goals.push({
        workspace_id: plan.workspace_id,
        document_id: plan.id,
        goal_id: goalId,
        area_id: 'kw.curriculum',
        title: `Goal ${g + 1}`,
        owner_id: userId,
        phase_year: (g % 5) + 1,
        due_date: g % 4 === 0 ? '2026-01-15' : '2027-06-30',
        status: ['not-started', 'on-track', 'at-risk', 'off-track', 'complete'][g % 5],
      });
      for (let s = 0; s < STEPS; s++) {
        steps.push({
          workspace_id: plan.workspace_id,
          document_id: plan.id,
          step_id: `step-${randomUUID()}`,
          goal_id: goalId,
          title: `Action ${s + 1}`,
          owner_id: userId,
          due_date: s === 0 ? '2026-02-01' : '2027-03-01',
          status: s === 2 ? 'done' : 'in-progress',
        });
      }
    }
  }
  await db.sql.query(
    {
      name: 'bench_p11_goals',
      text: `insert into goals (workspace_id, document_id, goal_id, area_id, title, owner_id,
          phase_year, due_date, status)
        select * from jsonb_to_recordset($1::jsonb) as t(workspace_id uuid, document_id uuid,
          goal_id text, area_id text, title text, owner_id uuid, phase_year int, due_date date,
          status text)`,
    },
    [JSON.stringify(goals)],
  );
  await db.sql.query(
    {
      name: 'bench_p11_steps',
      text: `insert into action_steps (workspace_id, document_id, step_id, goal_id, title,
          owner_id, due_date, status)
        select * from jsonb_to_recordset($1::jsonb) as t(workspace_id uuid, document_id uuid,
          step_id text, goal_id text, title text, owner_id uuid, due_date date, status text)`,
    },
    [JSON.stringify(steps)],
  );
}, 600_000);

afterAll(async () => {
  await db?.close();
});

async function timedGet(): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await get('/leadership', person.session);
  const body = await res.text();
  const ms = performance.now() - t0;
  expect(res.status).toBe(200);
  return { ms, body };
}

describe('P11: the leadership view over 50 workspaces', () => {
  it(`answers within ${TARGET_MS} ms (median)`, async () => {
    const first = await timedGet();
    // Every workspace is on the page.
    expect(first.body.match(/data-workspace-id=/g)?.length).toBe(WORKSPACES);
    const before = loadavg();
    const medians: number[] = [];
    const all: number[] = [];
    for (let r = 0; r < runs(SMOKE); r++) {
      const ms: number[] = [];
      for (let i = 0; i < SAMPLES; i++) ms.push((await timedGet()).ms);
      medians.push(median(ms));
      all.push(...ms);
    }
    const after = loadavg();
    const cell = medianSpread(medians);
    const result = median(medians);
    console.log(`P11: ${WORKSPACES} workspaces, median ${cell} ms per run`);
    if (WRITE && !SMOKE) {
      writeSection(
        'P11',
        `
## P11: leadership view over 50 workspaces

Measured ${date()} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:browser\` (bench/browser/p11-leadership.test.ts).
Production build (\`apps/web/build/host/main.js\`, \`NODE_ENV=production\`, a scratch PostgreSQL 15 database) on
127.0.0.1. One person owns ${WORKSPACES} workspaces made through the wizard (five instruments each, projected into
\`instrument_states\`); each plan has ${GOALS} goals with ${STEPS} action steps in the query tables (some overdue).
\`GET /leadership\` with their session, timed from the request to the last byte (server time plus loopback);
one request first, not counted; ${runs(SMOKE)} runs of ${SAMPLES} requests; cell: median of the runs' medians (min–max).
1-minute load average ${before} before, ${after} after.

| workspaces | goals | action steps | median ms | p95 ms (all requests) |
|---|---|---|---|---|
| ${WORKSPACES} | ${WORKSPACES * GOALS} | ${WORKSPACES * GOALS * STEPS} | ${cell} | ${[...all].sort((a, b) => a - b)[Math.floor(all.length * 0.95)]!.toFixed(1)} |

- median ${result.toFixed(1)} ms (target ≤ ${TARGET_MS} ms): ${verdict(result <= TARGET_MS)}
`,
      );
    }
    if (!SMOKE) expect(result).toBeLessThanOrEqual(TARGET_MS * 3);
  }, 600_000);
});
