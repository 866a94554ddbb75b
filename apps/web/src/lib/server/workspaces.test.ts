import { createDocumentStore } from '@concord/db';
import { readMeta } from '@concord/documents';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@concord/auth/roles';
import { closedDistrictsNote, districtChoiceProblem, listMyDistricts } from './districts.js';
import { parseForm } from './form.js';
import { statement } from './sql-statement.js';
import {
  addPerson,
  addWorkspace,
  countRows,
  useScratchDb,
  wizardValues,
} from './workspace-test-db.js';
import {
  createWorkspace,
  listMyWorkspaces,
  listWorkspaceDocuments,
  listWorkspaceSchools,
  workspaceAccess,
  WizardSchema,
} from './workspaces.js';

const getDb = useScratchDb();

/** Posts `values` as a form would (strings and repeated names) through the wizard schema. */
function wizardForm(values: Record<string, unknown>) {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) {
    for (const item of Array.isArray(v) ? v : [v]) data.append(k, String(item));
  }
  return parseForm(data, WizardSchema);
}

const TABLES = [
  'districts',
  'schools',
  'workspaces',
  'workspace_schools',
  'memberships',
  'documents',
  'document_updates',
  'audit_log',
];

async function counts(): Promise<Record<string, number>> {
  const db = getDb();
  return Object.fromEntries(
    await Promise.all(TABLES.map(async (t) => [t, await countRows(db, t)])),
  );
}

describe('wizard validation', () => {
  it('names each bad field and keeps what was typed', () => {
    const form = wizardForm(
      wizardValues({
        name: '   ',
        schoolYear: '2026-28',
        districtName: '',
        districtState: 'ZZ',
        newSchools: '',
        instruments: ['prerequisites', 'astrology'],
      }),
    );
    expect(form.ok).toBe(false);
    if (form.ok) return;
    const { errors, values } = form.failure.data;
    expect(errors.name).toMatch(/name/i);
    expect(errors.schoolYear).toMatch(/follow/i);
    expect(errors.districtName).toMatch(/district/i);
    expect(errors.districtState).toMatch(/state/i);
    expect(errors.newSchools).toMatch(/school/i);
    expect(Object.keys(errors).some((k) => k.startsWith('instruments'))).toBe(true);
    expect(values.schoolYear).toBe('2026-28');
  });

  it('asks for at least one instrument', () => {
    const form = wizardForm(wizardValues({ instruments: [], planningSchools: [] }));
    expect(form.ok).toBe(false);
    if (!form.ok) expect(form.failure.data.errors.instruments).toMatch(/at least one/i);
  });

  it('accepts a complete wizard', () => {
    expect(wizardForm(wizardValues()).ok).toBe(true);
  });
});

