/**
 * Issue 39 (exports) in the browser: a facilitator and a rater on a fresh workspace run a round
 * on the District Conditions assessment (open, rate, reveal, record the team's rating with a
 * rationale); then the consensus report as CSV, fetched with the facilitator's cookies and read
 * back with csv-parse, holds the rater's original, the consensus and the rationale; a
 * non-member gets the 404 a missing instrument gets. The print page shows the same and passes axe.
 */
import { outline } from '@concord/rubric-core';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { signedInContext } from './document-page.js';
import {
  acceptByHttp,
  baseUrl,
  createWorkspaceByHttp,
  get,
  gotoReady,
  inviteByHttp,
  signUpByHttp,
  type Person,
} from './workspace-support.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const entries = outline(rubric).entries;
const A = entries[0]!.indicator.id;
const levels = entries[0]!.scale.levels;
const labelOf = (id: string) => id.replace(/^dc\./, '');
const card = (page: Page, id: string) => page.locator(`article.item-card[data-item-id="${id}"]`);
const radio = (page: Page, id: string, value: number) =>
  card(page, id)
    .getByRole('radiogroup')
    .getByRole('radio')
    .nth(levels.findIndex((l) => l.value === value));

async function openAssessment(person: Person, workspaceId: string) {
  const context = await signedInContext(browser, person);
  const page = await context.newPage();
  await gotoReady(page, `/w/${workspaceId}`);
  await page.getByRole('link', { name: 'District Conditions', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: /District Conditions/ }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  return { context, page };
}

describe('the consensus report', () => {
  it('exports the round and the consensus as CSV to members only, and prints', async () => {
    const [owner, fac, rater, outsider] = await Promise.all(
      ['Olive Owner', 'Fay Facilitator', 'Zoë Ñúñez-Ørsted', 'Nico Outsider'].map((n) =>
        signUpByHttp(n),
      ),
    );
    const workspaceId = await createWorkspaceByHttp(owner!, 'Report, "exports" test');
    for (const [person, role] of [
      [fac, 'facilitator'],
      [rater, 'rater'],
    ] as const) {
      await acceptByHttp(person!, await inviteByHttp(owner!, workspaceId, person!.email, role));
    }
    const F = await openAssessment(fac!, workspaceId);
    const R = await openAssessment(rater!, workspaceId);
    try {
      const documentPath = new URL(F.page.url()).pathname;
      await F.page.getByRole('button', { name: 'Open a round' }).click();
      await F.page
        .getByRole('form', { name: 'Open a round' })
        .getByRole('button', { name: 'Open round' })
        .click();
      await R.page.getByText('Round 1 is open.').waitFor();
      const original = levels[0]!;
      const agreed = levels[1]!;
      await radio(R.page, A, original.value).check();
      await expect
        .poll(async () =>
          (await F.page.getByRole('region', { name: 'Progress by rater' }).textContent())?.includes(
            '1 of',
          ),
        )
        .toBe(true);
      await F.page.getByRole('button', { name: 'Reveal all' }).click();
      const teamChoice = F.page.getByRole('radiogroup', { name: `Team rating for ${labelOf(A)}` });
      await teamChoice.getByRole('radio').nth(1).check();
      const rationale = F.page.getByRole('textbox', { name: `Rationale for ${labelOf(A)}` });
      await rationale.click();
      await F.page.keyboard.type('Funded, "for now": one year only.');
      await F.page.keyboard.press('Enter');
      await F.page.keyboard.type('Second paragraph, café.');

      // The CSV with the facilitator's cookies, once the store has the rationale.
      const csvPath = `${documentPath}/report.csv`;
      let rows: string[][] = [];
      let disposition = '';
      await expect
        .poll(
          async () => {
            const res = await F.context.request.get(`${baseUrl}${csvPath}`);
            if (res.status() !== 200) return `status ${res.status()}`;
            disposition = res.headers()['content-disposition'] ?? '';
            const body = await res.body();
            expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
            rows = parse(body.toString('utf8'), { bom: true });
            return rows.find((r) => r[1] === labelOf(A))?.join('|') ?? 'no row';
          },
          { timeout: 30_000 },
        )
        .toContain('Second paragraph, café.');
      expect(disposition).toContain('consensus.csv');
      expect(disposition).toContain('filename*=UTF-8');
      const [header, ...body] = rows;
      const col = (name: string) => header!.indexOf(name);
      expect(col(rater!.name)).toBeGreaterThan(0);
      const row = body.find((r) => r[col('Item')] === labelOf(A))!;
      expect(row[col('Statement')]).toBe(entries[0]!.indicator.text);
      expect(row[col('Round')]).toBe('1');
      expect(row[col(rater!.name)]).toBe(String(original.value));
      expect(row[col('Consensus level')]).toBe(String(agreed.value));
      expect(row[col('Consensus')]).toBe(agreed.label);
      expect(row[col('Status')]).toBe('Agreed');
      expect(row[col('Recorded by')]).toBe('Fay Facilitator');
      expect(row[col('Rationale')]).toBe(
        'Funded, "for now": one year only.\nSecond paragraph, café.',
      );
      // Every item of the template has a row (one round revealed everything).
      expect(body).toHaveLength(entries.length);

      // Not a member, or no such instrument: the same 404.
      const stranger = await get(csvPath, outsider!.session);
      expect(stranger.status).toBe(404);
      const missing = await F.context.request.get(
        `${baseUrl}/w/${workspaceId}/documents/00000000-0000-4000-8000-000000000000/report.csv`,
      );
      expect(missing.status()).toBe(404);
      expect((await get(`${documentPath}/report`, outsider!.session)).status).toBe(404);

      // The print page: from the workspace page's link; the decision and the rationale; axe.
      await gotoReady(F.page, `/w/${workspaceId}`);
      expect(
        await F.page.getByRole('link', { name: 'CSV of District Conditions', exact: true }).count(),
      ).toBe(1);
      await F.page
        .getByRole('link', { name: 'Report on District Conditions', exact: true })
        .click();
      await F.page.getByRole('heading', { level: 1, name: /consensus report/ }).waitFor();
      const item = F.page.getByRole('article', { name: new RegExp(`^${labelOf(A)}\\b`) });
      const text = (await item.textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(`${agreed.value} ${agreed.label}`);
      expect(text).toContain('Fay Facilitator');
      expect(text).toContain(`${rater!.name}: ${original.value} ${original.label}`);
      expect(text).toContain('Second paragraph, café.');
      await F.page.getByRole('table', { name: /^Revealed ratings by item and rater/ }).waitFor();
      expect(await runAxe(F.page)).toEqual([]);
    } finally {
      await F.context.close();
      await R.context.close();
    }
  });
});
