/**
 * R5, the authorization matrix over HTTP: every role (owner, facilitator, rater, viewer), a
 * signed-in non-member and a signed-out visitor, against every page and form action of the
 * workspace, member, invitation and account routes, posted by hand (Origin header and session
 * cookie, as a browser without JavaScript would). Each outcome is compared with what `can()`
 * from @concord/auth allows: members whose role lacks the action get 403, non-members 404 (the
 * workspace does not exist for them), signed-out visitors the sign-in page. Starting a workspace
 * in the workspace's district follows `district.add-workspace` (403 on the district field for a
 * member whose role lacks it; a stranger's post is a 400 like any district not on their list).
 * The sync ticket API is compared with `documentCapabilities` (without read the same 404, body
 * and all, as a document that does not exist; 401 signed out; and the capabilities it grants
 * exactly the table's). The target is 0 unauthorized successes, and nothing stored by a refused
 * request.
 */
import {
  can,
  documentCapabilities,
  type DocumentAccessObject,
  type Role,
  type SyncCapability,
  type WorkspaceAction,
} from '@concord/auth/roles';
import { createDb, type DbHandle } from '@concord/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  acceptByHttp,
  createWorkspaceByHttp,
  get,
  inviteByHttp,
  post,
  signUpByHttp,
  uniqueEmail,
  wizardFields,
  type Person,
} from './workspace-support.js';

type Subject = Role | 'non-member' | 'signed-out';
const SUBJECTS: readonly Subject[] = [
  'signed-out',
  'non-member',
  'viewer',
  'rater',
  'facilitator',
  'owner',
];

/** What a response amounts to. */
type Outcome = 'ok' | 'invalid' | 'forbidden' | 'not-found' | 'sign-in' | 'server-error';

function outcomeOf(res: Response): Outcome {
  if (res.status >= 500) return 'server-error';
  // An API's "sign in first" (the ticket route answers JSON, not a redirect).
  if (res.status === 401) return 'sign-in';
  if (res.status === 403) return 'forbidden';
  if (res.status === 404) return 'not-found';
  if (res.status >= 300 && res.status < 400) {
    return (res.headers.get('location') ?? '').startsWith('/sign-in') ? 'sign-in' : 'ok';
  }
  if (res.status >= 400) return 'invalid';
  return 'ok';
}

interface Case {
  name: string;
  method: 'GET' | 'POST';
  /**
   * workspace: needs membership and the capability; district: the capability in a workspace of
   * the workspace's district; document: membership and read on that document (null: not a
   * document of this workspace); signed-in: any signed-in person; public: anyone.
   */
  needs:
    | { workspace: WorkspaceAction }
    | { district: WorkspaceAction }
    | { document: () => DocumentAccessObject | null }
    | 'signed-in'
    | 'public';
  /** For a signed-in case: what an allowed request amounts to (default 'ok'). */
  allowedOutcome?: Outcome;
  /** Runs before each attempt; returns the path and the form fields. */
  request: (
    subject: Subject,
  ) => Promise<{ path: string; fields?: Record<string, string | string[]> }>;
}

let db: DbHandle;
const people = {} as Record<Role | 'non-member' | 'subject' | 'leaver', Person>;
const ids = {} as Record<keyof typeof people, string>;
let workspaceId: string;
/** The district of `workspaceId` (its only workspace until the matrix's owner adds more). */
let districtId: string;
/** A second workspace whose invitations the accept cases use, so joining it changes nothing here. */
let joinWorkspaceId: string;
/** Documents the ticket cases ask for: the plan, the rater's ratings of two assessments (one
 * revealed), and the join workspace's plan (not a document of this workspace). */
const docs = {} as Record<'plan' | 'ratingsHidden' | 'ratingsRevealed' | 'elsewhere', string>;

async function userId(email: string): Promise<string> {
  const [row] = await db.sql.query<{ id: string }>(
    { name: 'r5_user_id', text: 'select id from users where lower(email) = lower($1)' },
    [email],
  );
  return row!.id;
}

async function isMember(workspace: string, user: string): Promise<boolean> {
  const rows = await db.sql.query(
    {
      name: 'r5_is_member',
      text: 'select 1 from memberships where workspace_id = $1::uuid and user_id = $2::uuid',
    },
    [workspace, user],
  );
  return rows.length > 0;
}

