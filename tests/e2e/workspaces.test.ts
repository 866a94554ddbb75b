/**
 * Workspaces in the production build, in a real browser: the new-workspace wizard by keyboard
 * alone (errors next to the field, focus always visible), the same wizard without JavaScript,
 * the workspace overview and home page listing it with the creator's role, a 404 for
 * non-members and sign-in for signed-out visitors; axe-core on every page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import {
  acceptByHttp,
  baseUrl,
  createWorkspaceByHttp,
  get,
  inviteByHttp,
  post,
  signInContext,
  signUpByHttp,
  type Person,
} from './workspace-support.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function withPerson<T>(
  person: Person,
  fn: (page: Page, context: BrowserContext) => Promise<T>,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  try {
    await signInContext(context, person);
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const serious = (await runAxe(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** Presses Tab until `selector` has focus (at most `max` times); checks focus is visible there. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      const visible = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return (
          el.matches(':focus-visible') &&
          ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
            style.boxShadow !== 'none')
        );
      });
      expect(visible, `focus on ${selector} is visible`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('the new-workspace wizard', () => {
  it('completes by keyboard alone, with an error next to its field on the way', async () => {
    const owner = await signUpByHttp('Keyboard Owner');
    await withPerson(owner, async (page) => {
      await page.goto(`${baseUrl}/`);
      await expectNoSeriousViolations(page, 'home (no workspaces)');
      await tabTo(page, 'a[href="/workspaces/new"]');
      await Promise.all([page.waitForURL(/\/workspaces\/new$/), page.keyboard.press('Enter')]);
      await page.waitForLoadState('networkidle');
      await expectNoSeriousViolations(page, 'wizard step 1');

      // The school year starts as the current one (July to June).
      const now = new Date();
      const start = now.getMonth() >= 6 ? now.getFullYear() : now.getFullYear() - 1;
      await expect(page.locator('#field-schoolYear').inputValue()).resolves.toBe(
        `${start}-${String((start + 1) % 100).padStart(2, '0')}`,
      );
      await tabTo(page, '#field-name');
      await page.keyboard.type('Revere Public Schools — PL readiness 2026-27');
      await tabTo(page, '#field-schoolYear');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('2026-28');
      await page.keyboard.press('Enter');
      const error = page.locator('#field-schoolYear-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toMatch(/second year must follow/i);
      await expect(page.locator('#field-schoolYear').getAttribute('aria-invalid')).resolves.toBe(
        'true',
      );
      await expect(page.locator('#field-name').inputValue()).resolves.toBe(
        'Revere Public Schools — PL readiness 2026-27',
      );
      await expectNoSeriousViolations(page, 'wizard step 1 with an error');

      await page.locator('#field-schoolYear').focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('2026-27');
      await page.keyboard.press('Enter');
      await page.locator('#field-districtName').waitFor();
      // Focus moved to the new step's heading, so the next Tab continues from there.
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('step-heading');
      await expectNoSeriousViolations(page, 'wizard step 2');

      await tabTo(page, '#field-districtName');
      await page.keyboard.type('Revere Public Schools');
      await tabTo(page, '#field-districtState');
      await page.keyboard.type('Massachusetts');
      await tabTo(page, '#field-newSchools');
      await page.keyboard.type('Garfield Elementary');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Revere High School');
      await tabTo(page, 'button.button:not([formaction])');
      await page.keyboard.press('Enter');
      await page.locator('#instrument-plan').waitFor();
      await expectNoSeriousViolations(page, 'wizard step 3');

      // The plan covers five years from the workspace's, unless changed.
      await expect(page.locator('#field-planYears option:checked').textContent()).resolves.toBe(
        '5 years: 2026-27 to 2030-31',
      );
      // Everything starts ticked; leave out Fundamental Practices.
      await tabTo(page, '#instrument-fundamental-practices');
      await page.keyboard.press('Space');
      await expect(page.locator('#instrument-fundamental-practices').isChecked()).resolves.toBe(
        false,
      );
      await tabTo(page, 'button[formaction="?/create"]');
      await Promise.all([page.waitForURL(/\/w\/[0-9a-f-]{36}$/), page.keyboard.press('Enter')]);

      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Revere Public Schools — PL readiness 2026-27',
      );
      await expect(page.getByTestId('my-role').textContent()).resolves.toMatch(/Owner/);
      const titles = await page
        .locator('[data-document-id] h3')
        .evaluateAll((els) => els.map((e) => e.textContent));
      expect(titles).toEqual([
        'Prerequisites to Launch',
        'District Conditions',
        'School Planning Tool: Garfield Elementary',
        'School Planning Tool: Revere High School',
        'Strategic plan 2026-2031',
      ]);
      await expectNoSeriousViolations(page, 'workspace overview');

      await page.goto(`${baseUrl}/`);
      const card = page.locator('[data-workspace-id]');
      await expect(card.count()).resolves.toBe(1);
      await expect(card.textContent()).resolves.toMatch(/Your role: Owner/);
      await expect(card.textContent()).resolves.toMatch(/5\s+instruments/);
      await expectNoSeriousViolations(page, 'home with a workspace');
    });
  });

  it('works without JavaScript, and a second workspace can reuse the district', async () => {
    const owner = await signUpByHttp('No Script Owner');
    await createWorkspaceByHttp(owner, 'First engagement');
    await withPerson(
      owner,
      async (page) => {
        await page.goto(`${baseUrl}/workspaces/new`);
        await page.getByLabel('Workspace name').fill('Second engagement');
        await page.getByLabel('School year').fill('2027-28');
        await page.getByRole('button', { name: 'Next' }).click();
        // Ticked already: the person's district and its schools.
        await expect(
          page.getByRole('radio', { name: 'Revere Public Schools, MA' }).isChecked(),
        ).resolves.toBe(true);
        for (const school of ['Garfield Elementary', 'Revere High School']) {
          await expect(page.getByRole('checkbox', { name: school }).isChecked()).resolves.toBe(
            true,
          );
        }
        await page.getByRole('checkbox', { name: 'Garfield Elementary' }).uncheck();
        await page.getByRole('button', { name: 'Next' }).click();
        // Create with nothing ticked: an error next to the instruments, values kept.
        for (const box of await page.locator('input[type="checkbox"]').all()) await box.uncheck();
        await page.getByRole('button', { name: 'Create workspace' }).click();
        await expect(page.locator('#instruments-error').textContent()).resolves.toMatch(
          /at least one instrument/i,
        );
        await page.getByRole('checkbox', { name: 'Strategic plan' }).check();
        await page.getByRole('checkbox', { name: 'Revere High School' }).check();
        await Promise.all([
          page.waitForURL(/\/w\/[0-9a-f-]{36}$/),
          page.getByRole('button', { name: 'Create workspace' }).click(),
        ]);
        const titles = await page
          .locator('[data-document-id] h3')
          .evaluateAll((els) => els.map((e) => e.textContent));
        expect(titles).toEqual([
          'School Planning Tool: Revere High School',
          'Strategic plan 2027-2032',
        ]);
      },
      { javaScriptEnabled: false },
    );
  });
});

describe('who may start a workspace in an existing district', () => {
  it('offers a viewer (leadership) no district of theirs, says why, and refuses it on the field', async () => {
    const owner = await signUpByHttp('District Owner');
    const viewer = await signUpByHttp('District Leadership');
    const id = await createWorkspaceByHttp(owner, 'Owned engagement');
    await acceptByHttp(viewer, await inviteByHttp(owner, id, viewer.email, 'viewer'));
    // The district's id, as its owner's wizard offers it.
    const ownerStep2 = await post(
      '/workspaces/new?/next',
      { step: 'workspace', name: 'Next year', schoolYear: '2027-28' },
      owner.session,
    );
    const districtId = /id="district-([0-9a-f-]{36})"/.exec(await ownerStep2.text())?.[1];
    expect(districtId).toBeDefined();
    await withPerson(viewer, async (page) => {
      await page.goto(`${baseUrl}/workspaces/new`);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await page.getByLabel('Workspace name').fill('Leadership’s own engagement');
      await page.getByLabel('School year').fill('2027-28');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('#district-closed').waitFor();
      // Only "A new district" is on offer; the note says why their district is not.
      await expect(page.locator('input[name="district"]').count()).resolves.toBe(1);
      await expect(page.getByRole('radio', { name: 'A new district' }).isChecked()).resolves.toBe(
        true,
      );
      await expect(page.locator('#district-closed').textContent()).resolves.toMatch(
        /^Not listed: Revere Public Schools, MA\. Only an owner/,
      );
      await expectNoSeriousViolations(page, 'wizard step 2 with a district not on offer');

      // Posting the district anyway (a radio added by hand): refused, the error at the field.
      await page.evaluate((value) => {
        const radio = document.createElement('input');
        Object.assign(radio, { type: 'radio', name: 'district', value, checked: true });
        // With JavaScript the form stays in place after the answer: labelled, for axe below.
        radio.setAttribute('aria-label', 'Their district');
        document.querySelector('form.wizard')?.append(radio);
      }, districtId);
      await page.getByLabel('New schools, one per line').fill('Leadership Academy');
      await page.getByRole('button', { name: 'Next' }).click();
      const error = page.locator('#district-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toMatch(
        /Only an owner of one of this district’s workspaces can start another workspace in it/,
      );
      await expect(
        page.locator('fieldset.choices').first().getAttribute('aria-describedby'),
      ).resolves.toBe('district-closed district-error');
      await expectNoSeriousViolations(page, 'wizard step 2 refusing the district');
    });
  });
});

describe('who sees a workspace', () => {
  it('is a 404 for non-members and a sign-in for signed-out visitors', async () => {
    const owner = await signUpByHttp('Private Owner');
    const stranger = await signUpByHttp('Stranger');
    const id = await createWorkspaceByHttp(owner, 'Private engagement');
    for (const path of [`/w/${id}`, `/w/${id}/members`]) {
      const asStranger = await get(path, stranger.session);
      expect(asStranger.status, path).toBe(404);
      expect(await asStranger.text()).not.toContain('Private engagement');
      const signedOut = await get(path);
      await signedOut.arrayBuffer();
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.get('location')).toBe(
        `/sign-in?redirectTo=${encodeURIComponent(path)}`,
      );
    }
    // Browsers still ask for /favicon.ico: it leads to the icon, not to the not-found page.
    const icon = await get('/favicon.ico');
    await icon.arrayBuffer();
    expect(icon.status).toBe(308);
    expect(icon.headers.get('location')).toBe('/favicon.svg');
    // A workspace that does not exist looks exactly the same.
    const missing = await get(`/w/00000000-0000-4000-8000-000000000000`, stranger.session);
    expect(missing.status).toBe(404);
    await withPerson(stranger, async (page) => {
      await page.goto(`${baseUrl}/w/${id}`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
      await expectNoSeriousViolations(page, 'workspace 404');
      // A path no route matches: SvelteKit's bare "Not Found" never shows beside the heading.
      await page.goto(`${baseUrl}/no-such-page`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
      await expect(page.locator('main').textContent()).resolves.not.toContain('Not Found');
      await expect(page.locator('main').textContent()).resolves.toContain(
        'We could not find that page.',
      );
      await expectNoSeriousViolations(page, 'unmatched path 404');
    });
  });
});
