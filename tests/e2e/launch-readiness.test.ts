/**
 * Issue 39, launch readiness end to end: a rater rates the Prerequisites checklist blind with one
 * Barrier to Launch; the owner runs the round, reveals it and records the team's rating of every
 * category. With a Barrier the page says "Not ready to launch" and names it; with none, "Ready to
 * launch". The workspace page says the same from the query tables, which the sync server keeps
 * in step with the document (so this also checks the projection reaches a page).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { openChecklist, saveStatus, signedInContext } from './document-page.js';
import {
  acceptByHttp,
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

/** Checklist categories as the page numbers them; 6 is Funding. */
const CATEGORIES = ['1', '2', '3', '4', '5', '6', '7', '8'];
const FUNDING = '6';
/** The launch readiness section (a region named by its heading, which changes). */
const launchOf = (page: Page) =>
  page.getByRole('region', { name: /^(Launch readiness:|Not ready to launch|Ready to launch)/ });
const flat = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/** The workspace page's state line of the checklist, read again until it says `text`. */
async function workspaceSays(page: Page, workspaceId: string, kind: string, text: string) {
  await expect
    .poll(
      async () => {
        await gotoReady(page, `/w/${workspaceId}`);
        const card = page.locator('li[data-kind="prerequisites"]');
        return flat(await card.getByTestId(`state-${kind}`).textContent());
      },
      { timeout: 20_000, interval: 500 },
    )
    .toContain(text);
}