async function documentId(workspace: string, title: string): Promise<string> {
  const [row] = await db.sql.query<{ id: string }>(
    {
      name: 'r5_document',
      text: `select id from documents where workspace_id = $1::uuid and title like $2 limit 1`,
    },
    [workspace, title],
  );
  return row!.id;
}

/** A ratings document for `ownerId` (the web has no ratings UI yet: made as facilitation will). */
async function addRatings(parentId: string, ownerId: string, revealed: boolean): Promise<string> {
  const [row] = await db.sql.query<{ id: string }>(
    {
      name: 'r5_add_ratings',
      text: `insert into documents (workspace_id, kind, parent_id, owner_id, title)
             values ($1::uuid, 'ratings', $2::uuid, $3::uuid, 'Ratings') returning id`,
    },
    [workspaceId, parentId, ownerId],
  );
  if (revealed) {
    await db.sql.query(
      { name: 'r5_reveal', text: 'update documents set revealed_at = now() where id = $1::uuid' },
      [parentId],
    );
  }
  return row!.id;
}

function ticketCase(
  name: string,
  doc: keyof typeof docs,
  access: () => DocumentAccessObject | null,
): Case {
  return {
    name: `GET /w/[workspace]/documents/[document]/ticket (${name})`,
    method: 'GET',
    needs: { document: access },
    request: async () => ({ path: `/w/${workspaceId}/documents/${docs[doc]}/ticket` }),
  };
}

async function pendingInvitationId(workspace: string, email: string): Promise<string> {
  const [row] = await db.sql.query<{ id: string }>(
    {
      name: 'r5_pending',
      text: `select id from invitations where workspace_id = $1::uuid and email = $2
             and used_at is null order by created_at desc limit 1`,
    },
    [workspace, email],
  );
  return row!.id;
}

let roleToggle = 0;

