/**
 * The ticket route called as SvelteKit calls it, on a scratch database: a member asking for a
 * document they may not read (another rater's ratings before reveal) gets exactly the answer for
 * a document that does not exist, status, headers and body, so the route does not tell them
 * whether it exists. tests/e2e (R5 matrix, live access) check the same over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_GLOBAL_KEY } from '$lib/server/db';
import { statement } from '$lib/server/sql-statement';
import { addPerson, addWorkspace, useScratchDb } from '$lib/server/workspace-test-db';
import { GET } from './+server';

const getDb = useScratchDb();

// The route asks getDb(); hand it the scratch database the way the host process does. Tickets
// are signed with a test secret.
const secretBefore = process.env.SYNC_TICKET_SECRET;
beforeAll(() => {
  (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY] = Promise.resolve(getDb());
  process.env.SYNC_TICKET_SECRET = 'a-test-secret-of-at-least-32-bytes!!';
});
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[DB_GLOBAL_KEY];
  if (secretBefore === undefined) delete process.env.SYNC_TICKET_SECRET;
  else process.env.SYNC_TICKET_SECRET = secretBefore;
});

const ADD_MEMBER = statement(
  't_route_ticket_member',
  `insert into memberships (workspace_id, user_id, role, represents)
   values ($1, $2, $3, case when $3 = 'rater' then 'district' end)`,
);
const FIRST_DOC = statement(
  't_route_ticket_doc',
  `select id from documents where workspace_id = $1 and kind = $2 order by created_at, title limit 1`,
);
const ADD_RATINGS = statement(
  't_route_ticket_ratings',
  `insert into documents (workspace_id, kind, parent_id, owner_id, title)
   values ($1, 'ratings', $2, $3, 'Ratings') returning id`,
);

type Person = { id: string; email: string };

function ask(person: Person, workspace: string, document: string) {
  const url = new URL(`http://localhost/w/${workspace}/documents/${document}/ticket`);
  // Only what the handler reads; the rest of a RequestEvent is never touched.
  return GET({
    url,
    params: { workspace, document },
    locals: {
      user: { id: person.id, email: person.email, name: 'Ticket tester' },
      session: { id: 'test-session', expiresAt: new Date(Date.now() + 60_000) },
    },
  } as unknown as Parameters<typeof GET>[0]);
}

/** Status, the headers that matter and the body: what a client can tell answers apart by. */
async function answer(res: Response) {
  return {
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
    contentType: res.headers.get('content-type'),
    body: await res.text(),
  };
}

describe('GET …/documents/[document]/ticket', () => {
  it("answers another rater's ratings exactly as a document that does not exist", async () => {
    const db = getDb();
    const owner = await addPerson(db, 'Owner');
    const ws = await addWorkspace(db, owner.id);
    const other = await addWorkspace(db, owner.id, { name: 'Another workspace' });
    const raters = [await addPerson(db, 'Rater A'), await addPerson(db, 'Rater B')];
    for (const r of raters) await db.sql.query(ADD_MEMBER, [ws.id, r.id, 'rater']);
    const [assessment] = await db.sql.query<{ id: string }>(FIRST_DOC, [ws.id, 'assessment']);
    const [ratings] = await db.sql.query<{ id: string }>(ADD_RATINGS, [
      ws.id,
      assessment!.id,
      raters[0]!.id,
    ]);
    const [elsewhere] = await db.sql.query<{ id: string }>(FIRST_DOC, [other.id, 'plan']);

    // Its rater gets a ticket: the document is there.
    const own = await ask(raters[0]!, ws.id, ratings!.id);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ capabilities: ['read', 'write', 'awareness'] });

    const missing = await answer(await ask(raters[1]!, ws.id, randomUUID()));
    // Another rater, and the owner, asking for it before reveal; another workspace's document;
    // not an id at all: all the same answer.
    expect(await answer(await ask(raters[1]!, ws.id, ratings!.id))).toEqual(missing);
    expect(await answer(await ask(owner, ws.id, ratings!.id))).toEqual(missing);
    expect(await answer(await ask(raters[1]!, ws.id, elsewhere!.id))).toEqual(missing);
    expect(await answer(await ask(raters[1]!, ws.id, 'not-a-uuid'))).toEqual(missing);
    // And that answer is a plain "not here", never cached.
    expect(missing).toEqual({
      status: 404,
      cacheControl: 'no-store',
      contentType: 'application/json',
      body: JSON.stringify({
        error: 'not-found',
        reason: 'no-document',
        message:
          'There is no such document in this workspace, or it is not open to you. Reload the workspace page.',
      }),
    });
  });
});