describe('launch readiness', () => {
  it('is "Not ready" with a Barrier, named; "Ready" with none; the workspace page agrees', async () => {
    const [owner, ana] = await Promise.all([
      signUpByHttp('Olive Owner'),
      signUpByHttp('Ana Rater'),
    ]);
    const workspaceId = await createWorkspaceByHttp(owner, 'Launch check');
    await acceptByHttp(ana, await inviteByHttp(owner, workspaceId, ana.email, 'rater'));
    const ownerContext = await signedInContext(browser, owner);
    const anaContext = await signedInContext(browser, ana);
    try {
      const O = await ownerContext.newPage();
      const overview = await ownerContext.newPage();
      const A = await anaContext.newPage();
      await openChecklist(O, workspaceId);
      const checklistUrl = O.url();
      await openChecklist(A, workspaceId);
      // Before any round the workspace page says so, from the first projection (the wizard's).
      await workspaceSays(overview, workspaceId, 'round', 'No rating round yet');

      // The owner opens a round; Ana rates every category, Funding a Barrier.
      await O.getByRole('button', { name: 'Open a round' }).click();
      await O.getByRole('form', { name: 'Open a round' })
        .getByRole('button', { name: 'Open round' })
        .click();
      await A.getByText('Round 1 is open.').waitFor();
      for (const n of CATEGORIES) {
        await A.getByRole('radiogroup', { name: `Rating for ${n}` })
          .getByRole('radio', {
            name: n === FUNDING ? 'Barrier to Launch' : 'Sufficient for Launch',
          })
          .check();
      }
      await expect.poll(() => saveStatus(A).first().textContent()).toContain('Saved');
      const progress = O.getByRole('region', { name: 'Progress by rater' });
      await expect
        .poll(async () =>
          flat(await progress.getByRole('row', { name: /Ana Rater/ }).textContent()),
        )
        .toContain('8 of 8');
      await workspaceSays(overview, workspaceId, 'round', 'Round 1 open: 1 of 1 rater done');
      await O.getByRole('button', { name: /^Reveal / })
        .first()
        .click();

      // Revealed, nothing decided: Funding is raised as a possible barrier.
      const launch = launchOf(O);
      await expect
        .poll(async () => flat(await launch.getByRole('heading').textContent()))
        .toBe('Launch readiness: 0 of 8 categories decided');
      await expect
        .poll(async () => flat(await launch.textContent()))
        .toContain('Not decided yet, and raters chose a barrier to launch on: 6 Funding (1 rater)');

      // The team's rating of every category, Funding a Barrier: not ready, and why.
      for (const n of CATEGORIES) {
        await O.getByRole('radiogroup', { name: `Team rating for ${n}` })
          .getByRole('radio')
          .nth(n === FUNDING ? 0 : 1)
          .check();
      }
      await expect
        .poll(async () => flat(await launch.getByRole('heading').textContent()))
        .toMatch(/^✗ ?Not ready to launch$/);
      expect(flat(await launch.textContent())).toContain(
        'The team rated these a barrier to launch: 6 Funding: Barrier to Launch',
      );
      // Ana sees the same, live.
      await expect
        .poll(async () => flat(await launchOf(A).textContent()))
        .toContain('Not ready to launch');
      await workspaceSays(overview, workspaceId, 'readiness', 'Not ready to launch: 1 barrier');

      // The plan warns of the Barrier no goal addresses (from the query tables)…
      const planLink = overview.locator('li[data-kind="plan"]').getByRole('link').first();
      await expect
        .poll(
          async () => {
            await gotoReady(overview, `/w/${workspaceId}`);
            await planLink.click();
            await overview.getByRole('heading', { name: 'Vision' }).waitFor();
            return flat(await overview.getByTestId('plan-warnings').textContent());
          },
          { timeout: 20_000, interval: 500 },
        )
        .toContain(
          '6 Funding (Prerequisites to Launch): 1 Barrier to Launch: no goal addresses it',
        );
      // …and the checklist makes one from it: the plan page opens with the goal, linked.
      await O.locator('article.item-card[data-item-id="pre.funding"]')
        .getByRole('link', { name: /Create a goal from this gap/ })
        .click();
      const made = O.locator('article.goal').first();
      await made.waitFor();
      await expect
        .poll(() => made.getByRole('textbox', { name: 'Goal title' }).inputValue())
        .toBe('Close the gap: Funding');
      expect(flat(await made.getByRole('region', { name: /addresses/ }).textContent())).toContain(
        'Barrier: 6 Funding (Prerequisites to Launch): 1 Barrier to Launch',
      );
      expect(O.url()).not.toContain('gap=');
      // The other plan page sees it live; the gap is answered (a goal without an owner is left).
      await expect
        .poll(async () => flat(await overview.getByTestId('plan-warnings').textContent()))
        .not.toContain('no goal addresses it');
      expect(flat(await overview.getByTestId('plan-warnings').textContent())).toContain(
        'Close the gap: Funding: no owner',
      );
      // Back on the checklist, Funding names the goal that addresses it (from the goals query
      // table: a reload once the projection has it), with a link to it.
      const addressed = O.locator('article.item-card[data-item-id="pre.funding"] .addressed-by');
      await expect
        .poll(
          async () => {
            await O.goto(checklistUrl);
            await O.locator('body[data-hydrated]').waitFor({ state: 'attached' });
            return flat(await addressed.textContent({ timeout: 1000 }).catch(() => ''));
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe('Addressed in the plan by Close the gap: Funding · Not started');
      await launch.waitFor();

      // Funding sufficient after all: ready to launch, here and on the workspace page.
      await O.getByRole('radiogroup', { name: `Team rating for ${FUNDING}` })
        .getByRole('radio')
        .nth(1)
        .check();
      await expect
        .poll(async () => flat(await launch.getByRole('heading').textContent()))
        .toMatch(/^✓ ?Ready to launch$/);
      expect(flat(await launch.textContent())).toContain(
        'Every category has a team rating, and none is a barrier to launch.',
      );
      await workspaceSays(overview, workspaceId, 'readiness', 'Ready to launch');
      expect(flat(await overview.getByTestId('state-agreed').first().textContent())).toContain(
        '8 of 8 categories agreed',
      );
      expect(flat(await overview.getByTestId('state-round').first().textContent())).toContain(
        'Round 1 revealed',
      );
      const serious = (await runAxe(overview)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(serious).toEqual([]);
    } finally {
      await Promise.all([ownerContext.close(), anaContext.close()]);
    }
  });
});
