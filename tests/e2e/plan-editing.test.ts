/**
 * Issue 25 in the browser, two people on one plan: goals and action steps put in order by the
 * keyboard, the move buttons and a drag (the browser's drag events), the order the same for both
 * and kept after a reload; outcome metrics started from the School Planning Tool's 13 measures, a baseline and a
 * target typed by one person and a measurement recorded by the other, progress by subgroup, a
 * mistyped number refused with the field named; a comment on a goal and one on a metric, new to
 * the other person in the header's inbox, which opens them. axe-core at 1280 and 390 px.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { signedInContext } from './document-page.js';
import {
  acceptByHttp,
  createWorkspaceByHttp,
  gotoReady,
  inviteByHttp,
  signUpByHttp,
} from './workspace-support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const flat = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

async function openPlan(page: Page, workspaceId: string) {
  await gotoReady(page, `/w/${workspaceId}`);
  await page.locator('li[data-kind="plan"]').getByRole('link').first().click();
  await page.getByRole('heading', { level: 1, name: /Strategic plan/ }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await page.getByRole('heading', { name: 'Vision' }).waitFor();
}

/** The goal titles of the Curriculum area, in the order the page shows them. */
const curriculum = (page: Page) =>
  page
    .locator('section[data-area-id="kw.curriculum"] article.goal')
    .evaluateAll((goals) =>
      goals.map(
        (g) => (g.querySelector('input[aria-label="Goal title"]') as HTMLInputElement).value,
      ),
    );

/** A Curriculum goal by its title (a text field's value is no attribute to select on). */
async function goalTitled(page: Page, title: string) {
  const at = (await curriculum(page)).indexOf(title);
  expect(at, `goal ${title}`).toBeGreaterThanOrEqual(0);
  return page.locator('section[data-area-id="kw.curriculum"] article.goal').nth(at);
}

async function twoPeople(name: string) {
  const [owner, ana] = await Promise.all([signUpByHttp('Olive Owner'), signUpByHttp('Ana Rater')]);
  const workspaceId = await createWorkspaceByHttp(owner, name);
  await acceptByHttp(ana, await inviteByHttp(owner, workspaceId, ana.email, 'rater'));
  const ownerContext = await signedInContext(browser, owner);
  const anaContext = await signedInContext(browser, ana);
  const O = await ownerContext.newPage();
  const A = await anaContext.newPage();
  await openPlan(O, workspaceId);
  await openPlan(A, workspaceId);
  return { O, A, close: () => Promise.all([ownerContext.close(), anaContext.close()]) };
}

