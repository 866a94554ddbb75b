/**
 * Issue 23, end to end on a production build with the real sync server and PostgreSQL: comment
 * threads on an item of the Prerequisites checklist. Ana comments and mentions Ben (picked from
 * the @ suggestions, keyboard only); Ben sees it new in the header and under Mentions, opens it
 * (the new count clears) and replies; Ana sees the reply new on the item; a resolved thread folds
 * away and can be reopened; a viewer (leadership) comments too. Everything stays after a reload.
 * A thread on a range of evidence text is highlighted for both, stays on the same words while
 * the text is edited before them, and its highlight goes when resolved and comes back reopened.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { liveTeam, openChecklistAs, saveStatus } from './document-page.js';
import type { Person } from './workspace-support.js';
import {
  caretsIn,
  editorSelection,
  evidenceText,
  focusEvidence,
  highlighted,
  showEvidence,
} from './evidence-support.js';

let browser: Browser;
let ana: Person;
let ben: Person;
let vic: Person;
let workspaceId: string;
/** Uncaught errors in any page: the test fails on one. */
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  ({ workspaceId, ana, ben, vic } = await liveTeam('Talking it through'));
});

afterAll(async () => {
  await browser?.close();
});

async function open(person: Person) {
  const opened = await openChecklistAs(browser, person, workspaceId);
  opened.page.on('pageerror', (e) => pageErrors.push(`${person.name}: ${e.message}`));
  return opened;
}

const toggle = (page: Page, label: string) =>
  page.getByRole('button', { name: new RegExp(`^Comments on ${label} `) });
const status = saveStatus;

/** Waits for the page's next animation frame: a frame callback asked for now runs after those the
 * page asked for before (picking a mention moves the caret in one). */
const nextFrame = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

