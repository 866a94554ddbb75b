import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@concord/auth/roles';
import { verifyTicket } from '@concord/sync-protocol/ticket';
import type { Db } from './db.js';
import { statement } from './sql-statement.js';
import { parseSyncConfig } from './sync-config.js';
import { issueSyncTicket, pageTickets, ticketCapabilities } from './sync-ticket.js';
import { addPerson, addWorkspace, useScratchDb } from './workspace-test-db.js';

const getDb = useScratchDb();

const ADD_MEMBER = statement(
  't_ticket_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);
const DOCUMENT_OF_KIND = statement(
  't_ticket_doc',
  `select id from documents where workspace_id = $1 and kind = $2 order by created_at, title limit 1`,
);
const ADD_RATINGS = statement(
  't_ticket_ratings',
  `insert into documents (workspace_id, kind, parent_id, owner_id, title)
   values ($1, 'ratings', $2, $3, 'Ratings') returning id`,
);
const REMOVE_MEMBER = statement(
  't_ticket_remove',
  `delete from memberships where workspace_id = $1 and user_id = $2`,
);
const REVEAL = statement(
  't_ticket_reveal',
  `update documents set revealed_at = now() where id = $1`,
);

async function team(db: Db) {
  const owner = await addPerson(db, 'Owner');
  const ws = await addWorkspace(db, owner.id);
  const member = async (role: Role) => {
    const p = await addPerson(db, role);
    await db.sql.query(ADD_MEMBER, [ws.id, p.id, role]);
    return p.id;
  };
  const ids: Record<Role | 'rater2', string> = {
    owner: owner.id,
    facilitator: await member('facilitator'),
    rater: await member('rater'),
    rater2: await member('rater'),
    viewer: await member('viewer'),
  };
  const docOf = async (kind: string) => {
    const [row] = await db.sql.query<{ id: string }>(DOCUMENT_OF_KIND, [ws.id, kind]);
    return row!.id;
  };
  return { ws, ids, plan: await docOf('plan'), assessment: await docOf('assessment') };
}

/** What each role's member gets on one document. */
async function byRole(
  db: ReturnType<typeof getDb>,
  workspaceId: string,
  ids: Record<Role, string>,
  documentId: string,
): Promise<Record<string, unknown>> {
  const got: Record<string, unknown> = {};
  for (const role of ROLES) {
    got[role] = await ticketCapabilities(db.sql, {
      workspaceId,
      documentId,
      userId: ids[role],
    });
  }
  return got;
}

describe('ticketCapabilities', () => {
  it('gives each role what the capability table gives it on a shared document', async () => {
    const db = getDb();
    const { ws, ids, plan } = await team(db);
    const got = await byRole(db, ws.id, ids, plan);
    const all = { ok: true, capabilities: ['read', 'write', 'awareness'] };
    expect(got).toEqual({
      owner: all,
      facilitator: all,
      rater: all,
      viewer: { ok: true, capabilities: ['read', 'awareness'] },
    });
  });

  it('gives decide (recording consensus) on an assessment to owner and facilitator only', async () => {
    const db = getDb();
    const { ws, ids, assessment } = await team(db);
    const got = await byRole(db, ws.id, ids, assessment);
    const decides = { ok: true, capabilities: ['read', 'write', 'awareness', 'decide'] };
    expect(got).toEqual({
      owner: decides,
      facilitator: decides,
      rater: { ok: true, capabilities: ['read', 'write', 'awareness'] },
      viewer: { ok: true, capabilities: ['read', 'awareness'] },
    });
  });

  it('keeps a ratings document to its rater until reveal, then read-only for everyone', async () => {
    const db = getDb();
    const { ws, ids, assessment } = await team(db);
    const [row] = await db.sql.query<{ id: string }>(ADD_RATINGS, [ws.id, assessment, ids.rater]);
    const ratings = row!.id;
    const ask = async (key: Role | 'rater2') =>
      ticketCapabilities(db.sql, {
        workspaceId: ws.id,
        documentId: ratings,
        userId: ids[key],
      });
    const keys = ['owner', 'facilitator', 'rater', 'rater2', 'viewer'] as const;
    const before = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await ask(k)])));
    // Refused exactly as a document that is not there (below): no reason to tell them apart.
    const refused = { ok: false };
    expect(before).toEqual({
      owner: refused,
      facilitator: refused,
      rater: { ok: true, capabilities: ['read', 'write', 'awareness'] },
      rater2: refused,
      viewer: refused,
    });

    await db.sql.query(REVEAL, [assessment]);
    const after = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await ask(k)])));
    for (const k of keys) expect(after[k], k).toEqual({ ok: true, capabilities: ['read'] });
  });

  it('knows no document outside the workspace, unknown, or not a uuid', async () => {
    const db = getDb();
    const a = await team(db);
    const b = await team(db);
    const ask = (documentId: string) =>
      ticketCapabilities(db.sql, {
        workspaceId: a.ws.id,
        documentId,
        userId: a.ids.owner,
      });
    const none = { ok: false };
    expect(await ask(b.plan)).toEqual(none);
    expect(await ask(randomUUID())).toEqual(none);
    expect(await ask('not-a-uuid')).toEqual(none);
    expect(await ask(a.plan)).toMatchObject({ ok: true });
  });

  it('reads the role with the document: someone no longer a member gets nothing', async () => {
    const db = getDb();
    const { ws, ids, plan } = await team(db);
    const ask = () =>
      ticketCapabilities(db.sql, { workspaceId: ws.id, documentId: plan, userId: ids.viewer });
    expect(await ask()).toMatchObject({ ok: true });
    await db.sql.query(REMOVE_MEMBER, [ws.id, ids.viewer]);
    expect(await ask()).toEqual({ ok: false });
  });
});

