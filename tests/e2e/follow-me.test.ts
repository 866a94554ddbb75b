/**
 * Follow me (issue 39): an owner leads; a rater's page follows the item the owner is on, unless
 * the rater stops following; one click follows again; the owner sees who follows. Presence only:
 * nothing is stored.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { liveTeam, openChecklistAs } from './document-page.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Whether the item's card is within the window (below the page's top, above its bottom). */
const inView = (page: Page, label: string) =>
  page.getByRole('article', { name: new RegExp(`^${label} `) }).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  });

/** Moves to the n-th item with the keyboard (j from the top), as a facilitator would. */
async function goToItem(page: Page, n: number): Promise<void> {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 8; i++) await page.keyboard.press('k');
  for (let i = 1; i < n; i++) await page.keyboard.press('j');
}

describe('follow me', () => {
  it('takes followers to the leader’s item until they stop, and back when they follow again', async () => {
    const { workspaceId, owner, ana } = await liveTeam('Follow me');
    const lead = await openChecklistAs(browser, owner, workspaceId);
    const follow = await openChecklistAs(browser, ana, workspaceId);
    try {
      const followMe = lead.page.getByRole('button', { name: 'Follow me' });
      await followMe.focus();
      await lead.page.keyboard.press('Enter');
      await expect.poll(() => followMe.getAttribute('aria-pressed')).toBe('true');
      await follow.page.getByText('Following Olive Owner').waitFor();
      await lead.page.getByText('Following you: Ana Rater').waitFor();

      // The leader goes to the last category: the follower's page goes there too.
      await goToItem(lead.page, 8);
      await expect.poll(() => inView(follow.page, '8')).toBe(true);
      expect(await inView(follow.page, '1')).toBe(false);

      // Stop following: the leader goes back to the first; the follower stays.
      await follow.page.getByRole('button', { name: 'Stop following' }).click();
      await follow.page.getByText('Olive Owner is leading').waitFor();
      await lead.page.getByText('Nobody is following yet').waitFor();
      await goToItem(lead.page, 1);
      await expect.poll(() => inView(lead.page, '1')).toBe(true);
      expect(await inView(follow.page, '8')).toBe(true);
      expect(await inView(follow.page, '1')).toBe(false);

      // Follow again, one click: the follower joins the leader where they are now.
      await follow.page.getByRole('button', { name: 'Follow Olive Owner' }).click();
      await expect.poll(() => inView(follow.page, '1')).toBe(true);
      expect(
        (await runAxe(follow.page)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        ),
      ).toEqual([]);

      // The leader stops leading: nobody is asked to follow any more.
      await followMe.click();
      await expect
        .poll(() => follow.page.getByText(/Following Olive Owner|is leading/).count())
        .toBe(0);
    } finally {
      await lead.context.close();
      await follow.context.close();
    }
  });
});
