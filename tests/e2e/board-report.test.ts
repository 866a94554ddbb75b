/**
 * Issue 25, the board report in the browser, on the demo workspace as `npm start` seeds it (its
 * plan has goals in three areas, action steps past their due dates and a metric by subgroup; its
 * checklist has a barrier; its District Conditions assessment has section scores): the plan
 * page links to the report; a member sees the summary, the launch readiness and barriers, the
 * readiness chart with its table, the plan by area with overdue actions in words and the metric
 * with its chart and table; printed (print media), the site header, the breadcrumb and the
 * buttons are gone, and Chromium's PDF of it is a real document; axe at 1280 and 390 px. A
 * non-member, another workspace's id or a document that is not a plan gets the plan's 404.
 * This host is the test's own (DEMO_SEED=auto), as in demo.test.ts.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type RunningServer } from '../setup/server.js';
import { launchChromium, runAxe } from './browser.js';

const DEMO_PASSWORD = 'concord-demo-2026';
const DEMO_WORKSPACE = 'Revere Public Schools — PL readiness 2026-27';
const SESSION_COOKIE = 'concord_session';

let browser: Browser;
let host: RunningServer;

beforeAll(async () => {
  [host, browser] = await Promise.all([
    // PGlite's start, migrations and the seed's documents take a while on 2 cores.
    startWebServer({ env: { DEMO_SEED: 'auto' }, timeoutMs: 120_000 }),
    launchChromium(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const flat = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
/** A table row's cells, one space between them. */
const cells = async (row: Locator) =>
  (await row.locator('th, td').allTextContents()).map(flat).join(' ');

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${host.url}/sign-in`);
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${host.url}/`);
}

/** A new account on the demo host, a member of nothing: its session cookie. */
async function outsiderSession(): Promise<string> {
  const res = await fetch(`${host.url}/sign-up`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: host.url,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      name: 'Nico Outsider',
      email: `outsider.${Date.now()}@example.org`,
      password: 'maple-orbit-quiet-42',
      redirectTo: '/',
    }),
  });
  await res.arrayBuffer();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (res.status !== 303 || !cookie) throw new Error(`sign-up answered ${res.status}`);
  return cookie;
}

const getAs = (path: string, cookie: string) =>
  fetch(`${host.url}${path}`, { redirect: 'manual', headers: { accept: 'text/html', cookie } });

/** The facilitator opens a round on District Conditions and reveals it: the demo's raters have
 * rated every indicator blind, so the reveal gives every section a score (from the medians). */
async function revealDistrictConditions(): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await signIn(page, 'facilitator@demo.concord.test');
    await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
    await page.waitForURL(/\/w\/[0-9a-f-]+$/);
    await page.getByRole('link', { name: 'District Conditions', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: /District Conditions/ }).waitFor();
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Open a round' }).click();
    await page
      .getByRole('form', { name: 'Open a round' })
      .getByRole('button', { name: 'Open round' })
      .click();
    await page.getByRole('button', { name: 'Reveal all' }).click();
    await page.getByRole('button', { name: 'Reveal all' }).waitFor({ state: 'detached' });
  } finally {
    await context.close();
  }
}

