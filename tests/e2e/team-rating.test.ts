/**
 * Issue 37 ("promise only what exists"): the demo seed records the team's ratings of the
 * Prerequisites checklist, and the document page shows them, read only, on their items: the level
 * as the template has it, who recorded it and when, and the rationale. The checklist was rated in
 * a round and revealed first (the seed's round 1), so a decision shows how far each rater moved to
 * it, and the rationale is the item's own field, written together. A decision replaced by a
 * facilitator elsewhere (here a stock y-websocket client with the facilitator's ticket) shows at
 * once, as does a withdrawn one. The host is the test's own, with the demo seed (as demo.test.ts).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startWebServer, type RunningServer } from '../setup/server.js';
import { launchChromium, runAxe } from './browser.js';

const DEMO_PASSWORD = 'concord-demo-2026';
const DEMO_WORKSPACE = 'Revere Public Schools — PL readiness 2026-27';
/** The seed's wording (packages/db/src/seed/demo-data.ts, PREREQUISITES.rationale). */
const FUNDING_RATIONALE =
  'Year 1 coaching is funded, but nothing is budgeted beyond June 2027: a Barrier until the FY28 budget has a line for it.';

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

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${host.url}/sign-in`);
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${host.url}/`);
}

/** Signs in and opens the demo's Prerequisites checklist; returns its workspace and document. */
async function openPrerequisites(
  email: string,
): Promise<{ context: BrowserContext; page: Page; workspaceId: string; documentId: string }> {
  // A fixed time zone: the seed's decisions were recorded at 20:00 UTC on September 16.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'America/New_York',
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  await signIn(page, email);
  await page.getByRole('link', { name: DEMO_WORKSPACE }).first().click();
  await page.waitForURL(/\/w\/[0-9a-f-]+$/);
  await page
    .getByRole('link', { name: /^Prerequisites/ })
    .first()
    .click();
  await page.waitForURL(/\/documents\/[0-9a-f-]+$/);
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  const [, workspaceId = '', documentId = ''] =
    /\/w\/([0-9a-f-]+)\/documents\/([0-9a-f-]+)$/.exec(page.url()) ?? [];
  return { context, page, workspaceId, documentId };
}

const card = (page: Page, id: string) => page.locator(`article.item-card[data-item-id="${id}"]`);
const teamRating = (page: Page, id: string) =>
  card(page, id).getByRole('group', { name: /^Team rating:/ });
