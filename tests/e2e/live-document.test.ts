/**
 * Issue 23, end to end on a production build with the real sync server and PostgreSQL: two
 * raters on two browsers have the Prerequisites checklist open live. They rate on their own
 * (private ratings documents), see each other in "People here" and on the item each is on; the
 * saved state is the server's word. One goes offline, keeps rating, and is saved when back. A
 * viewer sees everything read-only. (Co-editing evidence waits for document schema v2.)
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { evidenceText, focusEvidence, showEvidence } from './evidence-support.js';
import {
  liveTeam,
  openChecklist as openChecklistOn,
  saveStatus,
  signedInContext,
} from './document-page.js';
import type { Person } from './workspace-support.js';

let browser: Browser;
let ana: Person;
let ben: Person;
let vic: Person;
let workspaceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  ({ workspaceId, ana, ben, vic } = await liveTeam('Live checklist'));
});

afterAll(async () => {
  await browser?.close();
});

async function openAs<T>(person: Person, fn: (page: Page, context: BrowserContext) => Promise<T>) {
  const context = await signedInContext(browser, person);
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const openChecklist = (page: Page) => openChecklistOn(page, workspaceId);
const status = saveStatus;

/** Whether my rating of the item labelled `group` is the level named `level`. */
const chosen = (page: Page, group: string, level: string) =>
  page.getByRole('radiogroup', { name: group }).getByRole('radio', { name: level }).isChecked();

async function reloadReady(page: Page): Promise<void> {
  await page.reload();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
}

