/**
 * Issue 37, "Offline from any route", end to end on a production build: a rater opens the
 * workspace and follows the checklist's card (a client-side navigation: SvelteKit fetches only
 * the page's `__data.json`, the browser never requests the document's address), goes offline and
 * reloads. The page opens from the service worker with the checklist; a rating made offline
 * survives a second offline reload, is saved once back online and reaches the server (a fresh
 * browser of the same rater, with nothing stored locally, sees it; ratings are private to their
 * rater).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import {
  liveTeam,
  openChecklist,
  openChecklistAs,
  saveStatus,
  signedInContext,
} from './document-page.js';
import { type Person } from './workspace-support.js';

let browser: Browser;
let ana: Person;
let workspaceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  // The live-document suites' cast; this file needs the rater.
  ({ workspaceId, ana } = await liveTeam('Offline from any route'));
});

afterAll(async () => {
  await browser?.close();
});

const chosen = (page: Page, group: string, level: string) =>
  page.getByRole('radiogroup', { name: group }).getByRole('radio', { name: level }).isChecked();

async function reloadReady(page: Page): Promise<void> {
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Prerequisites to Launch' }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
}

describe('offline from any route', () => {
  it('a document reached by a client-side navigation opens offline, keeps offline edits and saves them when back', async () => {
    const context = await signedInContext(browser, ana);
    try {
      const page = await context.newPage();
      // The workspace, then the checklist's card: the document's address is never loaded.
      await openChecklist(page, workspaceId);
      // A person who has opened a page has it for offline once the worker is installed and has
      // kept the page (it fetches a client-side navigation's page in the background).
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await expect
        .poll(
          () => page.evaluate(async () => (await caches.match(location.pathname)) !== undefined),
          { message: 'the document page is kept for offline' },
        )
        .toBe(true);
      await expect.poll(() => saveStatus(page).textContent()).toContain('Saved');

      await context.setOffline(true);
      await reloadReady(page);
      await expect.poll(() => page.getByRole('radiogroup').count()).toBe(8);
      await expect
        .poll(() => saveStatus(page).textContent(), { timeout: 90_000 })
        .toContain('Offline');

      await page
        .getByRole('radiogroup', { name: 'Rating for 2' })
        .getByRole('radio', { name: 'Asset to Implementation' })
        .check();
      await expect
        .poll(() => saveStatus(page).textContent())
        .toContain('Offline: edits to 1 item waiting');

      // Still offline: the page again from the worker, the rating from IndexedDB.
      await reloadReady(page);
      await expect.poll(() => chosen(page, 'Rating for 2', 'Asset to Implementation')).toBe(true);
      await expect
        .poll(() => saveStatus(page).textContent())
        .toContain('Offline: edits to 1 item waiting');

      await context.setOffline(false);
      await expect
        .poll(() => saveStatus(page).textContent(), { timeout: 60_000 })
        .toContain('Saved');
    } finally {
      await context.close();
    }

    // A fresh browser of the same rater (no IndexedDB, no worker): the rating came from the
    // server.
    const fresh = await openChecklistAs(browser, ana, workspaceId);
    try {
      await expect
        .poll(() => chosen(fresh.page, 'Rating for 2', 'Asset to Implementation'))
        .toBe(true);
    } finally {
      await fresh.context.close();
    }
  });
});
