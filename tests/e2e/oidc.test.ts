/**
 * Single sign-on against a real OpenID provider (oidc-provider, started by the global setup on
 * loopback with its development login and consent pages): a new person lands signed in with a
 * new account; a verified email links to the existing password account with that email; an
 * unverified email never takes over an existing account. The browser may only reach loopback
 * (the provider's page asks for a web font).
 */
import { createDb, type DbHandle } from '@concord/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, runAxe, withContext } from './browser.js';
import { baseUrl, gotoReady, uniqueEmail } from './workspace-support.js';

const oidcName = inject('oidcName');
const PASSWORD = 'maple-orbit-quiet-42';

let browser: Browser;
let database: DbHandle;

beforeAll(async () => {
  browser = await launchChromium();
  // The web server's database, read-only here; it already holds the migrated schema.
  database = await createDb({ databaseUrl: inject('databaseUrl'), poolMax: 1 }, { migrate: false });
}, 60_000);

afterAll(async () => {
  await database?.close();
  await browser?.close();
});

/** A fresh context that reaches only loopback (the app and the test OIDC provider). */
const inContext = <T>(fn: (context: BrowserContext) => Promise<T>) =>
  withContext(browser, fn, { loopbackOnly: true });

/**
 * Clicks "Sign in with …" and completes the provider's own login and consent pages when it shows
 * them (a provider session and an earlier consent send the browser straight back).
 */
async function signInWithProvider(page: Page, login: string, from = '/sign-in') {
  await gotoReady(page, from);
  await page.getByRole('link', { name: `Sign in with ${oidcName}` }).click();
  const loginField = page.locator('input[name="login"]');
  const consent = page.locator('input[name="prompt"][value="consent"]');
  const back = () => {
    const u = new URL(page.url());
    return u.origin === baseUrl && (u.pathname !== '/sign-in' || u.searchParams.has('sso'));
  };
  const settled = async () =>
    back() || (await loginField.count()) > 0 || (await consent.count()) > 0;
  await expect.poll(settled).toBe(true);
  if (!back() && (await loginField.count()) > 0) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await expect.poll(async () => back() || (await consent.count()) > 0).toBe(true);
  }
  if (!back()) {
    await Promise.all([
      page.waitForURL((u) => u.origin === baseUrl),
      page.getByRole('button', { name: 'Continue' }).click(),
    ]);
  }
}

async function signedInAs(page: Page): Promise<string | null> {
  const badge = page.getByTestId('signed-in-as');
  return (await badge.count()) > 0 ? ((await badge.textContent())?.trim() ?? null) : null;
}

async function accountRows(email: string) {
  const users = await database.sql.query<{ id: string; display_name: string }>(
    { name: 't_users', text: 'select id, display_name from users where lower(email) = lower($1)' },
    [email],
  );
  const links = await database.sql.query<{ user_id: string; provider_user_id: string }>(
    {
      name: 't_links',
      text: 'select user_id, provider_user_id from external_accounts where lower(email) = lower($1)',
    },
    [email],
  );
  return { users, links };
}

describe('single sign-on (OpenID Connect)', () => {
  it('the sign-in page offers the provider and passes axe', async () => {
    await inContext(async (context) => {
      const page = await context.newPage();
      await gotoReady(page, '/sign-in');
      await expect(
        page.getByRole('link', { name: `Sign in with ${oidcName}` }).count(),
      ).resolves.toBe(1);
      const bad = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(bad).toEqual([]);
    });
  });

  it('a new person signs in with the provider, gets an account and lands where they were going', async () => {
    const email = uniqueEmail('sso-new');
    await inContext(async (context) => {
      const page = await context.newPage();
      await signInWithProvider(page, email, '/sign-in?redirectTo=%2Faccount');
      expect(new URL(page.url()).pathname).toBe('/account');
      const local = email.split('@')[0];
      expect(await signedInAs(page)).toBe(`Signed in as SSO ${local}`);
      const rows = await accountRows(email);
      expect(rows.users).toHaveLength(1);
      expect(rows.links).toEqual([{ user_id: rows.users[0]?.id, provider_user_id: email }]);
      // No password yet: the account page offers to set one.
      await expect(page.getByRole('heading', { name: 'Set a password' }).count()).resolves.toBe(1);

      // Signing in again uses the same account (by subject), not a new one.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();
      await signInWithProvider(page, email);
      expect(await signedInAs(page)).toBe(`Signed in as SSO ${local}`);
      expect((await accountRows(email)).users).toHaveLength(1);
    });
  });

  it('a verified email links to the existing password account with that email', async () => {
    const email = uniqueEmail('sso-link');
    await inContext(async (context) => {
      const page = await context.newPage();
      await gotoReady(page, '/sign-up');
      await page.getByLabel('Your name').fill('Password Person');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => signedInAs(page)).toBe('Signed in as Password Person');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => signedInAs(page)).toBeNull();
      const before = await accountRows(email);

      await signInWithProvider(page, email.toUpperCase());
      expect(await signedInAs(page)).toBe('Signed in as Password Person');
      const after = await accountRows(email);
      expect(after.users).toEqual(before.users);
      expect(after.links.map((l) => l.user_id)).toEqual([before.users[0]?.id]);
    });
  });

  it('an unverified email does not take over an existing account', async () => {
    const email = uniqueEmail('unverified-victim');
    await inContext(async (context) => {
      const page = await context.newPage();
      await gotoReady(page, '/sign-up');
      await page.getByLabel('Your name').fill('Victim');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => signedInAs(page)).toBe('Signed in as Victim');
    });
    await inContext(async (context) => {
      const page = await context.newPage();
      await signInWithProvider(page, email);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(await signedInAs(page)).toBeNull();
      await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(
        /has not verified that the email is yours/,
      );
      const rows = await accountRows(email);
      expect(rows.users.map((u) => u.display_name)).toEqual(['Victim']);
      expect(rows.links).toEqual([]);
      const cookies = await context.cookies(baseUrl);
      expect(cookies.find((c) => c.name === 'concord_session')).toBeUndefined();
    });
  });

  it('a callback without the matching state is refused with a message', async () => {
    await inContext(async (context) => {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/auth/oidc/callback?code=forged&state=forged`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(
        /expired or was started in another tab/,
      );
      expect(await signedInAs(page)).toBeNull();
    });
  });
});
