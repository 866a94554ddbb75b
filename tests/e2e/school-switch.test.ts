/**
 * Switching school on the School Planning Tool: the page opens the other school's documents and
 * its item cards bind to them. Before, the switch kept the same cards (same template, same item
 * ids), bound to the document just closed. A rater rates Condition 1.1 for one school, switches,
 * rates it differently for the other, switches back, and after a reload finds each rating where
 * it belongs.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { saveStatus, signedInContext } from './document-page.js';
import {
  acceptByHttp,
  gotoReady,
  inviteByHttp,
  post,
  signUpByHttp,
  wizardFields,
  type Person,
} from './workspace-support.js';

let browser: Browser;
let ana: Person;
let workspaceId: string;

const GARFIELD = 'School Planning Tool: Garfield Elementary';
const REVERE = 'School Planning Tool: Revere High School';

beforeAll(async () => {
  browser = await launchChromium();
  const owner = await signUpByHttp('Olive Switch');
  ana = await signUpByHttp('Ana Switch');
  // Both schools get a School Planning Tool.
  const res = await post(
    '/workspaces/new?/create',
    {
      ...wizardFields('Two schools'),
      planningSchools: ['Garfield Elementary', 'Revere High School'],
    },
    owner.session,
  );
  await res.arrayBuffer();
  workspaceId = /^\/w\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
  if (!workspaceId) throw new Error(`creating the workspace answered ${res.status}`);
  await acceptByHttp(ana, await inviteByHttp(owner, workspaceId, ana.email, 'rater'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const group = (page: Page) => page.getByRole('radiogroup', { name: 'Rating for Condition 1.1' });
const chosenLevel = (page: Page) =>
  group(page)
    .getByRole('radio')
    .evaluateAll((els) =>
      els
        .filter((el) => (el as HTMLInputElement).checked)
        .map((el) => (el as HTMLInputElement).value),
    );

async function switchTo(page: Page, school: string, title: string): Promise<void> {
  await page.getByRole('combobox', { name: 'School' }).selectOption({ label: school });
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

async function ratedAndSaved(page: Page, value: string): Promise<void> {
  await expect.poll(() => chosenLevel(page), { timeout: 30_000 }).toEqual([value]);
  await expect.poll(() => saveStatus(page).textContent(), { timeout: 30_000 }).toContain('Saved');
}

describe('switching school', () => {
  it('keeps each school’s rating with its school', async () => {
    const context = await signedInContext(browser, ana);
    const page = await context.newPage();
    try {
      await gotoReady(page, `/w/${workspaceId}`);
      await page.getByRole('link', { name: GARFIELD, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: GARFIELD }).waitFor();
      await group(page).getByRole('radio', { name: 'Initial Steps toward Sustainability' }).check();
      await ratedAndSaved(page, '2');

      await switchTo(page, 'Revere High School', REVERE);
      // The other school's document: nothing rated there yet.
      await expect.poll(() => chosenLevel(page), { timeout: 30_000 }).toEqual([]);
      await group(page).getByRole('radio', { name: 'Sustainable', exact: true }).check();
      await ratedAndSaved(page, '4');

      await switchTo(page, 'Garfield Elementary', GARFIELD);
      await ratedAndSaved(page, '2');

      // From the server, not this page's memory: a reload of each.
      await page.reload();
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await ratedAndSaved(page, '2');
      await switchTo(page, 'Revere High School', REVERE);
      await page.reload();
      await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await ratedAndSaved(page, '4');
    } finally {
      await context.close();
    }
  }, 240_000);
});
