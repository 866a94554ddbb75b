/**
 * Sessions the Lucia way: a random token lives only in the visitor's HttpOnly cookie; the database
 * keeps its SHA-256 as the session id, so a leaked table cannot be replayed. Sessions slide: one
 * used in the second half of its 30 days is extended (@concord/auth's renewedExpiry).
 *
 * Contract (other route modules rely on it; keep it stable):
 * - `createSession(db, userId, meta?)` → `{ token, session }`: the token goes into the cookie with
 *   `setSessionCookie(event, token, session.expiresAt)`, never anywhere else.
 * - `validateSessionToken(db, token)` → `{ session, user }` or `null` (unknown, expired or
 *   malformed); extends the expiry when due (`renewed: true`: set the cookie again).
 * - `invalidateSession(db, sessionId)`, `invalidateUserSessions(db, userId, exceptSessionId?)`
 *   (sign out everywhere, or everywhere else after a password change).
 * - `setSessionCookie(event, token, expiresAt)`, `deleteSessionCookie(event)`; the cookie is
 *   SESSION_COOKIE, HttpOnly, SameSite=Lax, path /, Secure when the site is served over https.
 * hooks.server.ts turns the cookie into `event.locals.user` / `event.locals.session`.
 */
import {
  SESSION_TTL_MS,
  generateToken,
  hashToken,
  isWellFormedToken,
  renewedExpiry,
} from '@concord/auth';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from './db.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'concord_session';

/** `last_seen_at` is written at most this often per session, so browsing costs no write per page. */
export const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

/** Longest user agent kept for the sessions list (the header is client-controlled). */
export const USER_AGENT_MAX_LENGTH = 400;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface Session {
  /** SHA-256 (hex) of the token. */
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export interface SessionMeta {
  userAgent?: string | null | undefined;
  ip?: string | null | undefined;
}

export interface ValidatedSession {
  session: Session;
  user: SessionUser;
  /** The expiry moved: send the cookie again with the new date. */
  renewed: boolean;
}

/** What a route needs from a request to set or clear the cookie. */
export interface CookieEvent {
  cookies: Cookies;
  url: URL;
}

const INSERT = {
  name: 'web_session_insert',
  text: `insert into sessions (id, user_id, expires_at, user_agent, ip)
         values ($1, $2::uuid, $3, $4, $5::inet)
         returning id, user_id, created_at, expires_at, last_seen_at, user_agent, host(ip) as ip`,
};

const SELECT = {
  name: 'web_session_select',
  text: `select s.id, s.user_id, s.created_at, s.expires_at, s.last_seen_at, s.user_agent,
                host(s.ip) as ip, u.email, u.display_name
         from sessions s join users u on u.id = s.user_id
         where s.id = $1`,
};

const TOUCH = {
  name: 'web_session_touch',
  text: `update sessions set expires_at = $2, last_seen_at = $3 where id = $1`,
};

const DELETE_ONE = { name: 'web_session_delete', text: `delete from sessions where id = $1` };

const DELETE_FOR_USER = {
  name: 'web_session_delete_user',
  text: `delete from sessions where user_id = $1::uuid and ($2::text is null or id <> $2::text)`,
};

const DELETE_ONE_OF_USER = {
  name: 'web_session_delete_of_user',
  text: `delete from sessions where id = $1 and user_id = $2::uuid returning id`,
};

const LIST_FOR_USER = {
  name: 'web_session_list_user',
  text: `select id, user_id, created_at, expires_at, last_seen_at, user_agent, host(ip) as ip
         from sessions where user_id = $1::uuid and expires_at > now()
         order by last_seen_at desc, created_at desc`,
};

type SessionRow = {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  user_agent: string | null;
  ip: string | null;
};

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    lastSeenAt: new Date(row.last_seen_at),
    userAgent: row.user_agent,
    ip: row.ip,
  };
}

/** A client address PostgreSQL's inet accepts, or null (never let a bad value fail a sign-in). */
function cleanIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const bare = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^[0-9a-f:.]{2,45}$/i.test(bare) ? bare : null;
}

export async function createSession(
  db: Db,
  userId: string,
  meta: SessionMeta = {},
  now: Date = new Date(),
): Promise<{ token: string; session: Session }> {
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const userAgent = meta.userAgent ? meta.userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null;
  const rows = await db.sql.query<SessionRow>(INSERT, [
    hashToken(token),
    userId,
    expiresAt,
    userAgent,
    cleanIp(meta.ip),
  ]);
  const row = rows[0];
  if (!row) throw new Error('creating a session returned no row');
  return { token, session: toSession(row) };
}

/** The session and person behind a cookie token, or null; expired sessions are deleted. */
export async function validateSessionToken(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<ValidatedSession | null> {
  if (!isWellFormedToken(token)) return null;
  const id = hashToken(token);
  const rows = await db.sql.query<SessionRow & { email: string; display_name: string }>(SELECT, [
    id,
  ]);
  const row = rows[0];
  if (!row) return null;
  const session = toSession(row);
  if (session.expiresAt.getTime() <= now.getTime()) {
    await db.sql.query(DELETE_ONE, [id]);
    return null;
  }
  const renewed = renewedExpiry(session.expiresAt, now);
  const stale = now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS;
  if (renewed !== null || stale) {
    session.expiresAt = renewed ?? session.expiresAt;
    session.lastSeenAt = now;
    await db.sql.query(TOUCH, [id, session.expiresAt, now]);
  }
  return {
    session,
    user: { id: row.user_id, email: row.email, name: row.display_name },
    renewed: renewed !== null,
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.sql.query(DELETE_ONE, [sessionId]);
}

/** Ends one of the person's own sessions; false when it is not theirs (or already gone). */
export async function invalidateOwnSession(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const rows = await db.sql.query(DELETE_ONE_OF_USER, [sessionId, userId]);
  return rows.length > 0;
}

/** Ends every session of a person, except `exceptSessionId` when given (the current one). */
export async function invalidateUserSessions(
  db: Db,
  userId: string,
  exceptSessionId?: string,
): Promise<void> {
  await db.sql.query(DELETE_FOR_USER, [userId, exceptSessionId ?? null]);
}

/** The person's live sessions, most recently used first. */
export async function listUserSessions(db: Db, userId: string): Promise<Session[]> {
  const rows = await db.sql.query<SessionRow>(LIST_FOR_USER, [userId]);
  return rows.map(toSession);
}

export function setSessionCookie(event: CookieEvent, token: string, expiresAt: Date): void {
  event.cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    expires: expiresAt,
  });
}

export function deleteSessionCookie(event: CookieEvent): void {
  event.cookies.delete(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
  });
}
