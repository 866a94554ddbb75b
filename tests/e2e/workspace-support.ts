/**
 * Helpers for the browser tests: the web app's address, pages opened once the app has hydrated,
 * and accounts and workspaces made over plain HTTP (as a browser without JavaScript would post
 * the forms), so each test spends its browser time on what it checks.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';

export const baseUrl = inject('webUrl');
export const PASSWORD = 'maple-orbit-quiet-42';
export const SESSION_COOKIE = 'concord_session';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

export interface Person {
  name: string;
  email: string;
  /** The session cookie's value. */
  session: string;
}

/** Opens `path` of the web app and waits until the app has hydrated (the layout marks <body>). */
export async function gotoReady(page: Page, path: string) {
  const res = await page.goto(`${baseUrl}${path}`);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  return res;
}

/**
 * POSTs a body the way a browser without JavaScript posts a form (this site's Origin, accepting
 * HTML, so the action's status is the response's status) unless `headers` say otherwise;
 * redirects are not followed. For junk bodies; `post` sends fields.
 */
export async function postBody(
  path: string,
  body: BodyInit | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: baseUrl,
      // A browser's form post: without it SvelteKit answers with its JSON action result.
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body,
  });
}

/** A form post with this site's Origin, as a browser would send it; redirects are not followed. */
export async function post(
  path: string,
  fields: Record<string, string | string[]>,
  session?: string | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  }
  return postBody(path, body, {
    ...(session ? { cookie: `${SESSION_COOKIE}=${session}` } : {}),
    ...headers,
  });
}

export async function get(path: string, session?: string | null): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      ...(session ? { cookie: `${SESSION_COOKIE}=${session}` } : {}),
    },
  });
}

/** Signs up over HTTP and returns the person with their session cookie. */
export async function signUpByHttp(
  name: string,
  email = uniqueEmail(name.toLowerCase().replace(/[^a-z0-9]+/g, '-')),
) {
  const res = await post('/sign-up', { name, email, password: PASSWORD, redirectTo: '/' });
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`sign-up of ${email} answered ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!cookie) throw new Error(`sign-up of ${email} set no session cookie`);
  return { name, email, session: cookie.slice(SESSION_COOKIE.length + 1) } satisfies Person;
}

/** Puts the person's session cookie into a browser context. */
export async function signInContext(context: BrowserContext, person: Person): Promise<void> {
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: person.session,
      url: baseUrl,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
}

/** The wizard's fields for a new district with two schools and every instrument. */
export function wizardFields(name: string): Record<string, string | string[]> {
  return {
    name,
    schoolYear: '2026-27',
    district: 'new',
    districtName: 'Revere Public Schools',
    districtState: 'MA',
    newSchools: 'Garfield Elementary\nRevere High School',
    instruments: ['prerequisites', 'district-conditions', 'fundamental-practices', 'plan'],
    planningSchools: ['Garfield Elementary'],
  };
}

/** Creates a workspace through the wizard's last step; returns its id. */
export async function createWorkspaceByHttp(owner: Person, name: string): Promise<string> {
  const res = await post('/workspaces/new?/create', wizardFields(name), owner.session);
  await res.arrayBuffer();
  const location = res.headers.get('location') ?? '';
  const id = /^\/w\/([0-9a-f-]{36})$/.exec(location)?.[1];
  if (res.status !== 303 || !id) {
    throw new Error(`creating a workspace answered ${res.status} ${location}`);
  }
  return id;
}

/** Invites by email over HTTP (copy-link mode) and returns the token from the shown link. */
export async function inviteByHttp(
  actor: Person,
  workspaceId: string,
  email: string,
  role: string,
  represents = 'district',
): Promise<string> {
  const res = await post(
    `/w/${workspaceId}/members?/invite`,
    { email, role, represents },
    actor.session,
  );
  const html = await res.text();
  const token = /\/invite\/([a-z2-7]{32})/.exec(html)?.[1];
  if (res.status !== 200 || !token) throw new Error(`inviting ${email} answered ${res.status}`);
  return token;
}

/** Accepts an invitation over HTTP; returns the workspace path it leads to. */
export async function acceptByHttp(person: Person, token: string): Promise<string> {
  const res = await post(`/invite/${token}?/accept`, {}, person.session);
  await res.arrayBuffer();
  if (res.status !== 303) throw new Error(`accepting answered ${res.status}`);
  return res.headers.get('location') ?? '';
}