describe('the live checklist', () => {
  it('two raters rate on their own, see each other and where each is; saved is the server’s word', async () => {
    await openAs(ana, async (a) => {
      await openAs(ben, async (b) => {
        await openChecklist(a);
        await openChecklist(b);

        const peopleA = a.getByRole('list', { name: 'People here' });
        await expect.poll(() => peopleA.getByRole('button').count()).toBe(2);
        await expect.poll(() => b.getByRole('button', { name: /^AR: Ana Rater/ }).count()).toBe(1);

        // Ratings are private: Ana's choice is hers alone.
        const anaGroup = a.getByRole('radiogroup', { name: 'Rating for 1' });
        await anaGroup.getByRole('radio', { name: 'Sufficient for Launch' }).check();
        await expect
          .poll(() => anaGroup.getByRole('radio', { name: 'Sufficient for Launch' }).isChecked())
          .toBe(true);
        await expect.poll(() => status(a).textContent()).toContain('Saved');
        await expect
          .poll(() => a.getByRole('navigation', { name: 'Outline' }).textContent())
          .toContain('1/8');
        const benGroup = b.getByRole('radiogroup', { name: 'Rating for 1' });
        expect(await benGroup.getByRole('radio', { checked: true }).count()).toBe(0);

        // Ben moves to item 3: Ana sees him there, in words.
        await b
          .getByRole('radiogroup', { name: 'Rating for 3' })
          .getByRole('radio')
          .first()
          .focus();
        await expect
          .poll(() =>
            a
              .getByRole('article', { name: /^3 Leadership/ })
              .getByTestId('item-people')
              .textContent(),
          )
          .toContain('Ben Rater');
        await expect
          .poll(() => peopleA.getByRole('button', { name: /Ben Rater, on 3 Leadership/ }).count())
          .toBe(1);

        // A1 with two people present.
        const serious = (await runAxe(a)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

        // Keyboard: j moves to the next item, 3 chooses its third level, Ctrl+Z undoes it.
        await a.getByRole('article', { name: /^1 Innovation/ }).focus();
        await a.keyboard.press('j');
        await a.keyboard.press('3');
        const second = a.getByRole('radiogroup', { name: 'Rating for 2' });
        await expect
          .poll(() => second.getByRole('radio', { name: 'Asset to Implementation' }).isChecked())
          .toBe(true);
        await a.keyboard.press('Control+z');
        await expect.poll(() => second.getByRole('radio', { checked: true }).count()).toBe(0);
        await expect
          .poll(() => anaGroup.getByRole('radio', { name: 'Sufficient for Launch' }).isChecked())
          .toBe(true);

        // After a reload Ana's rating is there.
        await reloadReady(a);
        await expect.poll(() => chosen(a, 'Rating for 1', 'Sufficient for Launch')).toBe(true);
      });
    });
  });

  it('offline ratings wait, the header says so, and they are saved when back', async () => {
    await openAs(ana, async (a, ctx) => {
      await openChecklist(a);
      // The service worker keeps the page as last seen: wait until it controls the page and
      // has seen this one, so the page opens with no network.
      await a.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await reloadReady(a);
      await expect
        .poll(() => a.evaluate(() => navigator.serviceWorker.controller !== null))
        .toBe(true);
      await reloadReady(a);
      await expect.poll(() => status(a).textContent()).toContain('Saved');
      await ctx.setOffline(true);
      // Normally at once (the browser's offline event); should that be missed, the provider's
      // 30-second watchdog: the budget covers that, with room for a busy machine.
      await expect.poll(() => status(a).textContent(), { timeout: 90_000 }).toContain('Offline');
      await a
        .getByRole('radiogroup', { name: 'Rating for 4' })
        .getByRole('radio', { name: 'Barrier to Launch' })
        .check();
      await expect
        .poll(() => status(a).textContent())
        .toContain('Offline: edits to 1 item waiting');
      // Two sentences of evidence on the same item, a keystroke each: still one item waiting
      // (the count is of what a person changed, not of keystrokes).
      await focusEvidence(a, '4');
      await a.keyboard.type('Board voted in March. Budget line is funded.');
      await expect.poll(() => evidenceText(a, '4')).toContain('Budget line is funded.');
      await expect
        .poll(() => status(a).textContent())
        .toContain('Offline: edits to 1 item waiting');
      await a
        .getByRole('radiogroup', { name: 'Rating for 5' })
        .getByRole('radio', { name: 'Sufficient for Launch' })
        .check();
      await expect
        .poll(() => status(a).textContent())
        .toContain('Offline: edits to 2 items waiting');
      // A reload with no network: the page comes from the service worker, the rating from
      // IndexedDB, and what waits from the last page.
      await reloadReady(a);
      await expect.poll(() => chosen(a, 'Rating for 4', 'Barrier to Launch')).toBe(true);
      await expect
        .poll(() => status(a).textContent())
        .toContain('Offline: edits to 2 items waiting');
      await ctx.setOffline(false);
      await expect.poll(() => status(a).textContent(), { timeout: 60_000 }).toContain('Saved');
      await reloadReady(a);
      await expect.poll(() => chosen(a, 'Rating for 4', 'Barrier to Launch')).toBe(true);
      await expect.poll(() => chosen(a, 'Rating for 5', 'Sufficient for Launch')).toBe(true);
      await showEvidence(a, '4');
      await expect.poll(() => evidenceText(a, '4')).toContain('Budget line is funded.');
    });
  });

  it('a viewer sees everything read-only, with the reason', async () => {
    await openAs(vic, async (v) => {
      await openChecklist(v);
      await expect
        .poll(() => v.getByTestId('read-only-notice').textContent())
        .toContain('ask an owner to edit');
      // The header says what is true for a viewer: nothing of theirs to save here.
      await expect.poll(() => status(v).textContent()).toContain('View only');
      expect(await status(v).textContent()).not.toContain('Saved');
      expect(await v.getByRole('radiogroup').count()).toBe(0);
      const box = v.getByRole('textbox', { name: 'Evidence for 1' }).first();
      await expect.poll(() => box.getAttribute('aria-readonly')).toBe('true');
      const serious = (await runAxe(v)).filter(
        (x) => x.impact === 'serious' || x.impact === 'critical',
      );
      expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
    });
  });
});
