import { describe, expect, it } from 'vitest';
import type { Role } from '@concord/auth/roles';
import type { Db } from './db.js';
import { changeMemberRole, listMembers, removeMember, representation } from './members.js';
import { statement } from './sql-statement.js';
import { addPerson, addWorkspace, useScratchDb } from './workspace-test-db.js';
import { listWorkspaceSchools } from './workspaces.js';

const getDb = useScratchDb();

const ADD = statement(
  't_add_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);
const AUDIT = statement(
  't_member_audit',
  `select action, actor_id, target, data from audit_log
   where workspace_id = $1 and action like 'membership.%' order by id`,
);

async function team(db: Db) {
  const owner = await addPerson(db, 'Owner');
  const ws = await addWorkspace(db, owner.id);
  const add = async (role: Role) => {
    const p = await addPerson(db, role);
    await db.sql.query(ADD, [ws.id, p.id, role]);
    return p;
  };
  return {
    ws,
    owner,
    facilitator: await add('facilitator'),
    rater: await add('rater'),
    viewer: await add('viewer'),
  };
}

const district = { represents: 'district', schoolId: null } as const;
const nobody = { represents: null, schoolId: null } as const;

describe('changeMemberRole', () => {
  it('changes the role and writes membership.role-change with old and new role', async () => {
    const db = getDb();
    const t = await team(db);
    const result = await changeMemberRole(db, {
      workspaceId: t.ws.id,
      actorId: t.facilitator.id,
      userId: t.viewer.id,
      role: 'rater',
      represents: district,
    });
    expect(result).toEqual({ ok: true, changed: true });
    const members = await listMembers(db.sql, t.ws.id);
    expect(members.find((m) => m.userId === t.viewer.id)).toMatchObject({
      role: 'rater',
      represents: 'district',
    });
    const audit = await db.sql.query<{ action: string; target: string; data: unknown }>(AUDIT, [
      t.ws.id,
    ]);
    expect(audit.at(-1)).toMatchObject({
      action: 'membership.role-change',
      target: `user:${t.viewer.id}`,
      data: { from: 'viewer', to: 'rater' },
    });
  });

  it('refuses raters and viewers, and a facilitator touching an owner', async () => {
    const db = getDb();
    const t = await team(db);
    const base = { workspaceId: t.ws.id, userId: t.viewer.id, role: 'facilitator' as const };
    for (const actor of [t.rater, t.viewer]) {
      expect(
        await changeMemberRole(db, { ...base, actorId: actor.id, represents: nobody }),
      ).toEqual({ ok: false, problem: 'not-allowed' });
    }
    expect(
      await changeMemberRole(db, {
        workspaceId: t.ws.id,
        actorId: t.facilitator.id,
        userId: t.owner.id,
        role: 'viewer',
        represents: nobody,
      }),
    ).toEqual({ ok: false, problem: 'owner-only' });
    expect(
      await changeMemberRole(db, {
        ...base,
        actorId: t.facilitator.id,
        role: 'owner',
        represents: nobody,
      }),
    ).toEqual({ ok: false, problem: 'owner-only' });
    const roles = (await listMembers(db.sql, t.ws.id)).map((m) => m.role);
    expect(roles).toEqual(['owner', 'facilitator', 'rater', 'viewer']);
  });

  it('never demotes the last owner, but does once there is a second', async () => {
    const db = getDb();
    const t = await team(db);
    const demote = (userId: string, actorId: string) =>
      changeMemberRole(db, {
        workspaceId: t.ws.id,
        actorId,
        userId,
        role: 'facilitator',
        represents: nobody,
      });
    expect(await demote(t.owner.id, t.owner.id)).toEqual({ ok: false, problem: 'last-owner' });
    expect(
      await changeMemberRole(db, {
        workspaceId: t.ws.id,
        actorId: t.owner.id,
        userId: t.facilitator.id,
        role: 'owner',
        represents: nobody,
      }),
    ).toEqual({ ok: true, changed: true });
    // Two owners demoting each other at once: exactly one succeeds.
    const both = await Promise.all([
      demote(t.owner.id, t.facilitator.id),
      demote(t.facilitator.id, t.owner.id),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    const owners = (await listMembers(db.sql, t.ws.id)).filter((m) => m.role === 'owner');
    expect(owners).toHaveLength(1);
  });

  it('refuses a school that is not the workspace’s', async () => {
    const db = getDb();
    const t = await team(db);
    const other = await team(db);
    const [foreign] = await listWorkspaceSchools(db.sql, other.ws.id);
    expect(
      await changeMemberRole(db, {
        workspaceId: t.ws.id,
        actorId: t.owner.id,
        userId: t.rater.id,
        role: 'rater',
        represents: { represents: 'school', schoolId: foreign!.id },
      }),
    ).toEqual({ ok: false, problem: 'bad-representation' });
  });
});

describe('removeMember', () => {
  it('removes, with a membership.remove audit row in the same transaction', async () => {
    const db = getDb();
    const t = await team(db);
    expect(
      await removeMember(db, {
        workspaceId: t.ws.id,
        actorId: t.facilitator.id,
        userId: t.rater.id,
      }),
    ).toEqual({ ok: true, changed: true });
    expect((await listMembers(db.sql, t.ws.id)).map((m) => m.userId)).not.toContain(t.rater.id);
    const audit = await db.sql.query<{ action: string; target: string; data: unknown }>(AUDIT, [
      t.ws.id,
    ]);
    expect(audit.at(-1)).toMatchObject({
      action: 'membership.remove',
      target: `user:${t.rater.id}`,
      data: { from: 'rater', to: null },
    });
    expect(
      await removeMember(db, { workspaceId: t.ws.id, actorId: t.owner.id, userId: t.rater.id }),
    ).toEqual({ ok: false, problem: 'not-a-member' });
  });

  it('never removes the last owner; only owners remove owners', async () => {
    const db = getDb();
    const t = await team(db);
    expect(
      await removeMember(db, { workspaceId: t.ws.id, actorId: t.owner.id, userId: t.owner.id }),
    ).toEqual({ ok: false, problem: 'last-owner' });
    expect(
      await removeMember(db, {
        workspaceId: t.ws.id,
        actorId: t.facilitator.id,
        userId: t.owner.id,
      }),
    ).toEqual({ ok: false, problem: 'owner-only' });
    expect(
      await removeMember(db, { workspaceId: t.ws.id, actorId: t.viewer.id, userId: t.rater.id }),
    ).toEqual({ ok: false, problem: 'not-allowed' });
    expect(await listMembers(db.sql, t.ws.id)).toHaveLength(4);
  });
});

describe('representation', () => {
  it('asks a rater whom they represent, and checks the school', () => {
    expect(representation('viewer', 'district', [])).toEqual({ ok: true, value: nobody });
    expect(representation('rater', undefined, []).ok).toBe(false);
    expect(representation('rater', 'district', [])).toEqual({ ok: true, value: district });
    expect(representation('rater', 's1', ['s1'])).toEqual({
      ok: true,
      value: { represents: 'school', schoolId: 's1' },
    });
    expect(representation('rater', 's2', ['s1']).ok).toBe(false);
  });
});
