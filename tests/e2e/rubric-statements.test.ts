/**
 * Raters rate from the statement: every indicator of District Conditions and the School Planning
 * Tool shows its full statement on the document page, exactly as the template (transcribed from
 * the seeds, which rubric-core's template tests compare) has it. Before, every statement longer
 * than 80 characters was cut to about 77 and ended in "…", and the full text appeared nowhere.
 * Down these long pages the header (where I am, saved state, who is here) stays in view. The
 * School Planning Tool's two parts, which both number 1.1, 1.2, …, have their headings, and
 * every item a name of its own ("Condition 1.6", "Principle 1.6").
 */
import { maPlnDistrictConditions, maPlnSchoolPlanning } from '@concord/rubric-core/templates';
import { outline, type LeveledTemplate } from '@concord/rubric-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { saveStatus, signedInContext } from './document-page.js';
import { createWorkspaceByHttp, gotoReady, signUpByHttp } from './workspace-support.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Whitespace as the page lays it out (line breaks and runs of spaces read as one space). */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('rubric statements', () => {
  it('shows every indicator statement in full, as the seed has it', async () => {
    const owner = await signUpByHttp('Sam Statements');
    const workspaceId = await createWorkspaceByHttp(owner, 'Statements in full');
    const context = await signedInContext(browser, owner);
    const page = await context.newPage();
    try {
      const cases: [string, LeveledTemplate][] = [
        ['District Conditions', maPlnDistrictConditions],
        ['School Planning Tool: Garfield Elementary', maPlnSchoolPlanning],
      ];
      for (const [title, template] of cases) {
        await gotoReady(page, `/w/${workspaceId}`);
        await page.getByRole('link', { name: title, exact: true }).click();
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        const cards = page.locator('article.item-card');
        const entries = outline(template).entries;
        await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(entries.length);
        const shown = (await cards.evaluateAll((els) => els.map((el) => el.textContent ?? ''))).map(
          flat,
        );
        const missing = entries
          .map((e, i) => ({
            id: e.indicator.id,
            text: flat(e.indicator.text),
            card: shown[i] ?? '',
          }))
          .filter(({ text, card }) => !card.includes(text));
        expect(
          missing.map((m) => m.id),
          title,
        ).toEqual([]);
        // Nothing is cut: no item's heading ends its statement in an ellipsis.
        const headings = await cards
          .locator('.item-title')
          .evaluateAll((els) => els.map((el) => el.textContent ?? ''));
        expect(
          headings.filter((t) => t.includes('…')),
          title,
        ).toEqual([]);
        if (template === maPlnSchoolPlanning) {
          // Conditions and principles both number 1.1, 1.2, …: the parts have their headings
          // and every item a name of its own, in the seed's words.
          for (const part of [
            'School Conditions for Personalized Learning',
            'Principles of Personalized Learning',
          ]) {
            await expect
              .poll(() => page.getByRole('heading', { level: 2, name: part, exact: true }).count())
              .toBe(1);
          }
          // (The owner does not rate: the names to check are the items' evidence fields.)
          const fields = await page
            .getByRole('textbox', { name: /^Evidence for / })
            .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
          expect(fields).toHaveLength(entries.length);
          expect(new Set(fields).size, 'every item named once').toBe(fields.length);
          expect(fields).toContain('Evidence for Condition 1.6');
          expect(fields).toContain('Evidence for Principle 1.6');
          await expect
            .poll(() =>
              page
                .getByRole('heading', { name: 'Condition 1: School Leadership & Vision' })
                .count(),
            )
            .toBe(1);
          const outlineLinks = await page
            .getByRole('navigation', { name: 'Outline' })
            .getByRole('link')
            .allTextContents();
          expect(
            outlineLinks.some((t) => t.startsWith('Principle 1: Dispositions for Learning')),
          ).toBe(true);
        }
        // The header (where I am, saved state, who is here) stays in view down the page, on a
        // laptop and on a phone.
        for (const width of [1280, 390]) {
          await page.setViewportSize({ width, height: 800 });
          await cards.last().scrollIntoViewIfNeeded();
          await expect
            .poll(async () => {
              const box = await saveStatus(page).boundingBox();
              return box !== null && box.y >= 0 && box.y + box.height <= 200;
            })
            .toBe(true);
          await expect
            .poll(() => page.getByRole('heading', { level: 1, name: title }).isVisible())
            .toBe(true);
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    } finally {
      await context.close();
    }
  }, 240_000);
});