const CASES: Case[] = [
  { name: 'GET /', method: 'GET', needs: 'public', request: async () => ({ path: '/' }) },
  {
    name: 'GET /templates',
    method: 'GET',
    needs: 'public',
    request: async () => ({ path: '/templates' }),
  },
  {
    name: 'GET /guidance',
    method: 'GET',
    needs: 'public',
    request: async () => ({ path: '/guidance' }),
  },
  // Signed in, the sign-in and sign-up pages send people on (303 to /): not a refusal.
  {
    name: 'GET /sign-in',
    method: 'GET',
    needs: 'public',
    request: async () => ({ path: '/sign-in' }),
  },
  {
    name: 'GET /sign-up',
    method: 'GET',
    needs: 'public',
    request: async () => ({ path: '/sign-up' }),
  },
  {
    name: 'GET /workspaces/new',
    method: 'GET',
    needs: 'signed-in',
    request: async () => ({ path: '/workspaces/new' }),
  },
  {
    name: 'POST /workspaces/new?/next',
    method: 'POST',
    needs: 'signed-in',
    request: async () => ({
      path: '/workspaces/new?/next',
      fields: { step: 'workspace', name: 'Matrix', schoolYear: '2026-27' },
    }),
  },
  {
    name: 'POST /workspaces/new?/back',
    method: 'POST',
    needs: 'signed-in',
    request: async () => ({ path: '/workspaces/new?/back', fields: { step: 'district' } }),
  },
  {
    name: 'POST /workspaces/new?/create',
    method: 'POST',
    needs: 'signed-in',
    request: async () => ({
      path: '/workspaces/new?/create',
      fields: wizardFields('Matrix workspace'),
    }),
  },
  {
    name: 'POST /workspaces/new?/create (in the workspace’s district)',
    method: 'POST',
    needs: { district: 'district.add-workspace' },
    request: async (s) => ({
      path: '/workspaces/new?/create',
      fields: {
        ...wizardFields(`Matrix ${s} in the district`),
        district: districtId,
        newSchools: `Matrix ${s} School`,
        planningSchools: [],
      },
    }),
  },
  {
    name: 'GET /w/[workspace]',
    method: 'GET',
    needs: { workspace: 'workspace.view' },
    request: async () => ({ path: `/w/${workspaceId}` }),
  },
  {
    name: 'GET /w/[workspace]/members',
    method: 'GET',
    needs: { workspace: 'members.view' },
    request: async () => ({ path: `/w/${workspaceId}/members` }),
  },
  {
    name: 'POST /w/[workspace]/members?/invite',
    method: 'POST',
    needs: { workspace: 'members.invite' },
    request: async () => ({
      path: `/w/${workspaceId}/members?/invite`,
      fields: { email: uniqueEmail('r5-invitee'), role: 'viewer', represents: 'district' },
    }),
  },
  {
    name: 'POST /w/[workspace]/members?/revoke',
    method: 'POST',
    needs: { workspace: 'members.invite' },
    request: async () => {
      const email = uniqueEmail('r5-revokee');
      await inviteByHttp(people.owner, workspaceId, email, 'viewer');
      return {
        path: `/w/${workspaceId}/members?/revoke`,
        fields: { invitationId: await pendingInvitationId(workspaceId, email) },
      };
    },
  },
  {
    name: 'POST /w/[workspace]/members?/role',
    method: 'POST',
    needs: { workspace: 'members.manage' },
    request: async () => {
      roleToggle += 1;
      return {
        path: `/w/${workspaceId}/members?/role`,
        fields: {
          userId: ids.subject,
          role: roleToggle % 2 === 0 ? 'viewer' : 'rater',
          represents: 'district',
        },
      };
    },
  },
  {
    name: 'POST /w/[workspace]/members?/remove',
    method: 'POST',
    needs: { workspace: 'members.manage' },
    request: async () => {
      if (!(await isMember(workspaceId, ids.leaver))) {
        const token = await inviteByHttp(people.owner, workspaceId, people.leaver.email, 'viewer');
        await acceptByHttp(people.leaver, token);
      }
      return { path: `/w/${workspaceId}/members?/remove`, fields: { userId: ids.leaver } };
    },
  },
  ticketCase('plan', 'plan', () => ({ kind: 'plan', ownerId: null, revealed: false })),
  ticketCase("the rater's ratings, before reveal", 'ratingsHidden', () => ({
    kind: 'ratings',
    ownerId: ids.rater,
    revealed: false,
  })),
  ticketCase("the rater's ratings, after reveal", 'ratingsRevealed', () => ({
    kind: 'ratings',
    ownerId: ids.rater,
    revealed: true,
  })),
  ticketCase('a document of another workspace', 'elsewhere', () => null),
  {
    name: 'GET /invite/[token]',
    method: 'GET',
    needs: 'public',
    request: async () => {
      const token = await inviteByHttp(
        people.owner,
        joinWorkspaceId,
        uniqueEmail('r5-g'),
        'viewer',
      );
      return { path: `/invite/${token}` };
    },
  },
  {
    name: 'POST /invite/[token]?/accept',
    method: 'POST',
    needs: 'signed-in',
    request: async () => {
      const token = await inviteByHttp(
        people.owner,
        joinWorkspaceId,
        uniqueEmail('r5-a'),
        'viewer',
      );
      return { path: `/invite/${token}?/accept`, fields: {} };
    },
  },
  {
    name: 'GET /account',
    method: 'GET',
    needs: 'signed-in',
    request: async () => ({ path: '/account' }),
  },
  {
    name: 'POST /account?/profile',
    method: 'POST',
    needs: 'signed-in',
    request: async (s) => ({ path: '/account?/profile', fields: { name: `Matrix ${s}` } }),
  },
  {
    // A wrong current password: allowed to try, refused as a mistake (never as someone else).
    name: 'POST /account?/password',
    method: 'POST',
    needs: 'signed-in',
    allowedOutcome: 'invalid',
    request: async () => ({
      path: '/account?/password',
      fields: { currentPassword: 'not-the-password-1', newPassword: 'another-maple-orbit-77' },
    }),
  },
  {
    // Not a session id: allowed to ask, refused as a mistake.
    name: 'POST /account?/revoke',
    method: 'POST',
    needs: 'signed-in',
    allowedOutcome: 'invalid',
    request: async () => ({ path: '/account?/revoke', fields: { sessionId: 'not-a-session' } }),
  },
  {
    name: 'POST /account?/revokeOthers',
    method: 'POST',
    needs: 'signed-in',
    request: async () => ({ path: '/account?/revokeOthers', fields: {} }),
  },
  // Last: it ends each subject's session.
  {
    name: 'POST /sign-out',
    method: 'POST',
    needs: 'public',
    request: async () => ({ path: '/sign-out', fields: {} }),
  },
];