// Each test drives two or three browsers through a few dozen steps, each waited for: a budget
// with room for a busy 2-core machine, far above what a quiet one takes (~15 s).
describe('comments', { timeout: 240_000 }, () => {
  it('threads on an item: mention, reply, unread counts, resolve and reopen', async () => {
    const a = await open(ana);
    const b = await open(ben);
    try {
      // Ana, keyboard only: open the comments of item 2, write, mention Ben from the list.
      await toggle(a.page, '2').focus();
      await a.page.keyboard.press('Enter');
      const box = a.page.getByRole('textbox', { name: 'Comment on 2' });
      await box.focus();
      await a.page.keyboard.type('Is the board vote recorded? @be');
      const options = a.page.getByRole('listbox', { name: 'People to mention' });
      await expect.poll(() => options.getByRole('option').allInnerTexts()).toEqual(['Ben Rater']);
      await a.page.keyboard.press('Enter');
      // The pick writes "@Ben Rater " and puts the caret after it on the next frame: keys typed
      // before that frame would be put before the caret. Wait for the words and the frame.
      await expect.poll(() => box.inputValue()).toBe('Is the board vote recorded? @Ben Rater ');
      await nextFrame(a.page);
      await a.page.keyboard.type('can you check?');
      await a.page.keyboard.press('Control+Enter');
      const anaThread = a.page.getByRole('article', { name: 'Comment by Ana Rater' });
      await expect
        .poll(() => anaThread.textContent())
        .toContain('Is the board vote recorded? @Ben Rater can you check?');
      await expect.poll(() => box.inputValue()).toBe('');
      await expect.poll(() => status(a.page).textContent()).toContain('Saved');

      // Ben sees it new in the header and on the item, and under Mentions.
      await expect
        .poll(() => b.page.getByRole('button', { name: /^Comments: 1 new/ }).count())
        .toBe(1);
      await expect.poll(() => toggle(b.page, '2').textContent()).toContain('1 new');
      await expect
        .poll(() => b.page.getByRole('navigation', { name: 'Outline' }).textContent())
        .toContain('1 new comment');
      await b.page.getByRole('button', { name: /^Comments: 1 new/ }).click();
      const inbox = b.page.getByRole('region', { name: 'Comments inbox' });
      await inbox
        .getByRole('button', { name: /Ana Rater: Is the board vote recorded/ })
        .first()
        .click();
      // It opened the item's comments: the count of new clears, the message says New.
      const benThread = b.page.getByRole('article', { name: 'Comment by Ana Rater' });
      await expect.poll(() => benThread.textContent()).toContain('New');
      await expect.poll(() => toggle(b.page, '2').textContent()).not.toContain('new');
      await expect
        .poll(() => b.page.getByRole('button', { name: /^Comments: \d+ new/ }).count())
        .toBe(0);

      // A1 with the panel and two people here.
      const serious = (await runAxe(b.page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);

      // Ben replies; Ana (comments open) reads it at once; it is new to nobody else.
      await benThread
        .getByRole('textbox', { name: 'Reply to Ana Rater' })
        .fill('Yes: March minutes.');
      await benThread.getByRole('button', { name: 'Reply', exact: true }).click();
      await expect.poll(() => anaThread.textContent()).toContain('Yes: March minutes.');
      await expect.poll(() => anaThread.textContent()).toContain('Ben Rater');

      // Ana resolves: Ben's thread folds under "Show resolved (1)"; Ben reopens it.
      await anaThread.getByRole('button', { name: 'Resolve' }).click();
      await expect.poll(() => toggle(b.page, '2').textContent()).toContain('0 open, 1 resolved');
      await expect.poll(() => benThread.count()).toBe(0);
      await b.page.getByRole('button', { name: 'Show resolved (1)' }).click();
      await expect.poll(() => benThread.textContent()).toContain('Resolved by Ana Rater');
      await benThread.getByRole('button', { name: 'Reopen' }).click();
      await expect.poll(() => toggle(a.page, '2').textContent()).toContain('(1)');
      await expect.poll(() => status(b.page).textContent()).toContain('Saved');
    } finally {
      await a.context.close();
      await b.context.close();
    }

    // Leadership comments too; after a reload (a fresh browser) everything is there.
    const v = await open(vic);
    try {
      await toggle(v.page, '2').click();
      const thread = v.page.getByRole('article', { name: 'Comment by Ana Rater' });
      await expect.poll(() => thread.textContent()).toContain('Yes: March minutes.');
      await thread.getByRole('textbox', { name: 'Reply to Ana Rater' }).fill('Thanks, both.');
      await thread.getByRole('button', { name: 'Reply', exact: true }).click();
      // A viewer's header says "View only" once nothing of theirs waits (their reply is written
      // at the click, so until the server has it the header says it is saving).
      await expect.poll(() => status(v.page).textContent()).toContain('View only');
      await v.page.reload();
      await v.page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await toggle(v.page, '2').click();
      await expect
        .poll(() => v.page.getByRole('article', { name: 'Comment by Ana Rater' }).textContent())
        .toContain('Thanks, both.');
    } finally {
      await v.context.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('a thread on selected evidence text follows the words as the text is edited', async () => {
    const a = await open(ana);
    const b = await open(ben);
    try {
      await focusEvidence(a.page, '3');
      await showEvidence(b.page, '3');
      await a.page.keyboard.type('The board voted in March to fund the pilot.');
      await expect.poll(() => evidenceText(b.page, '3')).toContain('fund the pilot.');
      // Keyboard only: select "voted in March", Ctrl+Alt+M, write, mention, send.
      await a.page.keyboard.press('Home');
      for (let i = 0; i < 'The board '.length; i++) await a.page.keyboard.press('ArrowRight');
      for (let i = 0; i < 'voted in March'.length; i++)
        await a.page.keyboard.press('Shift+ArrowRight');
      // The shortcut acts on the editor's selection, which follows the keys a moment later.
      await expect
        .poll(() => editorSelection(a.page, '3'))
        .toMatchObject({ text: 'voted in March' });
      await a.page.keyboard.press('Control+Alt+m');
      const box = a.page.getByRole('textbox', { name: 'Comment on the selected text in 3' });
      await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
      await expect
        .poll(() => a.page.getByText('On the selected text: “voted in March”').count())
        .toBe(1);
      await a.page.keyboard.type('Which meeting? @Ben');
      await a.page.keyboard.press('Enter');
      await a.page.keyboard.press('Control+Enter');
      const anaThread = a.page
        .getByRole('article', { name: 'Comment by Ana Rater' })
        .filter({ hasText: 'Which meeting?' });
      await expect.poll(() => anaThread.textContent()).toContain('“voted in March”');
      await expect.poll(() => highlighted(a.page, '3')).toEqual(['voted in March']);

      // Ben sees the highlight and the new count; he types before the words: the range follows.
      await expect.poll(() => highlighted(b.page, '3')).toEqual(['voted in March']);
      await expect.poll(() => toggle(b.page, '3').textContent()).toContain('1 new');
      // Ana is in the comment box now, so her caret leaves Ben's editor: a redraw that would put
      // a caret Ben had just moved back where his editor last had it. Wait for it to be gone;
      // then Ben's caret goes to the start, and he types once his editor has it there.
      await expect.poll(() => caretsIn(b.page, '3')).toEqual([]);
      await focusEvidence(b.page, '3');
      await b.page.keyboard.press('Home');
      await expect.poll(() => editorSelection(b.page, '3')).toEqual({ text: '', offset: 0 });
      await b.page.keyboard.type('Minutes: ');
      await expect
        .poll(() => evidenceText(a.page, '3'))
        .toBe('Minutes: The board voted in March to fund the pilot.');
      await expect.poll(() => highlighted(a.page, '3')).toEqual(['voted in March']);
      await expect.poll(() => highlighted(b.page, '3')).toEqual(['voted in March']);
      await expect.poll(() => anaThread.textContent()).toContain('“voted in March”');

      // Ben opens the comments (the count clears) and replies; Ana resolves: no highlight.
      await toggle(b.page, '3').click();
      await expect.poll(() => toggle(b.page, '3').textContent()).not.toContain('new');
      const benThread = b.page
        .getByRole('article', { name: 'Comment by Ana Rater' })
        .filter({ hasText: 'Which meeting?' });
      await benThread.getByRole('textbox', { name: 'Reply to Ana Rater' }).fill('March 12.');
      await benThread.getByRole('button', { name: 'Reply', exact: true }).click();
      await expect.poll(() => anaThread.textContent()).toContain('March 12.');
      await anaThread.getByRole('button', { name: 'Resolve' }).click();
      await expect.poll(() => highlighted(b.page, '3')).toEqual([]);
      await b.page.getByRole('button', { name: 'Show resolved (1)' }).click();
      await benThread.getByRole('button', { name: 'Reopen' }).click();
      await expect.poll(() => highlighted(a.page, '3')).toEqual(['voted in March']);
      await expect.poll(() => status(a.page).textContent()).toContain('Saved');
      await expect.poll(() => status(b.page).textContent()).toContain('Saved');
    } finally {
      await a.context.close();
      await b.context.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
