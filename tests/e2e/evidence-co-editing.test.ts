/**
 * Issue 23, end to end on a production build with the real sync server and PostgreSQL: two
 * raters type in the same evidence paragraph of the Prerequisites checklist at the same time.
 * Both end with the same merged text, with every word each of them typed; each saw the other's
 * caret with their name; the server kept the text (a reload shows it).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { liveTeam, openChecklistAs, saveStatus } from './document-page.js';
import type { Person } from './workspace-support.js';
import { evidenceText, focusEvidence } from './evidence-support.js';

let browser: Browser;
let ana: Person;
let ben: Person;
let workspaceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  ({ workspaceId, ana, ben } = await liveTeam('Evidence together'));
});

afterAll(async () => {
  await browser?.close();
});

const open = (person: Person) => openChecklistAs(browser, person, workspaceId);
const status = saveStatus;

describe('co-editing evidence', () => {
  it('two people typing in the same paragraph merge character by character and see each other’s caret', async () => {
    const a = await open(ana);
    const b = await open(ben);
    try {
      await focusEvidence(a.page, '1');
      await a.page.keyboard.type('Board minutes of March show the vote.');
      await expect.poll(() => evidenceText(b.page, '1')).toContain('the vote.');

      // Ben puts his caret at the start of the same paragraph: Ana sees it, with his name.
      await focusEvidence(b.page, '1');
      await b.page
        .locator('.ProseMirror[aria-label="Evidence for 1"] p')
        .click({ position: { x: 1, y: 4 } });
      await expect
        .poll(() => a.page.locator('.collaboration-carets__label').allInnerTexts())
        .toContain('Ben Rater');
      await expect
        .poll(() => b.page.locator('.collaboration-carets__label').allInnerTexts())
        .toContain('Ana Rater');

      // Both type at once, Ana at the end, Ben at the start of the same sentence.
      await a.page.keyboard.press('Control+End');
      await Promise.all([
        a.page.keyboard.type(' Budget line 14 funds it.', { delay: 15 }),
        b.page.keyboard.type('Per the superintendent: ', { delay: 15 }),
      ]);
      const expected =
        'Per the superintendent: Board minutes of March show the vote. Budget line 14 funds it.';
      await expect.poll(() => evidenceText(a.page, '1')).toBe(expected);
      await expect.poll(() => evidenceText(b.page, '1')).toBe(expected);
      // One paragraph, not two copies side by side.
      expect(await a.page.locator('.ProseMirror[aria-label="Evidence for 1"] p').count()).toBe(1);

      await expect.poll(() => status(a.page).textContent()).toContain('Saved');
      await expect.poll(() => status(b.page).textContent()).toContain('Saved');
    } finally {
      await a.context.close();
      await b.context.close();
    }

    // The server has it: a fresh browser (no IndexedDB) shows the merged text.
    const c = await open(ana);
    try {
      await expect
        .poll(() => c.page.getByRole('textbox', { name: 'Evidence for 1' }).innerText())
        .toBe(
          'Per the superintendent: Board minutes of March show the vote. Budget line 14 funds it.',
        );
    } finally {
      await c.context.close();
    }
  });
});
