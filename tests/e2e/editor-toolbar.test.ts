/**
 * The text fields' formatting toolbar, keyboard only: it shows for the focused field alone
 * (with that field's "Comment on selected text"), Alt+F10 reaches it and arrows move along it,
 * bold and a numbered list go on from it and from their shortcuts, Ctrl+K opens the link form
 * (a bad address is refused with a reason), and what one rater formats reaches the other as
 * formatted text through the sync server (which checks every mark it stores). axe finds nothing
 * serious with the toolbar and the link form open.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { liveTeam, openChecklistAs, saveStatus } from './document-page.js';
import { editorSelection, focusEvidence, showEvidence } from './evidence-support.js';
import type { Person } from './workspace-support.js';

let browser: Browser;
let ana: Person;
let ben: Person;
let workspaceId: string;

beforeAll(async () => {
  browser = await launchChromium();
  ({ workspaceId, ana, ben } = await liveTeam('Formatting evidence'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const evidence = (page: Page, label: string) =>
  page.getByRole('textbox', { name: `Evidence for ${label}` });
const toolbars = (page: Page) => page.getByRole('toolbar');
/** Waits out ProseMirror's 200 ms after a focus (a timer in the page never fires early). */
const settle = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
const seriousAxe = async (page: Page) =>
  (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

describe('the formatting toolbar', () => {
  it('formats evidence from the keyboard, and the other rater sees it formatted', async () => {
    const a = await openChecklistAs(browser, ana, workspaceId);
    const b = await openChecklistAs(browser, ben, workspaceId);
    try {
      const page = a.page;
      // No field focused: no toolbar, no comment button.
      expect(await toolbars(page).count()).toBe(0);
      await focusEvidence(page, '1');
      await expect.poll(() => toolbars(page).count()).toBe(1);
      const bar = page.getByRole('toolbar', { name: 'Formatting for Evidence for 1' });
      await bar.waitFor();
      expect(await page.getByRole('button', { name: /^Comment on selected text/ }).count()).toBe(1);
      // Disabled, in look and in fact, until words are selected.
      const comment = page.getByRole('button', {
        name: /^Comment on selected text in Evidence for 1/,
      });
      expect(await comment.isDisabled()).toBe(true);

      await page.keyboard.type('Board minutes show the vote');
      // Select "Board" (the first word) with the keyboard.
      await page.keyboard.press('Home');
      for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(() => editorSelection(page, '1')).toMatchObject({ text: 'Board' });
      expect(await comment.isDisabled()).toBe(false);

      // Alt+F10: to the toolbar; the first button (Bold) has the focus; Enter presses it.
      await page.keyboard.press('Alt+F10');
      const bold = bar.getByRole('button', { name: 'Bold' });
      await expect.poll(() => bold.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await bold.getAttribute('title')).toMatch(/^Bold \((Ctrl\+B|⌘B)\)$/);
      await page.keyboard.press('Enter');
      await expect.poll(() => evidence(page, '1').locator('strong').textContent()).toBe('Board');
      await expect.poll(() => bold.getAttribute('aria-pressed')).toBe('true');
      // Pressing a button formats and gives the text its focus back, to type on (as Google
      // Docs does); Alt+F10 returns to the button last used, arrows move along the toolbar,
      // Escape goes back to the text.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
        .toBe('Evidence for 1');
      await page.keyboard.press('Alt+F10');
      await expect.poll(() => bold.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('ArrowRight');
      await expect
        .poll(() =>
          bar
            .getByRole('button', { name: 'Italic' })
            .evaluate((el) => el === document.activeElement),
        )
        .toBe(true);
      await page.keyboard.press('Escape');
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''))
        .toBe('Evidence for 1');

      // ProseMirror moves the caret for 200 ms after the editor takes focus: let that pass (in
      // the page's clock) before moving it with keys.
      await settle(page);
      // A numbered list by its shortcut.
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Shift+7');
      await expect.poll(() => evidence(page, '1').locator('ol li').count()).toBe(1);

      // Ctrl+K on a selection: the link form; a script address is refused, a web one applied.
      await page.keyboard.press('Home');
      for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(() => editorSelection(page, '1')).toMatchObject({ text: 'Board' });
      await page.keyboard.press('Control+k');
      const address = page.getByRole('textbox', { name: 'Link address' });
      await expect.poll(() => address.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await seriousAxe(page)).toEqual([]);
      await address.fill('javascript:alert(1)');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByRole('alert').filter({ hasText: 'web (https://)' }).count())
        .toBe(1);
      await address.fill('example.org/minutes');
      await page.keyboard.press('Enter');
      const link = evidence(page, '1').locator('a[href="https://example.org/minutes"]');
      await expect.poll(() => link.textContent()).toBe('Board');
      await expect
        .poll(() => saveStatus(page).textContent(), { timeout: 30_000 })
        .toContain('Saved');

      // Ben sees Ana's formatting: bold, the list, the link (the server stored the marks).
      await showEvidence(b.page, '1');
      const hisCopy = evidence(b.page, '1');
      await expect
        .poll(() => hisCopy.locator('strong').first().textContent(), { timeout: 30_000 })
        .toBe('Board');
      await expect.poll(() => hisCopy.locator('ol li').count()).toBe(1);
      await expect
        .poll(() => hisCopy.locator('a[href="https://example.org/minutes"]').count())
        .toBe(1);
      // His field is not focused: no toolbar on his page.
      expect(await toolbars(b.page).count()).toBe(0);
      const found = await seriousAxe(b.page);
      expect(found, JSON.stringify(found, null, 1)).toEqual([]);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  }, 240_000);
});
