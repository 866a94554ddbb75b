/**
 * Issue 25, first slice, in the browser: the strategic plan co-edited live by two people. The
 * owner opens the plan from the workspace page and adds a goal; its warning ("no owner") shows
 * and clears when an owner is chosen; a rater edits the goal's title from her own browser and
 * the owner sees it; an action step past its due date is flagged overdue on both pages, in her
 * My actions and on the leadership view until it is done. axe-core at 1280 and 390 px.
 */
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { saveStatus, signedInContext } from './document-page.js';
import {
  acceptByHttp,
  baseUrl,
  createWorkspaceByHttp,
  gotoReady,
  inviteByHttp,
  signUpByHttp,
} from './workspace-support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const flat = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const warningsOf = async (page: Page) =>
  flat(await page.getByTestId('plan-warnings').textContent());

async function openPlan(page: Page, workspaceId: string) {
  await gotoReady(page, `/w/${workspaceId}`);
  await page.locator('li[data-kind="plan"]').getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: /Strategic plan/ }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByRole('heading', { name: 'Vision' }).waitFor();
}

describe('the strategic plan page', () => {
  it('two people build a goal live: owner, title, an overdue action and its warnings', async () => {
    const [owner, ana] = await Promise.all([
      signUpByHttp('Olive Owner'),
      signUpByHttp('Ana Rater'),
    ]);
    const workspaceId = await createWorkspaceByHttp(owner, 'Plan together');
    await acceptByHttp(ana, await inviteByHttp(owner, workspaceId, ana.email, 'rater'));
    const ownerContext = await signedInContext(browser, owner);
    const anaContext = await signedInContext(browser, ana);
    try {
      const O = await ownerContext.newPage();
      const A = await anaContext.newPage();
      await openPlan(O, workspaceId);
      await openPlan(A, workspaceId);
      expect(await warningsOf(O)).toContain('Nothing needs attention');

      // The owner adds a goal to Curriculum with the keyboard.
      const add = O.getByRole('textbox', { name: 'New goal in Curriculum' });
      await add.fill('Personalized pathways');
      await add.press('Enter');
      const goalO = O.locator('article.goal').first();
      await goalO.waitFor();
      await expect.poll(() => warningsOf(O)).toContain('Personalized pathways: no owner');

      // Ana sees it at once and adds to its title from her browser.
      const goalA = A.locator('article.goal').first();
      await goalA.waitFor();
      const titleA = goalA.getByRole('textbox', { name: 'Goal title' });
      await expect.poll(() => titleA.inputValue()).toBe('Personalized pathways');
      await titleA.click();
      await titleA.press('End');
      await titleA.pressSequentially(' for every student');
      await expect
        .poll(() => goalO.getByRole('textbox', { name: 'Goal title' }).inputValue())
        .toBe('Personalized pathways for every student');

      // The owner makes Ana its owner: the warning clears on both pages.
      await goalO.getByText('Owners:').click();
      await goalO.getByRole('checkbox', { name: 'Ana Rater' }).check();
      await expect
        .poll(async () => flat(await goalA.getByTestId('owners').textContent()))
        .toBe('Ana Rater');
      await expect.poll(() => warningsOf(A)).toContain('Nothing needs attention');

      // An action step due in the past: overdue, said in words on the step and at the top.
      const newStep = goalO.getByRole('textbox', { name: /New action step/ });
      await newStep.fill('Draft the pathway framework');
      await newStep.press('Enter');
      const stepO = goalO.locator('li.step').first();
      await stepO.waitFor();
      await stepO.getByLabel('Due').fill('2026-01-15');
      await stepO.getByLabel('Due').dispatchEvent('change');
      await expect
        .poll(() => warningsOf(A))
        .toContain(
          'Draft the pathway framework (Personalized pathways for every student): overdue since Jan 15, 2026',
        );
      const stepA = goalA.locator('li.step').first();
      await expect.poll(async () => flat(await stepA.textContent())).toContain('Overdue');
      // The owner gives the action to Ana: it is on her My actions page, overdue first, with
      // the goal she owns (from the query tables, in step within seconds).
      await stepO.getByLabel('Owner').selectOption({ label: 'Ana Rater' });
      const mine = await anaContext.newPage();
      const overdue = mine.locator('section[data-group="overdue"]');
      await expect
        .poll(
          async () => {
            await gotoReady(mine, '/actions');
            return flat(await overdue.textContent().catch(() => ''));
          },
          { timeout: 20_000, interval: 500 },
        )
        .toContain('Draft the pathway framework');
      expect(flat(await overdue.textContent())).toContain('Overdue since Jan 15, 2026');
      expect(flat(await overdue.textContent())).toContain(
        'Action for “Personalized pathways for every student” · Plan together',
      );
      expect(flat(await mine.locator('section[data-group="undated"]').textContent())).toContain(
        'Personalized pathways for every student',
      );
      const axeMine = (await runAxe(mine)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(axeMine).toEqual([]);
      // Her due dates as a calendar file; the plan's too.
      const ics = await anaContext.request.get(`${baseUrl}/actions.ics`);
      expect(ics.headers()['content-type']).toContain('text/calendar');
      const icsText = await ics.text();
      expect(icsText).toContain('SUMMARY:Due: Draft the pathway framework');
      expect(icsText).toContain('DTSTART;VALUE=DATE:20260115');
      const planIcs = await (
        await ownerContext.request.get(`${O.url().replace(/[?#].*$/, '')}/plan.ics`)
      ).text();
      expect(planIcs).toContain('SUMMARY:Due: Draft the pathway framework');

      // The leadership view (from the query tables) lists the overdue action with its owner.
      const lead = await ownerContext.newPage();
      const overdueThere = lead.locator(
        `[data-workspace-id="${workspaceId}"] [data-testid="overdue"]`,
      );
      await expect
        .poll(
          async () => {
            await gotoReady(lead, '/leadership');
            return flat(await overdueThere.textContent().catch(() => ''));
          },
          { timeout: 20_000, interval: 500 },
        )
        .toContain('Draft the pathway framework');
      expect(flat(await overdueThere.textContent())).toContain('Ana Rater');
      await lead.close();

      // Its link opens the plan at the goal.
      await overdue.getByRole('link', { name: 'Draft the pathway framework' }).click();
      await mine.locator('article.goal').first().waitFor();
      await expect
        .poll(() => mine.evaluate(() => document.activeElement?.id ?? ''))
        .toMatch(/^goal-.+-title$/);
      await mine.close();
      // Ana marks it done: no longer overdue anywhere.
      await stepA.getByLabel('Status').selectOption('done');
      await expect.poll(() => warningsOf(O)).toContain('Nothing needs attention');
      await expect.poll(() => saveStatus(A).first().textContent()).toContain('Saved');
      // Done: off her list.
      const after = await anaContext.newPage();
      await expect
        .poll(
          async () => {
            await gotoReady(after, '/actions');
            return flat(await after.locator('main').textContent());
          },
          { timeout: 20_000, interval: 500 },
        )
        .not.toContain('Draft the pathway framework');
      await after.close();

      // After a reload the plan is as the two left it (stored by the server).
      await O.reload();
      await O.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      const again = O.locator('article.goal').first();
      await expect
        .poll(() => again.getByRole('textbox', { name: 'Goal title' }).inputValue())
        .toBe('Personalized pathways for every student');
      expect(await again.locator('li.step').first().getByLabel('Status').inputValue()).toBe('done');

      // The plan as CSV, with the owner's cookies: read back with a CSV library.
      const res = await ownerContext.request.get(`${O.url().replace(/[?#].*$/, '')}/plan.csv`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-disposition']).toContain('plan.csv');
      const [head, ...rows] = parse((await res.body()).toString('utf8'), {
        bom: true,
      }) as string[][];
      const col = (name: string) => head!.indexOf(name);
      expect(
        rows.map((r) => [r[col('Kind')], r[col('Title')], r[col('Owners')], r[col('Status')]]),
      ).toEqual([
        ['Goal', 'Personalized pathways for every student', 'Ana Rater', 'Not started'],
        ['Action', 'Draft the pathway framework', 'Ana Rater', 'Done'],
      ]);

      for (const width of [1280, 390]) {
        await O.setViewportSize({ width, height: 900 });
        const serious = (await runAxe(O)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious, `axe at ${width}px`).toEqual([]);
      }
    } finally {
      await Promise.all([ownerContext.close(), anaContext.close()]);
    }
  });
});
