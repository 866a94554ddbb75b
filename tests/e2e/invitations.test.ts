/**
 * Invitations and members in the production build, in real browsers: the owner invites a rater
 * (no SMTP configured, so the link is shown to copy), the rater follows the link in a second
 * browser, creates an account and accepts; the rater sees only what the role allows and is
 * refused the owner's actions; a role change and a removal take effect at once; used, withdrawn
 * and expired links get a clear page. axe-core on every page.
 */
import { createDb, type DbHandle } from '@concord/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import {
  acceptByHttp,
  baseUrl,
  createWorkspaceByHttp,
  get,
  inviteByHttp,
  PASSWORD,
  post,
  signInContext,
  signUpByHttp,
  uniqueEmail,
  type Person,
} from './workspace-support.js';

let browser: Browser;
let db: DbHandle;

beforeAll(async () => {
  browser = await launchChromium();
  db = await createDb({ databaseUrl: inject('databaseUrl') }, { migrate: false });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await db?.close();
});

async function newContext(person?: Person): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (person) await signInContext(context, person);
  return context;
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const serious = (await runAxe(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

async function auditActions(workspaceId: string): Promise<string[]> {
  const rows = await db.sql.query<{ action: string }>(
    {
      name: 'e2e_audit_actions',
      text: `select action from audit_log where workspace_id = $1::uuid order by id`,
    },
    [workspaceId],
  );
  return rows.map((r) => r.action);
}

describe('inviting a rater who is new to Concord', () => {
  it('invite, copy the link, sign up and accept; the rater sees only what the role allows; re-role and removal take effect', async () => {
    const owner = await signUpByHttp('Inviting Owner');
    const workspaceId = await createWorkspaceByHttp(owner, 'Revere — PL readiness 2026-27');
    const raterEmail = uniqueEmail('rater');
    const ownerContext = await newContext(owner);
    const raterContext = await newContext();
    try {
      // The owner invites a rater for Garfield Elementary.
      const ownerPage = await ownerContext.newPage();
      await ownerPage.goto(`${baseUrl}/w/${workspaceId}/members`);
      await ownerPage.waitForLoadState('networkidle');
      await expectNoSeriousViolations(ownerPage, 'members page (owner)');
      await ownerPage.getByLabel('Email address').fill(raterEmail);
      await ownerPage.getByLabel('Role', { exact: true }).selectOption('rater');
      await ownerPage.getByLabel('Represents (raters only)', { exact: true }).selectOption({
        label: 'Garfield Elementary',
      });
      await ownerPage.getByRole('button', { name: 'Make invitation link' }).click();
      const linkField = ownerPage.locator('#invite-link');
      await linkField.waitFor();
      const link = await linkField.inputValue();
      expect(link).toMatch(new RegExp(`^${baseUrl}/invite/[a-z2-7]{32}$`));
      await expect(ownerPage.getByTestId('pending').textContent()).resolves.toContain(raterEmail);
      await expectNoSeriousViolations(ownerPage, 'members page with a link to copy');

      // The rater, in another browser, follows the link, creates an account, accepts.
      const raterPage = await raterContext.newPage();
      await raterPage.goto(link);
      await expect(raterPage.locator('h1').textContent()).resolves.toBe(
        'Join Revere — PL readiness 2026-27',
      );
      await expect(raterPage.locator('.lede').textContent()).resolves.toMatch(
        /Rater.*representing Garfield Elementary/s,
      );
      await expectNoSeriousViolations(raterPage, 'invitation (signed out)');
      await raterPage.getByRole('link', { name: 'Create an account' }).click();
      await raterPage.getByLabel('Your name').fill('Riley Rater');
      await raterPage.getByLabel('Email').fill(raterEmail);
      await raterPage.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await Promise.all([
        raterPage.waitForURL((u) => u.pathname.startsWith('/invite/')),
        raterPage.getByRole('button', { name: 'Create account' }).click(),
      ]);
      await expectNoSeriousViolations(raterPage, 'invitation (signed in)');
      await Promise.all([
        raterPage.waitForURL(new RegExp(`/w/${workspaceId}$`)),
        raterPage.getByRole('button', { name: 'Accept and open the workspace' }).click(),
      ]);
      await expect(raterPage.getByTestId('my-role').textContent()).resolves.toMatch(
        /Rater, representing Garfield Elementary/,
      );
      await expect(raterPage.getByTestId('capabilities').textContent()).resolves.not.toMatch(
        /Invite people/,
      );

      // The rater's members page: the list, but no invitation form and no manage controls.
      await raterPage.goto(`${baseUrl}/w/${workspaceId}/members`);
      await expect(raterPage.getByTestId('members').textContent()).resolves.toContain(raterEmail);
      await expect(raterPage.getByLabel('Email address').count()).resolves.toBe(0);
      await expect(
        raterPage.getByRole('button', { name: /Save|Remove|Withdraw/ }).count(),
      ).resolves.toBe(0);
      await expectNoSeriousViolations(raterPage, 'members page (rater)');

      // The owner's actions, posted by hand with the rater's session: refused, nothing stored.
      const raterSession = (await raterContext.cookies()).find(
        (c) => c.name === 'concord_session',
      )!;
      const ownerUserId = (
        await db.sql.query<{ id: string }>(
          { name: 'e2e_user_id', text: 'select id from users where lower(email) = lower($1)' },
          [owner.email],
        )
      )[0]!.id;
      const before = await auditActions(workspaceId);
      for (const [action, fields] of [
        ['invite', { email: uniqueEmail('sneaky'), role: 'owner', represents: 'district' }],
        ['role', { userId: ownerUserId, role: 'viewer' }],
        ['remove', { userId: ownerUserId }],
      ] as const) {
        const res = await post(`/w/${workspaceId}/members?/${action}`, fields, raterSession.value);
        await res.arrayBuffer();
        expect(res.status, action).toBe(403);
      }
      expect(await auditActions(workspaceId)).toEqual(before);

      // Re-role: the owner makes the rater a viewer; the rater's next page shows it.
      await ownerPage.reload();
      const row = ownerPage.locator(`tr[data-member-email="${raterEmail}"]`);
      await row.getByLabel('Role of Riley Rater').selectOption('viewer');
      await row.getByRole('button', { name: 'Save role of Riley Rater' }).click();
      // The role as stored (the cell holds the select an owner changes it with).
      await expect
        .poll(() => row.getByTestId('member-role').getAttribute('data-role'))
        .toBe('viewer');
      await raterPage.goto(`${baseUrl}/w/${workspaceId}`);
      await expect(raterPage.getByTestId('my-role').textContent()).resolves.toMatch(
        /Viewer \(leadership\)/,
      );

      // Removal: the rater's next request is a 404.
      await ownerPage
        .locator(`tr[data-member-email="${raterEmail}"]`)
        .getByRole('button', { name: 'Remove Riley Rater' })
        .click();
      await ownerPage
        .locator(`tr[data-member-email="${raterEmail}"]`)
        .waitFor({ state: 'detached' });
      const gone = await raterPage.goto(`${baseUrl}/w/${workspaceId}`);
      expect(gone?.status()).toBe(404);

      expect((await auditActions(workspaceId)).slice(before.length)).toEqual([
        'membership.role-change',
        'membership.remove',
      ]);

      // The link was used: following it again says so.
      await raterPage.goto(link);
      await expect(
        raterPage.getByTestId('invitation-status').getAttribute('data-status'),
      ).resolves.toBe('used');
      await expectNoSeriousViolations(raterPage, 'used invitation');
    } finally {
      await ownerContext.close();
      await raterContext.close();
    }
  });
});

describe('invitation links that no longer work', () => {
  it('withdrawn, expired and made-up links get a clear page, never a 500', async () => {
    const owner = await signUpByHttp('Link Owner');
    const workspaceId = await createWorkspaceByHttp(owner, 'Links engagement');
    const person = await signUpByHttp('Late Person');

    const withdrawn = await inviteByHttp(owner, workspaceId, uniqueEmail('w'), 'viewer');
    const [pending] = await db.sql.query<{ id: string }>(
      {
        name: 'e2e_pending_id',
        text: `select id from invitations where workspace_id = $1::uuid and used_at is null`,
      },
      [workspaceId],
    );
    const revoke = await post(
      `/w/${workspaceId}/members?/revoke`,
      { invitationId: pending!.id },
      owner.session,
    );
    await revoke.arrayBuffer();
    expect(revoke.status).toBe(200);

    const expired = await inviteByHttp(owner, workspaceId, uniqueEmail('e'), 'viewer');
    await db.sql.query(
      {
        name: 'e2e_expire',
        text: `update invitations set created_at = now() - interval '9 days',
               expires_at = now() - interval '2 days' where workspace_id = $1::uuid and used_at is null`,
      },
      [workspaceId],
    );

    const context = await newContext(person);
    try {
      const page = await context.newPage();
      for (const [token, status] of [
        [withdrawn, 'unknown'],
        [expired, 'expired'],
        ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'unknown'],
        ['not-even-a-token', 'unknown'],
      ] as const) {
        const res = await page.goto(`${baseUrl}/invite/${token}`);
        expect(res?.status(), token).toBe(200);
        await expect(
          page.getByTestId('invitation-status').getAttribute('data-status'),
        ).resolves.toBe(status);
        // Accepting anyway (a hand-made post) is refused and joins nothing.
        const accept = await post(`/invite/${token}?/accept`, {}, person.session);
        await accept.arrayBuffer();
        expect([404, 410]).toContain(accept.status);
      }
      await expectNoSeriousViolations(page, 'invitation that does not work');
      expect((await get(`/w/${workspaceId}`, person.session)).status).toBe(404);
    } finally {
      await context.close();
    }
  });

  it('an existing account accepts at once, keeping one membership', async () => {
    const owner = await signUpByHttp('Second Owner');
    const workspaceId = await createWorkspaceByHttp(owner, 'Existing accounts');
    const facilitator = await signUpByHttp('Existing Facilitator');
    const token = await inviteByHttp(owner, workspaceId, facilitator.email, 'facilitator');
    expect(await acceptByHttp(facilitator, token)).toBe(`/w/${workspaceId}`);
    const page = await get(`/w/${workspaceId}/members`, facilitator.session);
    const html = await page.text();
    expect(html).toContain('Make invitation link');
    expect(html.match(/data-member-email=/g)).toHaveLength(2);
  });
});
