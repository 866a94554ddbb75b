/**
 * The new-workspace wizard's load and form actions, called as SvelteKit calls them (an event with
 * the signed-in person and the posted form) on a scratch database: who is offered which district,
 * and that posting a district one may not add to is refused on the district field at the
 * district step and at the last, with nothing stored, never a 500. The browser and the HTTP
 * matrix (tests/e2e) cover the same through the production build.
 */
import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_GLOBAL_KEY } from '$lib/server/db';
import { statement } from '$lib/server/sql-statement';
import {
  addPerson,
  addWorkspace,
  countRows,
  useScratchDb,
  wizardValues,
} from '$lib/server/workspace-test-db';
import { listMyWorkspaces } from '$lib/server/workspaces';
import { actions, load } from './+page.server';

const getDb = useScratchDb();

// The route asks getDb(); hand it the scratch database the way the host process does.
beforeAll(() => {
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(getDb());
});
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY];
});

const ADD_MEMBER = statement(
  't_wizard_add_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);

type Person = { id: string; email: string };
type WizardEvent = Parameters<typeof load>[0] & Parameters<NonNullable<typeof actions.create>>[0];

/** One of the wizard's form actions (the `Actions` type says any may be missing). */
function action(name: 'next' | 'create') {
  const fn = actions[name];
  if (!fn) throw new Error(`the wizard has no ${name} action`);
  return fn;
}

function event(person: Person, action: string, fields: Record<string, unknown> = {}) {
  const url = new URL(`http://localhost/workspaces/new${action}`);
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, String(item));
  }
  return {
    url,
    request: new Request(url, { method: 'POST', body }),
    locals: {
      user: { id: person.id, email: person.email, name: 'Wizard tester' },
      session: { id: 'test-session', expiresAt: new Date(Date.now() + 60_000) },
    },
    // Only what these handlers read; the rest of a RequestEvent is never touched.
  } as unknown as WizardEvent;
}

/** What the action answered: a failure's status and data, or where it redirected. */
async function run(action: () => unknown) {
  try {
    const result = await action();
    if (isActionFailure(result)) return { status: result.status, data: result.data };
    return { status: 200, data: result };
  } catch (thrown) {
    if (isRedirect(thrown)) return { status: thrown.status, location: thrown.location };
    throw thrown;
  }
}

const TABLES = ['districts', 'schools', 'workspaces', 'memberships', 'documents', 'audit_log'];
async function counts() {
  const db = getDb();
  return Object.fromEntries(
    await Promise.all(TABLES.map(async (t) => [t, await countRows(db, t)])),
  );
}

/** The demo's case: a district with one workspace, its owner and a leadership viewer. */
async function districtWithViewer() {
  const db = getDb();
  const owner = await addPerson(db, 'Owner');
  const ws = await addWorkspace(db, owner.id);
  const viewer = await addPerson(db, 'Leadership');
  await db.sql.query(ADD_MEMBER, [ws.id, viewer.id, 'viewer']);
  const page = (await load(event(owner, ''))) as { districts: { id: string }[] };
  return { owner, viewer, districtId: page.districts[0]!.id };
}