async function expectNoSeriousAxe(page: Page) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const serious = (await runAxe(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(serious, `axe at ${width}px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the plan page: order and outcome metrics', () => {
  it('puts goals and steps in order by keyboard, buttons and drag, the same for both', async () => {
    const { O, A, close } = await twoPeople('Plan in order');
    try {
      const add = O.getByRole('textbox', { name: 'New goal in Curriculum' });
      for (const title of ['Pathways', 'Competencies', 'Advisory']) {
        await add.fill(title);
        await add.press('Enter');
      }
      await expect.poll(() => curriculum(A)).toEqual(['Pathways', 'Competencies', 'Advisory']);

      // The keyboard: Advisory's handle, up twice; focus stays on the handle, the move is said.
      const handle = O.getByRole('button', { name: /^Move goal “Advisory”/ });
      await handle.focus();
      await handle.press('ArrowUp');
      await expect.poll(() => curriculum(O)).toEqual(['Pathways', 'Advisory', 'Competencies']);
      await O.keyboard.press('ArrowUp');
      await expect.poll(() => curriculum(O)).toEqual(['Advisory', 'Pathways', 'Competencies']);
      await expect
        .poll(() => O.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ')))
        .toContain('Move goal “Advisory”, 1 of 3');
      await expect
        .poll(async () =>
          flat(await O.getByRole('status').filter({ hasText: 'Moved' }).textContent()),
        )
        .toBe('Moved “Advisory” to 1 of 3 in Curriculum');
      await expect.poll(() => curriculum(A)).toEqual(['Advisory', 'Pathways', 'Competencies']);

      // Ana drags Advisory below Competencies. The drag is the browser's own events (dragstart
      // on the handle, dragenter and dragover on the card's lower edge, drop), dispatched in the
      // page: Playwright's emulated mouse drag delivers them late or not at all on a busy machine.
      const advisory = await goalTitled(A, 'Advisory');
      const competencies = await goalTitled(A, 'Competencies');
      const handleId = await advisory
        .getByRole('button', { name: /^Move goal “Advisory”/ })
        .getAttribute('id');
      const targetId = await competencies.getAttribute('data-goal-id');
      await A.evaluate(
        ([handleId, targetId]) => {
          const handle = document.getElementById(handleId!)!;
          const target = document.querySelector(`[data-goal-id="${targetId}"]`)!;
          handle.scrollIntoView({ block: 'center' });
          const h = handle.getBoundingClientRect();
          const dataTransfer = new DataTransfer();
          const fire = (el: Element, type: string, x: number, y: number) =>
            el.dispatchEvent(
              new DragEvent(type, {
                bubbles: true,
                cancelable: true,
                dataTransfer,
                clientX: x,
                clientY: y,
              }),
            );
          fire(handle, 'dragstart', h.x + h.width / 2, h.y + h.height / 2);
          target.scrollIntoView({ block: 'end' });
          const t = target.getBoundingClientRect();
          const [x, y] = [t.x + 40, t.y + t.height - 8];
          fire(target, 'dragenter', x, y);
          fire(target, 'dragover', x, y);
          fire(target, 'drop', x, y);
          fire(handle, 'dragend', x, y);
        },
        [handleId, targetId],
      );
      await expect.poll(() => curriculum(O)).toEqual(['Pathways', 'Competencies', 'Advisory']);
      expect(await curriculum(A)).toEqual(['Pathways', 'Competencies', 'Advisory']);

      // Action steps: the move buttons (for touch and clicks).
      const pathways = await goalTitled(O, 'Pathways');
      const newStep = pathways.getByRole('textbox', { name: /New action step/ });
      for (const title of ['Survey students', 'Map courses']) {
        await newStep.fill(title);
        await newStep.press('Enter');
      }
      const stepTitles = async (page: Page) =>
        (await goalTitled(page, 'Pathways'))
          .locator('li.step input[aria-label="Action"]')
          .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
      await expect.poll(() => stepTitles(A)).toEqual(['Survey students', 'Map courses']);
      await pathways.getByRole('button', { name: /^Move action “Map courses”/ }).click();
      await pathways
        .getByRole('group', { name: 'Move action “Map courses”' })
        .getByRole('button', { name: 'Move up' })
        .click();
      await expect.poll(() => stepTitles(A)).toEqual(['Map courses', 'Survey students']);

      // Kept by the server: a reload shows the same order.
      await A.reload();
      await A.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await expect.poll(() => curriculum(A)).toEqual(await curriculum(O));
      await expect.poll(() => stepTitles(A)).toEqual(['Map courses', 'Survey students']);

      // With a move menu open, the page passes axe at both widths.
      await O.getByRole('button', { name: /^Move goal “Competencies”/ }).click();
      await expectNoSeriousAxe(O);
    } finally {
      await close();
    }
  });

  it('starts metrics from the School Planning Tool, typed and measured by two', async () => {
    const { O, A, close } = await twoPeople('Plan measured');
    try {
      const metricsO = O.getByTestId('outcome-metrics');
      const metricsA = A.getByTestId('outcome-metrics');
      await metricsO
        .getByRole('button', { name: 'Add all 13 School Planning Tool measures' })
        .click();
      await expect.poll(() => metricsA.locator('article.metric').count()).toBe(13);
      // In the School Planning Tool's order.
      const absentO = metricsO.locator('article.metric').first();
      const absentA = metricsA.locator('article.metric').first();
      expect(flat(await absentA.getByRole('heading').textContent())).toBe(
        'The percent of students absent 10 or more days decreases by 20%',
      );
      expect(flat(await absentA.textContent())).toContain('Source: MA DESE School profile');

      // Ana types the baseline and target for all students; the owner sees them.
      await absentA.getByRole('textbox', { name: 'Baseline, All students' }).fill('20');
      await absentA.getByRole('textbox', { name: 'Baseline, All students' }).press('Tab');
      await absentA.getByRole('textbox', { name: 'Target, All students' }).fill('16');
      await absentA.getByRole('textbox', { name: 'Target, All students' }).press('Tab');
      await expect
        .poll(() => absentO.getByRole('textbox', { name: 'Target, All students' }).inputValue())
        .toBe('16');

      // A mistyped number is refused, naming the field; nothing changes.
      const baselineO = absentO.getByRole('textbox', { name: 'Baseline, All students' });
      await baselineO.fill('twenty');
      await baselineO.press('Tab');
      await expect
        .poll(async () => flat(await absentO.getByRole('alert').textContent()))
        .toBe('baseline: “twenty” is not a number');
      expect(
        await absentA.getByRole('textbox', { name: 'Baseline, All students' }).inputValue(),
      ).toBe('20');

      // The owner records a measurement; progress shows on Ana's page, in words.
      await absentO.getByText('Measurements (0)').click();
      const record = absentO.getByRole('form', { name: /Record a measurement/ });
      await record.getByLabel('Date').fill('2027-01-31');
      await record.getByLabel('Value').fill('18');
      await record.getByRole('button', { name: 'Record' }).click();
      const allRowA = absentA.locator('tr[data-subgroup="all"]');
      await expect
        .poll(async () => flat(await allRowA.textContent()))
        .toContain('50% of the way to the target');
      expect(flat(await allRowA.textContent())).toContain('18 (Jan 31, 2027)');

      // A subgroup: Latino students, shown once asked for, then kept because it has figures.
      await absentA.getByRole('button', { name: /Show every subgroup/ }).click();
      await absentA.getByRole('textbox', { name: 'Baseline, Ethnicity: Latino' }).fill('26');
      await absentA.getByRole('textbox', { name: 'Baseline, Ethnicity: Latino' }).press('Tab');
      await absentA.getByRole('button', { name: 'Show only subgroups with figures' }).click();
      await expect
        .poll(() => absentO.locator('tr[data-subgroup="ethnicity:latino"]').count())
        .toBe(1);
      expect(await absentA.locator('tbody tr').count()).toBe(2);

      // A metric of the team's own, then removed by the other person.
      await metricsO
        .getByRole('textbox', { name: 'Or a metric of your own' })
        .fill('Chronic absenteeism');
      await metricsO.getByRole('button', { name: 'Add metric' }).click();
      await expect.poll(() => metricsA.locator('article.metric').count()).toBe(14);
      const own = metricsA.locator('article.metric').filter({ hasText: 'Chronic absenteeism' });
      await own.getByRole('button', { name: 'Remove metric Chronic absenteeism' }).click();
      await own.getByRole('button', { name: 'Remove metric', exact: true }).click();
      await expect.poll(() => metricsO.locator('article.metric').count()).toBe(13);

      await expectNoSeriousAxe(A);
    } finally {
      await close();
    }
  });

  it('talks about a goal and a metric in comments, new to the other person', async () => {
    const { O, A, close } = await twoPeople('Plan discussed');
    try {
      const add = O.getByRole('textbox', { name: 'New goal in Curriculum' });
      await add.fill('Pathways');
      await add.press('Enter');
      await O.getByTestId('outcome-metrics')
        .getByRole('textbox', { name: 'Or a metric of your own' })
        .fill('Chronic absenteeism');
      await O.getByRole('button', { name: 'Add metric' }).click();

      // The owner comments on the goal, with the keyboard.
      await O.getByRole('button', { name: /^Comments on goal “Pathways” / }).click();
      const box = O.getByRole('textbox', { name: 'Comment on goal “Pathways”' });
      await box.fill('Who leads this with the counselors?');
      await box.press('Control+Enter');
      await expect
        .poll(async () =>
          flat(await O.getByRole('article', { name: 'Comment by Olive Owner' }).textContent()),
        )
        .toContain('Who leads this with the counselors?');

      // Ana sees one new comment in the header; the inbox takes her to the goal's comments.
      const inboxButton = A.getByRole('button', { name: /^Comments: 1 new/ });
      await expect.poll(() => inboxButton.count()).toBe(1);
      await expect
        .poll(async () =>
          flat(
            await A.getByRole('button', { name: /^Comments on goal “Pathways” / }).textContent(),
          ),
        )
        .toContain('1 new');
      await inboxButton.click();
      await A.getByRole('region', { name: 'Comments inbox' })
        .getByRole('button', { name: /Olive Owner: Who leads this/ })
        .first()
        .click();
      const reply = A.getByRole('article', { name: 'Comment by Olive Owner' });
      await expect.poll(() => reply.count()).toBe(1);
      await expect.poll(() => inboxButton.count()).toBe(0);

      // Ana comments on the metric; the owner sees it on the metric's card.
      const metricA = A.locator('article.metric').filter({ hasText: 'Chronic absenteeism' });
      await metricA
        .getByRole('button', { name: /^Comments on metric “Chronic absenteeism” / })
        .click();
      const metricBox = metricA.getByRole('textbox', {
        name: 'Comment on metric “Chronic absenteeism”',
      });
      await metricBox.fill('Baseline from the October count.');
      await metricBox.press('Control+Enter');
      const metricO = O.locator('article.metric').filter({ hasText: 'Chronic absenteeism' });
      await expect
        .poll(async () =>
          flat(
            await metricO
              .getByRole('button', { name: /^Comments on metric “Chronic absenteeism” / })
              .textContent(),
          ),
        )
        .toContain('1 new');
      await expectNoSeriousAxe(A);
    } finally {
      await close();
    }
  });
});