/** A revealed item's rationale field (its label, and the text as written together). */
const rationaleField = (page: Page, id: string) =>
  card(page, id).locator('.field', { hasText: 'why the team agreed, written together' });
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe("the items' recorded team ratings", () => {
  it('shows each seeded team rating read only: level, recorder, date and rationale', async () => {
    const { context, page } = await openPrerequisites('leadership@demo.concord.test');
    try {
      const funding = teamRating(page, 'pre.funding');
      await funding.waitFor({ timeout: 30_000 });
      // The group's name is the rating, in the template's words.
      await expect(funding.getAttribute('aria-labelledby')).resolves.toBeTruthy();
      expect(
        await page.getByRole('group', { name: 'Team rating: 1 Barrier to Launch' }).count(),
      ).toBe(1);
      const text = flat(await funding.innerText());
      expect(text).toContain('Team rating: 1 Barrier to Launch');
      expect(text).toContain('Recorded by Priya Raman');
      expect(text).toContain('On September 16, 2026');
      // Revealed: each rater's blind rating against the decision (funding: 1, 1, 2, 1).
      expect(text).toContain(
        'From each rating Aisha Mensah: down 1 level Grace Chen: same level Luis Ortega: same level Tom Brennan: same level',
      );
      await expect
        .poll(async () => flat(await rationaleField(page, 'pre.funding').innerText()), {
          timeout: 15_000,
        })
        .toContain(FUNDING_RATIONALE);
      await expect(funding.locator('time').getAttribute('datetime')).resolves.toBe(
        '2026-09-16T20:00:00Z',
      );
      // Launch readiness follows the team ratings: funding is a barrier, so not ready.
      const launch = page.getByRole('region', { name: /ready to launch/i });
      await expect(launch.getByRole('heading').textContent()).resolves.toContain(
        'Not ready to launch',
      );
      expect(flat((await launch.textContent()) ?? '')).toContain('Funding: Barrier to Launch');
      // Every seeded team rating, and no other: no rationale where none was written.
      const seeded: Record<string, string> = {
        'pre.innovation': '2 Sufficient for Launch',
        'pre.research': '2 Sufficient for Launch',
        'pre.leadership': '3 Asset to Implementation',
        'pre.funding': '1 Barrier to Launch',
        'pre.technology': '2 Sufficient for Launch',
      };
      const shown = await page.locator('article.item-card').evaluateAll((els) =>
        els.map((el) => ({
          id: el.getAttribute('data-item-id') ?? '',
          head:
            el.querySelector('[data-testid="team-rating"] .team-rating-head')?.textContent ?? null,
        })),
      );
      expect(shown.length).toBe(8);
      for (const { id, head } of shown) {
        const level = seeded[id];
        expect(head === null ? null : flat(head), id).toBe(level ? `Team rating: ${level}` : null);
      }
      expect(flat(await teamRating(page, 'pre.leadership').innerText())).not.toContain('Rationale');
      // Read only: nothing in it to press or type into.
      expect(await funding.locator('button, input, [contenteditable], [tabindex]').count()).toBe(0);
      const serious = (await runAxe(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(serious).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('follows a decision replaced or withdrawn by a facilitator elsewhere, live', async () => {
    const { context, page, workspaceId, documentId } = await openPrerequisites(
      'facilitator@demo.concord.test',
    );
    let provider: WebsocketProvider | null = null;
    const doc = new Y.Doc();
    try {
      await teamRating(page, 'pre.funding').waitFor({ timeout: 30_000 });
      // The facilitator's second client: a stock y-websocket client with their ticket.
      const res = await context.request.get(
        `${host.url}/w/${workspaceId}/documents/${documentId}/ticket`,
        { headers: { accept: 'application/json' } },
      );
      expect(res.status()).toBe(200);
      const ticket = (await res.json()) as { url: string; ticket: string };
      provider = new WebsocketProvider(ticket.url, documentId, doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { ticket: ticket.ticket },
      });
      const p = provider;
      await expect.poll(() => p.synced, { timeout: 30_000 }).toBe(true);
      const items = doc.getMap<unknown>('items');
      const funding = items.get('pre.funding') as Y.Map<unknown>;
      const seeded = funding.get('decision') as { by: string };
      // The decision is replaced whole, by the facilitator (the server checks `by` is them).
      doc.transact(() => {
        funding.set('decision', { value: 2, by: seeded.by, at: '2026-10-07T18:00:00Z' });
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText('The FY28 budget now funds Year 2 coaching.')]);
        const rationale = funding.get('rationale') as Y.XmlFragment;
        rationale.insert(rationale.length, [paragraph]);
      });
      const shown = teamRating(page, 'pre.funding');
      await expect
        .poll(async () => flat((await shown.allInnerTexts()).join(' ')), { timeout: 15_000 })
        .toContain('Team rating: 2 Sufficient for Launch');
      const text = flat(await shown.innerText());
      expect(text).toContain('On October 7, 2026');
      expect(text).toContain('Recorded by Priya Raman');
      await expect
        .poll(async () => flat(await rationaleField(page, 'pre.funding').innerText()), {
          timeout: 15_000,
        })
        .toContain(`${FUNDING_RATIONALE} The FY28 budget now funds Year 2 coaching.`);

      // Withdrawn: the item shows no team rating.
      doc.transact(() => {
        (items.get('pre.leadership') as Y.Map<unknown>).delete('decision');
        (items.get('pre.leadership') as Y.Map<unknown>).set('status', 'in-discussion');
      });
      await expect
        .poll(() => teamRating(page, 'pre.leadership').count(), { timeout: 15_000 })
        .toBe(0);
    } finally {
      provider?.destroy();
      doc.destroy();
      await context.close();
    }
  }, 90_000);
});
