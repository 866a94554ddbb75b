/**
 * Helpers for browser tests that type in an item's evidence (a lazily mounted Tiptap editor
 * named "Evidence for <label>").
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const editorOf = (page: Page, label: string) =>
  page.locator(`.ProseMirror[aria-label="Evidence for ${label}"]`);

/** Focuses the evidence editor of an item (mounting it) and waits until typing goes into it. */
export async function focusEvidence(page: Page, label: string): Promise<void> {
  await page.getByRole('textbox', { name: `Evidence for ${label}` }).click();
  await editorOf(page, label).waitFor();
  await expect
    .poll(() =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? 'nothing'),
    )
    .toBe(`Evidence for ${label}`);
  // Tiptap places the caret (at the end) on a later frame, and a caret moved by keys in the
  // first moments after focus can be put back there: let it settle, as a person's pause does.
  await page.waitForTimeout(500);
}

/** Scrolls an item's evidence into view, where its editor mounts, and waits for it. */
export async function showEvidence(page: Page, label: string): Promise<void> {
  await page.getByRole('textbox', { name: `Evidence for ${label}` }).scrollIntoViewIfNeeded();
  await editorOf(page, label).waitFor();
}

/** The field's text as written (other people's caret labels are not part of it). */
export const evidenceText = (page: Page, label: string) =>
  editorOf(page, label).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return copy.textContent ?? '';
  });

/** The evidence text highlighted as commented on, one string per highlight. */
export const highlighted = (page: Page, label: string) =>
  editorOf(page, label).locator('.comment-anchor').allInnerTexts();
