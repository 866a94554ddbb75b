/**
 * Helpers for browser tests that type in an item's evidence (a lazily mounted Tiptap editor
 * named "Evidence for <label>").
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const editorOf = (page: Page, label: string) =>
  page.locator(`.ProseMirror[aria-label="Evidence for ${label}"]`);

/**
 * Focuses the evidence editor of an item and waits until keys go into it. The editor is mounted
 * first (scrolled into view, where it mounts) and then clicked: focusing the preview while the
 * editor's module is still loading (the mount on scrolling under way) loses the focus, and on a
 * busy machine the module takes long enough for that to happen.
 */
export async function focusEvidence(page: Page, label: string): Promise<void> {
  await showEvidence(page, label);
  await editorOf(page, label).click();
  await expect
    .poll(() =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? 'nothing'),
    )
    .toBe(`Evidence for ${label}`);
  // For 200 ms after a focus ProseMirror takes a caret at the very start of the text for the
  // browser resetting the selection, and puts its own back (DOMObserver.flush, lastFocus): Home
  // pressed in that window is undone. Wait until the page's clock is past it (a timer in the page
  // never fires early), which holds however slow the machine is.
  await page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 250)));
}

/** Scrolls an item's evidence into view, where its editor mounts, and waits for it. */
export async function showEvidence(page: Page, label: string): Promise<void> {
  // The preview (a textbox of the same name) is replaced by the editor when the editor mounts,
  // which scrolling near it starts: if the element found goes before it is scrolled to, the
  // field is found again (the editor, then).
  await expect
    .poll(
      async () => {
        try {
          await page
            .getByRole('textbox', { name: `Evidence for ${label}` })
            .scrollIntoViewIfNeeded({ timeout: 5_000 });
          return true;
        } catch {
          return false;
        }
      },
      { timeout: 60_000 },
    )
    .toBe(true);
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

/**
 * The editor's own selection (ProseMirror's state, not the page's): the selected text and the
 * caret's offset in its paragraph. Keys that move the caret reach that state a moment after the
 * page (on selectionchange); a shortcut that acts on the selection, or typing after a caret
 * move, waits for it.
 */
export const editorSelection = (page: Page, label: string) =>
  editorOf(page, label).evaluate((el) => {
    type Selection = { from: number; to: number; $from: { parentOffset: number } };
    type State = { selection: Selection; doc: { textBetween(from: number, to: number): string } };
    const state = (el as HTMLElement & { editor?: { state: State } }).editor?.state;
    if (!state) return null;
    const { from, to, $from } = state.selection;
    return { text: state.doc.textBetween(from, to), offset: $from.parentOffset };
  });

/** The other people's carets shown in an item's evidence, by name. */
export const caretsIn = (page: Page, label: string) =>
  editorOf(page, label).locator('.collaboration-carets__label').allInnerTexts();