describe('the new-workspace wizard and existing districts', () => {
  it('offers a viewer no district of theirs, and says why it is not listed', async () => {
    const { owner, viewer, districtId } = await districtWithViewer();
    const asViewer = await load(event(viewer, ''));
    expect(asViewer).toMatchObject({
      districts: [],
      closedDistrictsNote: expect.stringMatching(
        /^Not listed: Revere Public Schools, MA\. Only an owner/,
      ),
    });
    const asOwner = await load(event(owner, ''));
    expect(asOwner).toMatchObject({ districts: [{ id: districtId }], closedDistrictsNote: null });
  });

  it("refuses a viewer's post of that district at the district step, on the district field", async () => {
    const { viewer, districtId } = await districtWithViewer();
    const got = await run(() =>
      action('next')(
        event(viewer, '?/next', {
          step: 'district',
          district: districtId,
          newSchools: 'Sneaky Academy',
        }),
      ),
    );
    expect(got).toMatchObject({
      status: 403,
      data: {
        step: 'district',
        errors: { district: expect.stringMatching(/^Only an owner of one of this district’s/) },
      },
    });
  });

  it('refuses a viewer creating a workspace in that district (403, district field), storing nothing', async () => {
    const { viewer, districtId } = await districtWithViewer();
    const before = await counts();
    const got = await run(() =>
      action('create')(
        event(
          viewer,
          '?/create',
          wizardValues({
            name: 'Leadership’s own workspace',
            district: districtId,
            newSchools: 'Sneaky Academy',
            planningSchools: [],
          }),
        ),
      ),
    );
    expect(got).toMatchObject({
      status: 403,
      data: {
        step: 'district',
        errors: { district: expect.stringMatching(/^Only an owner of one of this district’s/) },
      },
    });
    expect(Object.keys((got as { data: { errors: object } }).data.errors)).toEqual(['district']);
    expect(await counts()).toEqual(before);
    expect(await listMyWorkspaces(getDb().sql, viewer.id)).toEqual([
      expect.objectContaining({ role: 'viewer' }),
    ]);
  });

  it('refuses a stranger or junk id as not in the list (400), and lets the owner create', async () => {
    const { owner, districtId } = await districtWithViewer();
    const stranger = await addPerson(getDb(), 'Stranger');
    const before = await counts();
    for (const district of [districtId, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const got = await run(() =>
        action('create')(
          event(stranger, '?/create', wizardValues({ district, planningSchools: [] })),
        ),
      );
      expect(got, district).toMatchObject({
        status: 400,
        data: {
          errors: { district: 'Choose one of your districts from the list, or a new district.' },
        },
      });
    }
    expect(await counts()).toEqual(before);

    const byOwner = await run(() =>
      action('create')(
        event(owner, '?/create', wizardValues({ district: districtId, planningSchools: [] })),
      ),
    );
    expect(byOwner).toMatchObject({ status: 303, location: expect.stringMatching(/^\/w\//) });
  });

  it('lets a viewer start a workspace in a new district, as its owner', async () => {
    const { viewer } = await districtWithViewer();
    const got = await run(() =>
      action('create')(event(viewer, '?/create', wizardValues({ districtName: 'Everett' }))),
    );
    expect(got).toMatchObject({ status: 303 });
    const roles = (await listMyWorkspaces(getDb().sql, viewer.id)).map((w) => w.role).sort();
    expect(roles).toEqual(['owner', 'viewer']);
  });
});

const SELECT_PLAN = statement(
  't_wizard_select_plan',
  `select d.title, a.data->>'planYears' as plan_years
     from documents d join audit_log a
       on a.workspace_id = d.workspace_id and a.action = 'workspace.create'
    where d.workspace_id = $1 and d.kind = 'plan'`,
);

describe('the wizard’s defaults and a plan over several years', () => {
  it('starts from the current school year and a five-year plan', async () => {
    const person = await addPerson(getDb(), 'Defaults');
    const page = (await load(event(person, ''))) as {
      defaults: { schoolYear: string; planYears: number };
    };
    const now = new Date();
    const start = now.getMonth() >= 6 ? now.getFullYear() : now.getFullYear() - 1;
    expect(page.defaults).toEqual({
      schoolYear: `${start}-${String((start + 1) % 100).padStart(2, '0')}`,
      planYears: 5,
    });
  });

  it('titles the plan with the years it spans, one or several', async () => {
    const person = await addPerson(getDb(), 'Planner');
    for (const [planYears, title] of [
      ['5', 'Strategic plan 2026-2031'],
      ['1', 'Strategic plan 2026-27'],
      ['3', 'Strategic plan 2026-2029'],
    ] as const) {
      const got = await run(() =>
        action('create')(
          event(person, '?/create', wizardValues({ districtName: `Plan ${planYears}`, planYears })),
        ),
      );
      expect(got).toMatchObject({ status: 303 });
      const id = (got as { location: string }).location.slice('/w/'.length);
      const rows = await getDb().sql.query<{ title: string; plan_years: string }>(SELECT_PLAN, [
        id,
      ]);
      expect(rows).toEqual([{ title, plan_years: planYears }]);
    }
  });

  it('refuses a plan length outside 1 to 5 on its field, at the instruments step', async () => {
    const person = await addPerson(getDb(), 'Overplanner');
    for (const planYears of ['0', '6', '2.5', 'many']) {
      const got = await run(() =>
        action('create')(event(person, '?/create', wizardValues({ planYears }))),
      );
      expect(got, planYears).toMatchObject({
        status: 400,
        data: {
          step: 'instruments',
          errors: { planYears: 'Choose how many years the plan covers, 1 to 5.' },
        },
      });
    }
  });
});
