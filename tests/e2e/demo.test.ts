/**
 * The demo workspace as `npm start` makes it: the one-process host on an empty embedded database
 * (PGlite in memory) seeds it, and the demo sign-ins work in a real browser. A facilitator lands
 * on the home page with the demo workspace and its instruments; the leadership viewer sees the
 * same workspace as a viewer, without the members' invite form. The seeded ratings nobody can
 * see yet are counted nowhere, nor are the team's decisions (they show on their items on the
 * document page only, team-rating.test.ts); a rater sees their own progress. The Prerequisites
 * checklist has had a round: rated blind, revealed, so its page shows the team's ratings side by
 * side and a rater's own levels are fixed. This host is the test's own (DEMO_SEED=auto), apart
 * from the suite's shared one.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type RunningServer } from '../setup/server.js';
import { launchChromium, runAxe } from './browser.js';

const DEMO_PASSWORD = 'concord-demo-2026';
const DEMO_WORKSPACE = 'Revere Public Schools — PL readiness 2026-27';
/** The members page's invite button ("Make invitation link", or "Send invitation" with SMTP). */
const INVITE_BUTTON = /invitation/i;

let browser: Browser;
let host: RunningServer;

beforeAll(async () => {
  [host, browser] = await Promise.all([
    // PGlite's start, migrations and the seed's documents take a while on 2 cores.
    startWebServer({ env: { DEMO_SEED: 'auto' }, timeoutMs: 120_000 }),
    launchChromium(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${host.url}/sign-in`);
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${host.url}/`);
}

describe('the demo workspace', () => {
  it('greets the facilitator with the demo workspace and its instruments', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signIn(page, 'facilitator@demo.concord.test');
      await expect.poll(() => page.getByRole('heading', { name: DEMO_WORKSPACE }).count()).toBe(1);
      await expect(page.getByText('Your role:').first().textContent()).resolves.toContain(
        'Facilitator',
      );
      const serious = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(serious).toEqual([]);

      await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
      await page.waitForURL(/\/w\/[0-9a-f-]+$/);
      expect(await page.locator('h1').textContent()).toBe(DEMO_WORKSPACE);
      const instruments = await page
        .locator('section[aria-labelledby="instruments-title"] h3')
        .allTextContents();
      expect(instruments.join(' | ')).toMatch(/Prerequisites/);
      expect(instruments.join(' | ')).toMatch(/District Conditions/);
      expect(instruments.join(' | ')).toMatch(/plan/i);

      await page.goto(`${page.url()}/members`);
      expect(await page.getByRole('button', { name: INVITE_BUTTON }).count()).toBe(1);
      const members = await page.locator('main').textContent();
      for (const email of [
        'owner@demo.concord.test',
        'district.rater@demo.concord.test',
        'harborview.rater@demo.concord.test',
        'leadership@demo.concord.test',
      ]) {
        expect(members).toContain(email);
      }
    } finally {
      await context.close();
    }
  });

  it('claims none of the seeded ratings nobody can see; a rater sees only their own progress', async () => {
    // The seed writes everyone's ratings and the team's decisions into the query tables too;
    // no page shows those tables yet (a decision shows on its item, read from the document):
    // the workspace pages may not count them either.
    const everyonesRatings = /\d+\s+ratings?\s+(recorded|submitted)|team rating|consensus/i;
    const shown = async (page: Page, testId: string) =>
      (await page.getByTestId(testId).innerText()).replace(/\s+/g, ' ').trim();
    for (const email of ['facilitator@demo.concord.test', 'leadership@demo.concord.test']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await signIn(page, email);
        await expect(
          page.locator('[data-workspace-id] .counts li').allInnerTexts(),
        ).resolves.toEqual(['3 instruments', '7 members', '5 of 42 items agreed']);
        await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
        await page.waitForURL(/\/w\/[0-9a-f-]+$/);
        await expect(page.locator('main').innerText()).resolves.not.toMatch(everyonesRatings);
        await expect(
          page.locator('[data-kind="assessment"] [data-testid="size"]').innerText(),
        ).resolves.toBe('34 items: 28 indicators and 6 Required Areas of Autonomy and Flexibility');
      } finally {
        await context.close();
      }
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      // The district rater rated every District Conditions indicator and every category of
      // the checklist in the seed.
      await signIn(page, 'district.rater@demo.concord.test');
      await expect(shown(page, 'my-progress')).resolves.toBe('42 of 42 items rated by you');
      await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
      await page.waitForURL(/\/w\/[0-9a-f-]+$/);
      await expect(page.locator('main').innerText()).resolves.not.toMatch(everyonesRatings);
      await expect(
        page.locator('[data-kind="prerequisites"] [data-testid="my-progress"]').innerText(),
      ).resolves.toBe('You have rated all 8 categories');
      await expect(
        page.locator('[data-kind="assessment"] [data-testid="my-progress"]').innerText(),
      ).resolves.toBe('You have rated all 34 items');
    } finally {
      await context.close();
    }
  });

  it('shows the leadership viewer the same workspace, read-only', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signIn(page, 'leadership@demo.concord.test');
      await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
      await page.waitForURL(/\/w\/[0-9a-f-]+$/);
      const workspaceUrl = page.url();
      await page.goto(`${workspaceUrl}/members`);
      expect(await page.getByRole('button', { name: INVITE_BUTTON }).count()).toBe(0);
      expect(await page.locator('main').textContent()).toContain('facilitator@demo.concord.test');
    } finally {
      await context.close();
    }
  });

  it('shows the leadership view: goals by every owner, a metric trend with subgroups, at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      try {
        await signIn(page, 'leadership@demo.concord.test');
        await page.goto(`${host.url}/leadership`);
        await page.waitForSelector('body[data-hydrated]');
        // Goals by owner: a goal counts for each of its owners, names typed in included.
        const byOwner = page.getByTestId('goals-by-owner');
        const owners = await byOwner.locator('tbody th').allInnerTexts();
        expect(owners).toEqual(
          expect.arrayContaining(['Chief Financial Officer', 'Director of Professional Learning']),
        );
        // The metric's trend: the chart (drawn in the browser), its sentence and its table.
        const trend = page.getByRole('figure', { name: 'Chronic absenteeism' });
        await expect.poll(() => trend.locator('svg path').count()).toBeGreaterThan(4);
        expect(await trend.locator('.summary').innerText()).toBe(
          'Chronic absenteeism: 21.4% at baseline, 20.2% on 2026-12-31, target 17%: 27% of the ' +
            'way; furthest behind: English language learners (6% of the way).',
        );
        await trend.getByText('The figures as a table').click();
        const table = trend.getByRole('table', { name: 'Chronic absenteeism by subgroup' });
        // The table is made when its details open: wait for it.
        await expect
          .poll(() => table.locator('tbody th').allInnerTexts())
          .toEqual([
            'All students',
            'Economic disadvantage',
            'English language learners',
            'Students with disabilities',
          ]);
        expect(await table.locator('tbody tr').first().innerText()).toContain(
          'Dec 31, 2026: 20.2%',
        );
        // Nothing wider than the screen.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `horizontal overflow at ${width} px`).toBe(0);
        expect(
          (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical'),
        ).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('lists the members in compact rows that fit 390 px, "represents" for raters only', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      try {
        await signIn(page, 'owner@demo.concord.test');
        await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
        await page.waitForURL(/\/w\/[0-9a-f-]+$/);
        await page.goto(`${page.url()}/members`);
        await page.waitForSelector('body[data-hydrated]');
        // Nothing wider than the screen.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `horizontal overflow at ${width} px`).toBe(0);
        const rows = page.locator('tr[data-member-email]');
        expect(await rows.count()).toBe(7);
        // Represents: a rater's district or school; nothing shown for the others, and no
        // "represents" select on their rows until Rater is chosen.
        // What the cell shows to the eye (a visually hidden "Does not rate" is for screen readers).
        const represents = (email: string) =>
          page
            .locator(`tr[data-member-email="${email}"] td[data-label="Represents"]`)
            .evaluate((cell) => {
              // An owner's row holds a select: what it shows is its chosen option.
              const select = cell.querySelector('select');
              if (select) return select.selectedOptions[0]?.textContent?.trim() ?? '';
              const shown = cell.cloneNode(true) as HTMLElement;
              for (const hidden of shown.querySelectorAll('.visually-hidden')) hidden.remove();
              return (shown.textContent ?? '').trim();
            });
        await expect(represents('district.rater@demo.concord.test')).resolves.toBe('District');
        await expect(represents('harborview.rater@demo.concord.test')).resolves.toBe(
          'Harborview Elementary School',
        );
        await expect(represents('leadership@demo.concord.test')).resolves.toBe('');
        await expect(represents('facilitator@demo.concord.test')).resolves.toBe('');
        const viewerRow = page.locator('tr[data-member-email="leadership@demo.concord.test"]');
        await expect(viewerRow.getByLabel(/Whom .* represents/).count()).resolves.toBe(0);
        await viewerRow.getByLabel('Role of Dr. Renee Walsh').selectOption('rater');
        await expect(viewerRow.getByLabel(/Whom .* represents/).count()).resolves.toBe(1);
        // "District" as a name, capitalised wherever it stands alone.
        const texts = await page
          .locator('main option, main td, main th')
          .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
        expect(texts.filter((t) => /^district$/.test(t))).toEqual([]);
        if (width === 1280) {
          // One line of controls per member: rows no taller than two lines of text.
          const heights = await rows.evaluateAll((els) =>
            els.map((e) => e.getBoundingClientRect().height),
          );
          expect(Math.max(...heights), heights.join(', ')).toBeLessThan(70);
        }
        const serious = (await runAxe(page)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('shows leadership every workspace at a glance: readiness, barriers, the plan', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signIn(page, 'leadership@demo.concord.test');
      await page.getByRole('link', { name: 'Leadership view' }).click();
      await page.getByRole('heading', { level: 1, name: 'Leadership view' }).waitFor();
      const ws = page.getByRole('region', { name: new RegExp(DEMO_WORKSPACE) });
      const facts = (await ws.getByTestId('instrument-fact').allInnerTexts()).map((t) =>
        t.replace(/\s+/g, ' '),
      );
      expect(facts.find((f) => f.startsWith('Prerequisites'))).toContain(
        'Not ready to launch: 1 barrier',
      );
      expect(facts.find((f) => f.startsWith('Prerequisites'))).toContain('5 of 8 items agreed');
      const goals = ws.getByRole('table', { name: /^Goals of / });
      expect(await goals.getByRole('row').count()).toBeGreaterThan(1);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const serious = (await runAxe(page)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious, `axe at ${width}px`).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});