describe('issueSyncTicket', () => {
  const secret = 'a-test-secret-of-at-least-32-bytes!!';
  const userId = randomUUID();
  const documentId = randomUUID();
  const now = Date.UTC(2026, 8, 1, 12, 0, 0, 500);

  it('signs a ticket the sync server accepts, for the capabilities given', () => {
    const config = parseSyncConfig(
      { SYNC_TICKET_SECRET: secret, SYNC_PORT: '4321' },
      { requireSecret: true },
    );
    const body = issueSyncTicket(
      config,
      new URL('http://localhost:3000/w/x'),
      { userId, documentId, capabilities: ['read', 'awareness'] },
      now,
    );
    expect(body.url).toBe('ws://localhost:4321/sync');
    expect(body.capabilities).toEqual(['read', 'awareness']);
    expect(body.expiresAt).toBe('2026-09-01T12:01:00.000Z');
    const verified = verifyTicket(secret, body.ticket, documentId, now);
    expect(verified).toEqual({
      ok: true,
      value: {
        userId,
        documentId,
        capabilities: ['read', 'awareness'],
        exp: Date.UTC(2026, 8, 1, 12, 1, 0) / 1000,
      },
    });
    expect(
      verifyTicket('another-secret-of-at-least-32-bytes!!', body.ticket, documentId, now),
    ).toMatchObject({ ok: false, error: 'bad-signature' });
    expect(verifyTicket(secret, body.ticket, documentId, now + 61_000)).toMatchObject({
      ok: false,
      error: 'expired',
    });
  });

  it('points at PUBLIC_SYNC_URL when set, else wss for an https page', () => {
    const derived = parseSyncConfig({ SYNC_TICKET_SECRET: secret }, { requireSecret: true });
    const grant = { userId, documentId, capabilities: ['read'] as const };
    expect(issueSyncTicket(derived, new URL('https://concord.example.org/'), grant).url).toBe(
      'wss://concord.example.org:1234/sync',
    );
    const configured = parseSyncConfig(
      { SYNC_TICKET_SECRET: secret, PUBLIC_SYNC_URL: 'wss://sync.example.org/sync/' },
      { requireSecret: true },
    );
    expect(issueSyncTicket(configured, new URL('https://concord.example.org/'), grant).url).toBe(
      'wss://sync.example.org/sync',
    );
  });
});

describe('pageTickets', () => {
  it("issues the route's tickets for a page's documents, leaving out what the member may not open", async () => {
    const db = getDb();
    const { ws, ids, assessment } = await team(db);
    const [row] = await db.sql.query<{ id: string }>(ADD_RATINGS, [ws.id, assessment, ids.rater]);
    const ratings = row!.id;
    const secret = 'a-test-secret-of-at-least-32-bytes!!';
    const config = parseSyncConfig({ SYNC_TICKET_SECRET: secret }, { requireSecret: true });
    const now = Date.now();
    const page = new URL('http://localhost:3000/w/x');
    const mine = await pageTickets(
      db.sql,
      config,
      page,
      { workspaceId: ws.id, userId: ids.rater, name: 'Rater' },
      [assessment, ratings, null, assessment],
      now,
    );
    expect(Object.keys(mine).sort()).toEqual([assessment, ratings].sort());
    expect(mine[ratings]!.capabilities).toEqual(['read', 'write', 'awareness']);
    expect(verifyTicket(secret, mine[ratings]!.ticket, ratings, now)).toMatchObject({ ok: true });
    // Another rater's ratings before reveal: no ticket, as from the route.
    const theirs = await pageTickets(
      db.sql,
      config,
      page,
      { workspaceId: ws.id, userId: ids.rater2 },
      [assessment, ratings],
      now,
    );
    expect(Object.keys(theirs)).toEqual([assessment]);
  });
});