describe('the board report', () => {
  it('shows the plan for a school board, prints without the app around it, and is for members only', async () => {
    await revealDistrictConditions();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      // A viewer (leadership) opens the report from the plan page's tools.
      await signIn(page, 'leadership@demo.concord.test');
      await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
      await page.waitForURL(/\/w\/[0-9a-f-]+$/);
      const workspacePath = new URL(page.url()).pathname;
      await page.locator('li[data-kind="plan"]').getByRole('link').first().click();
      await page.getByRole('link', { name: 'Board report' }).click();
      await page.waitForURL(/\/plan\/[0-9a-f-]+\/report$/);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      const reportPath = new URL(page.url()).pathname;
      // The reveal reaches the query tables within moments (the projector's debounce).
      await expect
        .poll(async () => {
          const n = await page.locator('figure.section-chart').count();
          if (n === 0) await page.reload();
          return n;
        })
        .toBe(1);
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });

      // The title, the workspace, its district and school year, and the summary line. Two
      // action steps were due in Oct and Nov 2026 and are not done: overdue from then on.
      await expect(page.locator('h1').textContent()).resolves.toBe('Strategic plan 2026-2031');
      const header = flat(await page.locator('.report-header').textContent());
      expect(header).toContain(DEMO_WORKSPACE);
      expect(header).toContain('School year 2026-27');
      expect(header).toMatch(/Printed \w+ \d+, \d{4}/);
      const summary = flat(await page.getByTestId('report-summary').textContent());
      expect(summary).toContain('3 goals: 1 on track, 1 at risk, 0 off track (1 not started).');
      expect(summary).toContain('2 actions overdue of 3');

      // The headings in the order a board reads them.
      const h2 = await page.locator('h2').allTextContents();
      expect(h2).toEqual([
        'Launch readiness and barriers',
        'Readiness by section',
        'The plan by area',
        'Outcome metrics',
      ]);

      // Launch readiness: the team rated Funding a barrier.
      const launch = page.locator('[data-part="launch"]');
      expect(flat(await launch.textContent())).toContain(
        'Not ready to launch: the team rated 1 category a barrier to launch.',
      );
      expect(flat(await launch.locator('.barriers').textContent())).toBe('Barriers: Funding.');
      const funding = launch.getByRole('row', { name: /Funding/ });
      expect(await cells(funding)).toBe('Funding Barrier to Launch Barrier');

      // Readiness by section: the chart, its sentence and its table, shown.
      const sections = page.locator('[data-part="sections"]');
      await sections.locator('figure.section-chart svg').first().waitFor();
      expect(flat(await sections.locator('figcaption').first().textContent())).toBe(
        'Readiness by section: District Conditions',
      );
      expect(flat(await sections.locator('.summary').first().textContent())).toMatch(
        /^Strongest: .+ \(\d\.\d of 4\); weakest: .+ \(\d\.\d of 4\)\.$/,
      );
      expect(await sections.locator('table tbody tr').count()).toBeGreaterThan(2);
      expect(await sections.locator('details').count()).toBe(0);

      // The plan by area: every area of the template in order; goals with owners by name.
      const areas = await page.locator('[data-part="plan"] h3').allTextContents();
      expect(areas.map(flat)).toEqual([
        '1. Curriculum',
        '2. Instruction',
        '3. Comprehensive Assessment System',
        '4. Learning Environments',
        '5. Student Supports',
        '6. Professional Development',
        '7. Leadership Development',
        '8. Technology Policy',
        '9. Comprehensive Data Systems',
        '10. Partnerships',
      ]);
      const coaching = page.locator('article[data-goal-id="goal-coaching"]');
      const goalText = flat(await coaching.locator('dl').textContent());
      expect(goalText).toContain('Director of Professional Learning');
      expect(goalText).toContain('Phase: Year 1: Planning and development');
      expect(goalText).toContain('Status: On track');
      expect(goalText).toContain('Due: Jun 30, 2027');
      const hire = coaching.locator('tr[data-step-id="step-hire-coaches"]');
      expect(await cells(hire)).toMatch(
        /^Hire two instructional coaches .+ Oct 31, 2026 ⚠ ?Overdue In progress$/,
      );
      const survey = page.locator('tr[data-step-id="step-connectivity-survey"]');
      expect(flat(await survey.textContent())).not.toContain('Overdue');
      expect(flat(await survey.textContent())).toContain('Done');

      // The metric: a chart, its sentence and the table by subgroup.
      const metric = page.locator('[data-part="metrics"] figure.metric');
      await metric.locator('svg').first().waitFor();
      expect(flat(await metric.locator('.sentence').textContent())).toBe(
        'All students: latest 20.2% (baseline 21.4%, target 17%): 27% of the way to the target.',
      );
      const rows = await Promise.all((await metric.locator('tbody tr').all()).map(cells));
      expect(rows).toEqual([
        'All students 21.4% 20.2% 17%',
        'Economic disadvantage 26.9% 25.6% 21%',
        'English language learners 24.8% 24.5% 19.5%',
        'Students with disabilities 29.1% 27.4% 23%',
      ]);

      const serious = (p: Page) =>
        runAxe(p).then((v) => v.filter((x) => x.impact === 'serious' || x.impact === 'critical'));
      await expect(serious(page)).resolves.toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(serious(page)).resolves.toEqual([]);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Print: the site header, breadcrumb and buttons are gone; the report stays.
      const printButton = page.getByRole('button', { name: 'Print or save as PDF' });
      await expect(printButton.isVisible()).resolves.toBe(true);
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('header.site-header').isVisible()).resolves.toBe(false);
      await expect(page.locator('nav.breadcrumb').isVisible()).resolves.toBe(false);
      await expect(page.locator('footer.site-footer').isVisible()).resolves.toBe(false);
      await expect(printButton.isVisible()).resolves.toBe(false);
      await expect(page.locator('main button:visible').count()).resolves.toBe(0);
      await expect(page.locator('h1').isVisible()).resolves.toBe(true);
      await expect(metric.isVisible()).resolves.toBe(true);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.byteLength).toBeGreaterThan(20_000);
      // The plan and the metrics each start a page: three pages at least.
      const pages = Number(/\/Type \/Pages\b[^>]*?\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1]);
      expect(pages).toBeGreaterThanOrEqual(3);
      await page.emulateMedia({ media: 'screen' });

      // The leadership view links to the same report.
      await page.goto(`${host.url}/leadership`);
      await expect(
        page.getByRole('link', { name: `Board report of ${DEMO_WORKSPACE}` }).getAttribute('href'),
      ).resolves.toBe(reportPath);

      // Not a member: the same 404 as a missing plan; so is another workspace's id in the
      // path, a document that is not a plan, and an id that is not one.
      const outsider = await outsiderSession();
      const member = (await context.cookies(host.url))
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      expect((await getAs(reportPath, outsider)).status).toBe(404);
      expect((await getAs(reportPath, member)).status).toBe(200);
      const planId = reportPath.split('/')[4]!;
      const otherWorkspace = `/w/00000000-0000-4000-8000-000000000000/plan/${planId}/report`;
      expect((await getAs(otherWorkspace, member)).status).toBe(404);
      await page.goto(`${host.url}${workspacePath}`);
      const checklistHref = await page
        .locator('li[data-kind="prerequisites"]')
        .getByRole('link')
        .first()
        .getAttribute('href');
      const checklistId = checklistHref!.split('/').at(-1)!;
      expect((await getAs(`${workspacePath}/plan/${checklistId}/report`, member)).status).toBe(404);
      expect((await getAs(`${workspacePath}/plan/not-a-plan/report`, member)).status).toBe(404);
    } finally {
      await context.close();
    }
  });
});
