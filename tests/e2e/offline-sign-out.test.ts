/**
 * Issue 37's safety side: the pages the service worker keeps for offline hold the signed-in
 * person's name, role and documents, so signing out forgets them. A rater opens the workspace
 * and follows the checklist's card (both pages kept), signs out with the header's button; the
 * kept pages are gone, and the checklist's address with no network opens nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { liveTeam, openChecklist, signedInContext } from './document-page.js';
import { baseUrl, type Person } from './workspace-support.js';

let browser: Browser;
let ana: Person;
let workspaceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  // The live-document suites' cast; this file needs the rater.
  ({ workspaceId, ana } = await liveTeam('Offline sign-out'));
});

afterAll(async () => {
  await browser?.close();
});

/** Whether the service worker's caches hold a page for `path`. */
const kept = (page: Page, path: string) =>
  page.evaluate(async (p) => (await caches.match(p, { ignoreSearch: true })) !== undefined, path);

describe('offline pages and sign-out', () => {
  it('signing out forgets the pages kept for offline', async () => {
    const context = await signedInContext(browser, ana);
    try {
      const page = await context.newPage();
      await openChecklist(page, workspaceId);
      const checklist = new URL(page.url()).pathname;
      const workspace = `/w/${workspaceId}`;
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await expect.poll(() => kept(page, checklist)).toBe(true);
      await expect.poll(() => kept(page, workspace)).toBe(true);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
      await expect.poll(() => kept(page, checklist)).toBe(false);
      await expect.poll(() => kept(page, workspace)).toBe(false);

      await context.setOffline(true);
      await expect(page.goto(`${baseUrl}${checklist}`)).rejects.toThrow(/net::ERR_/);
    } finally {
      await context.close();
    }
  });
});
