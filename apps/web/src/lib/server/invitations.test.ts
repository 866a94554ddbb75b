import { generateToken, hashToken } from '@concord/auth';
import { describe, expect, it } from 'vitest';
import { parseForm } from './form.js';
import {
  acceptInvitation,
  createInvitation,
  InviteSchema,
  listPendingInvitations,
  lookupInvitation,
  revokeInvitation,
} from './invitations.js';
import { listMembers } from './members.js';
import { statement } from './sql-statement.js';
import { addPerson, addWorkspace, countRows, useScratchDb } from './workspace-test-db.js';
import { INVITATION_TTL_MS } from './workspace-limits.js';

const getDb = useScratchDb();

const district = { represents: 'district', schoolId: null } as const;
const nobody = { represents: null, schoolId: null } as const;

async function setup() {
  const db = getDb();
  const owner = await addPerson(db, 'Owner');
  const ws = await addWorkspace(db, owner.id);
  return { db, owner, ws };
}

describe('InviteSchema', () => {
  it('names the email and role fields', () => {
    const data = new FormData();
    data.set('email', 'not an email');
    data.set('role', 'emperor');
    const form = parseForm(data, InviteSchema);
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(form.failure.data.errors.email).toMatch(/email address/);
    expect(form.failure.data.errors.role).toMatch(/role/);
    expect(form.failure.data.values.email).toBe('not an email');
  });
});

describe('invitations', () => {
  it('stores only the hash of the token, and the link shows what it is for', async () => {
    const { db, owner, ws } = await setup();
    const made = await createInvitation(db, {
      workspaceId: ws.id,
      actorId: owner.id,
      email: 'rater@example.org',
      role: 'rater',
      represents: district,
    });
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    const stored = await db.sql.query<{ token_hash: string }>(
      statement('t_inv_hash', 'select token_hash from invitations where id = $1'),
      [made.invitation.id],
    );
    expect(stored[0]?.token_hash).toBe(hashToken(made.token));
    expect(JSON.stringify(stored)).not.toContain(made.token);
    const found = await lookupInvitation(db.sql, made.token);
    expect(found).toMatchObject({
      status: 'valid',
      invitation: { role: 'rater', represents: 'district', email: 'rater@example.org' },
    });
    expect(await listPendingInvitations(db.sql, ws.id)).toHaveLength(1);
  });

  it('is single use: a second accept, by anyone, is refused', async () => {
    const { db, owner, ws } = await setup();
    const made = await createInvitation(db, {
      workspaceId: ws.id,
      actorId: owner.id,
      email: 'r@example.org',
      role: 'rater',
      represents: district,
    });
    if (!made.ok) throw new Error('not made');
    const a = await addPerson(db, 'A');
    const b = await addPerson(db, 'B');
    const results = await Promise.all([
      acceptInvitation(db, made.token, a.id),
      acceptInvitation(db, made.token, b.id),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'used']);
    const members = await listMembers(db.sql, ws.id);
    expect(members).toHaveLength(2);
    expect(members.find((m) => m.role === 'rater')?.represents).toBe('district');
    expect(await lookupInvitation(db.sql, made.token)).toEqual({ status: 'used' });
    expect(await listPendingInvitations(db.sql, ws.id)).toHaveLength(0);
    const audit = await db.sql.query<{ action: string }>(
      statement(
        't_inv_audit',
        `select action from audit_log where workspace_id = $1 and action in
         ('invitation.accept', 'membership.add') order by id`,
      ),
      [ws.id],
    );
    // The owner's own membership.add from the wizard, then this acceptance.
    expect(audit.map((r) => r.action)).toEqual([
      'membership.add',
      'invitation.accept',
      'membership.add',
    ]);
  });

  it('expires after INVITATION_TTL_MS', async () => {
    const { db, owner, ws } = await setup();
    const past = new Date(Date.now() - INVITATION_TTL_MS - 60_000);
    const made = await createInvitation(
      db,
      {
        workspaceId: ws.id,
        actorId: owner.id,
        email: 'v@example.org',
        role: 'viewer',
        represents: nobody,
      },
      past,
    );
    if (!made.ok) throw new Error('not made');
    expect(await lookupInvitation(db.sql, made.token)).toEqual({ status: 'expired' });
    const person = await addPerson(db, 'Late');
    expect(await acceptInvitation(db, made.token, person.id)).toEqual({ status: 'expired' });
    expect(await listMembers(db.sql, ws.id)).toHaveLength(1);
  });

  it('stops working when withdrawn; unknown and malformed tokens are "unknown"', async () => {
    const { db, owner, ws } = await setup();
    const made = await createInvitation(db, {
      workspaceId: ws.id,
      actorId: owner.id,
      email: 'f@example.org',
      role: 'facilitator',
      represents: nobody,
    });
    if (!made.ok) throw new Error('not made');
    const other = await setup();
    // Another workspace cannot withdraw it.
    expect(
      await revokeInvitation(db, {
        workspaceId: other.ws.id,
        actorId: other.owner.id,
        invitationId: made.invitation.id,
      }),
    ).toBe(false);
    expect(
      await revokeInvitation(db, {
        workspaceId: ws.id,
        actorId: owner.id,
        invitationId: made.invitation.id,
      }),
    ).toBe(true);
    const person = await addPerson(db, 'P');
    expect(await acceptInvitation(db, made.token, person.id)).toEqual({ status: 'unknown' });
    expect(await lookupInvitation(db.sql, generateToken())).toEqual({ status: 'unknown' });
    expect(await lookupInvitation(db.sql, "'; drop table invitations; --")).toEqual({
      status: 'unknown',
    });
  });

  it('refuses raters, viewers and strangers; only owners invite owners; not members again', async () => {
    const { db, owner, ws } = await setup();
    const stranger = await addPerson(db, 'Stranger');
    const before = await countRows(db, 'invitations');
    const base = { workspaceId: ws.id, email: 'x@example.org', represents: nobody };
    expect(await createInvitation(db, { ...base, actorId: stranger.id, role: 'viewer' })).toEqual({
      ok: false,
      problem: 'not-allowed',
    });
    const fac = await createInvitation(db, {
      ...base,
      actorId: owner.id,
      email: stranger.email,
      role: 'facilitator',
    });
    if (!fac.ok) throw new Error('not made');
    await acceptInvitation(db, fac.token, stranger.id);
    expect(await createInvitation(db, { ...base, actorId: stranger.id, role: 'owner' })).toEqual({
      ok: false,
      problem: 'owner-only',
    });
    expect(
      await createInvitation(db, {
        ...base,
        actorId: owner.id,
        email: stranger.email.toUpperCase(),
        role: 'viewer',
      }),
    ).toEqual({ ok: false, problem: 'already-member' });
    expect(await countRows(db, 'invitations')).toBe(before + 1);
  });

  it('an existing member following a link keeps their role', async () => {
    const { db, owner, ws } = await setup();
    const made = await createInvitation(db, {
      workspaceId: ws.id,
      actorId: owner.id,
      email: 'someone@example.org',
      role: 'viewer',
      represents: nobody,
    });
    if (!made.ok) throw new Error('not made');
    expect(await acceptInvitation(db, made.token, owner.id)).toEqual({
      status: 'already-member',
      workspaceId: ws.id,
      role: 'owner',
    });
  });
});