const ADD_MEMBER = statement(
  't_ws_add_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);

describe('who may start a workspace in an existing district', () => {
  /** A district with one workspace, and a member of it in each role. */
  async function districtTeam() {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    const ws = await addWorkspace(db, owner.id, { districtName: 'Chelsea Public Schools' });
    const [district] = (await listMyDistricts(db.sql, owner.id)).addable;
    const members = { owner: owner.id } as Record<Role, string>;
    for (const role of ROLES.filter((r) => r !== 'owner')) {
      const person = await addPerson(db, role);
      await db.sql.query(ADD_MEMBER, [ws.id, person.id, role]);
      members[role] = person.id;
    }
    return { db, district: district!, members };
  }

  it('offers the district, with its schools, to its owners only', async () => {
    const { db, district, members } = await districtTeam();
    expect(district.schools.map((s) => s.name)).toEqual([
      'Garfield Elementary',
      'Revere High School',
    ]);
    for (const role of ROLES) {
      const mine = await listMyDistricts(db.sql, members[role]);
      if (role === 'owner') {
        expect(mine, role).toEqual({ addable: [district], closed: [] });
        expect(closedDistrictsNote(mine)).toBeNull();
      } else {
        // Named (they work there) but not on offer, and its schools are not handed out.
        expect(mine, role).toEqual({
          addable: [],
          closed: [{ id: district.id, name: 'Chelsea Public Schools', state: 'MA' }],
        });
        expect(closedDistrictsNote(mine)).toMatch(
          /^Not listed: Chelsea Public Schools, MA\. Only an owner of one of a district’s workspaces/,
        );
      }
    }
  });

  it('refuses a facilitator, rater or viewer there by the district field (403), storing nothing', async () => {
    const { db, district, members } = await districtTeam();
    const input = WizardSchema.parse(
      wizardValues({
        name: 'Not mine to start',
        district: district.id,
        schoolIds: district.schools.map((s) => s.id),
        newSchools: 'Sneaky Academy',
      }),
    );
    const before = await counts();
    for (const role of ['facilitator', 'rater', 'viewer'] as const) {
      const result = await createWorkspace(db, members[role], input);
      expect(result, role).toEqual({
        ok: false,
        status: 403,
        errors: {
          district: expect.stringMatching(/^Only an owner of one of this district’s workspaces/),
        },
      });
      // The wizard's district step says the same before anything is posted to create.
      const mine = await listMyDistricts(db.sql, members[role]);
      const { ok: _ok, ...refusal } = result as Extract<typeof result, { ok: false }>;
      expect(districtChoiceProblem(mine, district.id)).toEqual(refusal);
    }
    expect(await counts()).toEqual(before);

    // The owner may; and a viewer may still start a workspace in a new district, as its owner.
    const byOwner = await createWorkspace(db, members.owner, input);
    expect(byOwner.ok).toBe(true);
    const ownWs = await addWorkspace(db, members.viewer, {
      districtName: 'Everett Public Schools',
    });
    expect((await workspaceAccess(db.sql, ownWs.id, members.viewer))?.role).toBe('owner');
  });
});

describe('createWorkspace', () => {
  it('makes the workspace, schools, owner, one document per instrument with content, and audit rows', async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    const ws = await addWorkspace(db, owner.id);

    const access = await workspaceAccess(db.sql, ws.id, owner.id);
    expect(access?.role).toBe('owner');
    expect(access?.workspace.districtName).toBe('Revere Public Schools');
    expect((await listWorkspaceSchools(db.sql, ws.id)).map((s) => s.name)).toEqual([
      'Garfield Elementary',
      'Revere High School',
    ]);

    const docs = await listWorkspaceDocuments(db.sql, ws.id);
    expect(docs.map((d) => [d.kind, d.templateId, d.schoolName])).toEqual([
      ['prerequisites', 'schoolworks-prerequisites', null],
      ['assessment', 'ma-pln-district-conditions', null],
      ['assessment', 'ma-pln-school-planning', 'Garfield Elementary'],
      ['assessment', 'schoolworks-fundamental-practices', null],
      ['plan', 'knowledgeworks-plan', null],
    ]);

    // Each document's first stored update lays it out from its template.
    const store = createDocumentStore(db);
    for (const doc of docs) {
      const loaded = await store.load(doc.id);
      expect(loaded.seq).toBe(1);
      const ydoc = new Y.Doc();
      Y.applyUpdate(ydoc, loaded.state);
      expect(readMeta(ydoc)).toMatchObject({ kind: doc.kind, templateId: doc.templateId });
    }

    const audit = await db.sql.query<{ action: string; target: string }>(
      statement(
        't_audit',
        `select action, target from audit_log where workspace_id = $1 order by id`,
      ),
      [ws.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'workspace.create',
      'membership.add',
      ...docs.map(() => 'document.create'),
    ]);
    expect(audit[1]?.target).toBe(`user:${owner.id}`);

    const mine = await listMyWorkspaces(db.sql, owner.id);
    expect(mine).toEqual([
      expect.objectContaining({ id: ws.id, role: 'owner', instruments: 5, members: 1 }),
    ]);
  });

  it('reuses one of my districts, adding new schools to it', async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    await addWorkspace(db, owner.id);
    const [district] = (await listMyDistricts(db.sql, owner.id)).addable;
    const garfield = district!.schools.find((s) => s.name === 'Garfield Elementary')!;
    const before = await counts();
    const ws = await addWorkspace(db, owner.id, {
      name: 'Second year',
      schoolYear: '2027-28',
      district: district!.id,
      schoolIds: [garfield.id],
      newSchools: 'Whelan Elementary\ngarfield elementary',
      instruments: ['plan'],
      planningSchools: ['Whelan Elementary'],
    });
    const after = await counts();
    expect(after.districts).toBe(before.districts);
    expect(after.schools).toBe(before.schools! + 1);
    expect((await listWorkspaceSchools(db.sql, ws.id)).map((s) => s.name)).toEqual([
      'Garfield Elementary',
      'Whelan Elementary',
    ]);
    expect(ws.documentIds).toHaveLength(2);
  });

  it("refuses someone else's district by the field, storing nothing", async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    await addWorkspace(db, owner.id);
    const [district] = (await listMyDistricts(db.sql, owner.id)).addable;
    const stranger = await addPerson(db, 'Stranger');
    const before = await counts();
    const input = WizardSchema.parse(
      wizardValues({ district: district!.id, newSchools: 'Another School' }),
    );
    const result = await createWorkspace(db, stranger.id, input);
    expect(result).toEqual({
      ok: false,
      status: 400,
      errors: { district: expect.stringMatching(/your districts/) },
    });
    // Not a uuid at all: the same answer, never a database error.
    const junk = WizardSchema.parse(wizardValues({ district: 'nope', newSchools: 'A School' }));
    expect(await createWorkspace(db, stranger.id, junk)).toEqual(result);
    expect(await counts()).toEqual(before);
  });

  it('refuses a School Planning Tool for a school not in the workspace, storing nothing', async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    const before = await counts();
    const input = WizardSchema.parse(wizardValues({ planningSchools: ['Nowhere Academy'] }));
    const result = await createWorkspace(db, owner.id, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.planningSchools).toMatch(/Nowhere Academy/);
    expect(await counts()).toEqual(before);
  });

  it('is invisible to non-members', async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    const ws = await addWorkspace(db, owner.id);
    const stranger = await addPerson(db, 'Stranger');
    expect(await workspaceAccess(db.sql, ws.id, stranger.id)).toBeNull();
    expect(await workspaceAccess(db.sql, 'not-a-uuid', owner.id)).toBeNull();
    expect(await listMyWorkspaces(db.sql, stranger.id)).toEqual([]);
  });
});