function sessionOf(subject: Subject): string | null {
  return subject === 'signed-out' ? null : people[subject].session;
}

/** The sync capabilities a ticket case should grant the subject (null: none, not a member). */
function expectedCapabilities(c: Case, subject: Subject): readonly SyncCapability[] | null {
  if (typeof c.needs !== 'object' || !('document' in c.needs)) return null;
  if (subject === 'signed-out' || subject === 'non-member') return null;
  const doc = c.needs.document();
  return doc === null ? null : documentCapabilities({ userId: ids[subject], role: subject }, doc);
}

/** What the matrix expects, from can(), documentCapabilities() and membership alone. */
function expected(c: Case, subject: Subject): Outcome[] {
  if (c.needs === 'public') return ['ok'];
  if (subject === 'signed-out') return ['sign-in'];
  if (c.needs === 'signed-in') return [c.allowedOutcome ?? 'ok'];
  if ('district' in c.needs) {
    // A stranger's district id is refused like any id not on their list (nothing to probe).
    if (subject === 'non-member') return ['invalid'];
    return can(subject, c.needs.district) ? ['ok'] : ['forbidden'];
  }
  if (subject === 'non-member') return ['not-found'];
  if ('document' in c.needs) {
    // No read is answered as no such document: whether it exists is not given away.
    const caps = expectedCapabilities(c, subject);
    return caps !== null && caps.includes('read') ? ['ok'] : ['not-found'];
  }
  return can(subject, c.needs.workspace)
    ? ['ok']
    : [c.method === 'GET' ? 'not-found' : 'forbidden'];
}

beforeAll(async () => {
  db = await createDb({ databaseUrl: inject('databaseUrl') }, { migrate: false });
  for (const key of [
    'owner',
    'facilitator',
    'rater',
    'viewer',
    'non-member',
    'subject',
    'leaver',
  ] as const) {
    people[key] = await signUpByHttp(`R5 ${key}`);
    ids[key] = await userId(people[key].email);
  }
  workspaceId = await createWorkspaceByHttp(people.owner, 'R5 workspace');
  const [district] = await db.sql.query<{ district_id: string }>(
    { name: 'r5_district', text: 'select district_id from workspaces where id = $1::uuid' },
    [workspaceId],
  );
  districtId = district!.district_id;
  joinWorkspaceId = await createWorkspaceByHttp(people.owner, 'R5 join workspace');
  docs.plan = await documentId(workspaceId, 'Strategic plan%');
  docs.elsewhere = await documentId(joinWorkspaceId, 'Strategic plan%');
  docs.ratingsHidden = await addRatings(
    await documentId(workspaceId, 'District Conditions'),
    ids.rater,
    false,
  );
  docs.ratingsRevealed = await addRatings(
    await documentId(workspaceId, 'Fundamental Practices'),
    ids.rater,
    true,
  );
  for (const key of ['facilitator', 'rater', 'viewer', 'subject'] as const) {
    const role = key === 'subject' ? 'viewer' : key;
    await acceptByHttp(
      people[key],
      await inviteByHttp(people.owner, workspaceId, people[key].email, role),
    );
  }
}, 90_000);

afterAll(async () => {
  await db?.close();
});

