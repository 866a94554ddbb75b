import { SESSION_RENEW_BEFORE_MS, SESSION_TTL_MS, hashToken } from '@concord/auth';
import { createDb } from '@concord/db';
import { createScratchDatabase, type ScratchDatabase } from '@concord/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from './auth/accounts.js';
import type { Db } from './db.js';
import {
  LAST_SEEN_RESOLUTION_MS,
  createSession,
  invalidateOwnSession,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  validateSessionToken,
} from './session.js';

let scratch: ScratchDatabase;
let db: Db;

beforeAll(async () => {
  scratch = await createScratchDatabase('concord_web_session');
  db = await createDb({ databaseUrl: scratch.url, poolMax: 2 });
}, 30_000);

afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

let n = 0;
async function person() {
  n += 1;
  return createAccount(db, { email: `p${n}-${Date.now()}@example.test`, name: `P ${n}` });
}

describe('sessions', () => {
  it('stores only the SHA-256 of the token and validates the token back to the person', async () => {
    const user = await person();
    const { token, session } = await createSession(db, user.id, {
      userAgent: 'Test/1.0',
      ip: '::ffff:127.0.0.1',
    });
    expect(session.id).toBe(hashToken(token));
    const stored = await db.sql.query<{ id: string }>(
      { name: 't_sessions', text: 'select id from sessions where user_id = $1::uuid' },
      [user.id],
    );
    expect(stored.map((r) => r.id)).toEqual([hashToken(token)]);
    expect(stored.some((r) => r.id === token)).toBe(false);
    const found = await validateSessionToken(db, token);
    expect(found?.user).toEqual({ id: user.id, email: user.email, name: user.name });
    expect(found?.session.ip).toBe('127.0.0.1');
    expect(found?.session.userAgent).toBe('Test/1.0');
    expect(found?.renewed).toBe(false);
  });

  it('refuses malformed, unknown and expired tokens (and deletes the expired session)', async () => {
    const user = await person();
    expect(await validateSessionToken(db, 'not a token')).toBeNull();
    expect(await validateSessionToken(db, 'a'.repeat(32))).toBeNull();
    const start = new Date();
    const { token } = await createSession(db, user.id, {}, start);
    const after = new Date(start.getTime() + SESSION_TTL_MS + 1);
    expect(await validateSessionToken(db, token, after)).toBeNull();
    expect(await validateSessionToken(db, token, start)).toBeNull();
  });

  it('slides: use in the second half of the life extends it to a full 30 days', async () => {
    const user = await person();
    const start = new Date();
    const { token, session } = await createSession(db, user.id, {}, start);
    const early = new Date(start.getTime() + 1000);
    expect((await validateSessionToken(db, token, early))?.renewed).toBe(false);
    const late = new Date(start.getTime() + SESSION_TTL_MS - SESSION_RENEW_BEFORE_MS + 1000);
    const renewed = await validateSessionToken(db, token, late);
    expect(renewed?.renewed).toBe(true);
    expect(renewed?.session.expiresAt.getTime()).toBe(late.getTime() + SESSION_TTL_MS);
    expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(session.expiresAt.getTime());
    // Stored: still valid just before the new expiry.
    const nearEnd = new Date(late.getTime() + SESSION_TTL_MS - 1000);
    expect(await validateSessionToken(db, token, nearEnd)).not.toBeNull();
  });

  it('records last seen at most every LAST_SEEN_RESOLUTION_MS', async () => {
    const user = await person();
    const start = new Date();
    const { token } = await createSession(db, user.id, {}, start);
    const soon = new Date(start.getTime() + 1000);
    expect((await validateSessionToken(db, token, soon))?.session.lastSeenAt.getTime()).toBe(
      (await listUserSessions(db, user.id))[0]?.lastSeenAt.getTime(),
    );
    const later = new Date(start.getTime() + LAST_SEEN_RESOLUTION_MS + 1000);
    await validateSessionToken(db, token, later);
    expect((await listUserSessions(db, user.id))[0]?.lastSeenAt.getTime()).toBe(later.getTime());
  });

  it('invalidates one, all but one, and only the owner can end their own', async () => {
    const user = await person();
    const other = await person();
    const a = await createSession(db, user.id);
    const b = await createSession(db, user.id);
    const c = await createSession(db, user.id);
    const theirs = await createSession(db, other.id);
    expect(await listUserSessions(db, user.id)).toHaveLength(3);

    expect(await invalidateOwnSession(db, other.id, a.session.id)).toBe(false);
    expect(await validateSessionToken(db, a.token)).not.toBeNull();
    expect(await invalidateOwnSession(db, user.id, a.session.id)).toBe(true);
    expect(await validateSessionToken(db, a.token)).toBeNull();

    await invalidateUserSessions(db, user.id, b.session.id);
    expect(await validateSessionToken(db, b.token)).not.toBeNull();
    expect(await validateSessionToken(db, c.token)).toBeNull();
    expect(await validateSessionToken(db, theirs.token)).not.toBeNull();

    await invalidateSession(db, b.session.id);
    await invalidateUserSessions(db, other.id);
    expect(await listUserSessions(db, user.id)).toEqual([]);
    expect(await listUserSessions(db, other.id)).toEqual([]);
  });
});