describe('R5 authorization matrix', () => {
  it('every subject x every route and action: outcome as can() says, 0 unauthorized successes', async () => {
    const rows: { case: string; subject: Subject; got: Outcome; want: Outcome[] }[] = [];
    /** Tickets whose capabilities differ from the table's (any at all is a failure). */
    const wrongGrants: { case: string; subject: Subject; got: unknown; want: unknown }[] = [];
    /** Every member's refused ticket answer, status and body: all must be one and the same. */
    const ticketRefusals = new Set<string>();
    /** What each refused district post said on the district field. */
    const districtErrors: { subject: Subject; error: string | undefined }[] = [];
    for (const c of CASES) {
      for (const subject of SUBJECTS) {
        const { path, fields } = await c.request(subject);
        const res =
          c.method === 'GET'
            ? await get(path, sessionOf(subject))
            : await post(path, fields ?? {}, sessionOf(subject));
        const got = outcomeOf(res);
        const want = expectedCapabilities(c, subject);
        if (want !== null && got === 'ok') {
          const body = (await res.json()) as { capabilities?: unknown };
          if (JSON.stringify(body.capabilities) !== JSON.stringify(want)) {
            wrongGrants.push({ case: c.name, subject, got: body.capabilities, want });
          }
        } else if (
          typeof c.needs === 'object' &&
          'document' in c.needs &&
          subject !== 'signed-out' &&
          subject !== 'non-member'
        ) {
          ticketRefusals.add(`${res.status} ${await res.text()}`);
        } else if (typeof c.needs === 'object' && 'district' in c.needs && res.status >= 400) {
          const html = await res.text();
          const error = /id="district-error"[^>]*>([\s\S]*?)<\/p>/
            .exec(html)?.[1]
            ?.replace(/<[^>]*>/g, '')
            .replace(/^\s*Error:\s*/, '')
            .trim();
          districtErrors.push({ subject, error });
        } else {
          await res.arrayBuffer();
        }
        rows.push({ case: c.name, subject, got, want: expected(c, subject) });
      }
    }
    const unauthorizedSuccesses = rows.filter((r) => !r.want.includes('ok') && r.got === 'ok');
    const mismatches = rows.filter((r) => !r.want.includes(r.got));
    console.log(
      `R5 matrix: ${CASES.length} routes and actions x ${SUBJECTS.length} subjects = ${rows.length} requests; ` +
        `${unauthorizedSuccesses.length} unauthorized successes, ${mismatches.length} mismatches`,
    );
    expect(unauthorizedSuccesses).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(wrongGrants).toEqual([]);
    // Another rater's ratings before reveal and another workspace's document: one answer.
    expect([...ticketRefusals]).toEqual([
      expect.stringMatching(/^404 \{"error":"not-found","reason":"no-document"/),
    ]);
    // Refused district posts name the district field, saying who may add to it.
    expect(districtErrors).toEqual([
      { subject: 'non-member', error: expect.stringMatching(/your districts/) },
      ...(['viewer', 'rater', 'facilitator'] as const).map((subject) => ({
        subject,
        error: expect.stringMatching(/^Only an owner of one of this district’s workspaces/),
      })),
    ]);

    // Nothing a refused request could have written: no access change by a rater, viewer or
    // non-member in the workspace (their only rows are joining it).
    const refused = await db.sql.query<{ action: string }>(
      {
        name: 'r5_refused_writes',
        text: `select action from audit_log where workspace_id = $1::uuid
               and actor_id = any($2::uuid[])
               and action not in ('invitation.accept', 'membership.add')`,
      },
      [workspaceId, [ids.rater, ids.viewer, ids['non-member'], ids.subject]],
    );
    expect(refused).toEqual([]);
    // Only the owner started a workspace in the district (the viewer did, before the rule).
    const started = await db.sql.query<{ created_by: string }>(
      {
        name: 'r5_district_workspaces',
        text: `select created_by::text from workspaces where district_id = $1::uuid
               and id <> $2::uuid`,
      },
      [districtId, workspaceId],
    );
    expect(started).toEqual([{ created_by: ids.owner }]);
    // The allowed requests really acted: one change each by the owner and the facilitator.
    const done = await db.sql.query<{ action: string; n: number }>(
      {
        name: 'r5_done',
        text: `select action, count(*)::int as n from audit_log
               where workspace_id = $1::uuid and actor_id = any($2::uuid[])
               and action in ('membership.role-change', 'membership.remove', 'invitation.revoke')
               group by action order by action`,
      },
      [workspaceId, [ids.owner, ids.facilitator]],
    );
    expect(done).toEqual([
      { action: 'invitation.revoke', n: 2 },
      { action: 'membership.remove', n: 2 },
      { action: 'membership.role-change', n: 2 },
    ]);
    // The last case signed everyone out for real.
    const after = await get('/account', people.owner.session);
    await after.arrayBuffer();
    expect(outcomeOf(after)).toBe('sign-in');
    // The joining workspace gained exactly the signed-in subjects who were not yet members.
    expect(await isMember(joinWorkspaceId, ids['non-member'])).toBe(true);
  });
});
