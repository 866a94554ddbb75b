/**
 * Issue 38 (facilitation, part 1) in the browser: a facilitator and three raters, each in a
 * context of their own, on the District Conditions assessment. The facilitator opens a round with
 * the keyboard; the raters rate blind with planted disagreements while the facilitator watches
 * counts; before the reveal a rater's sockets carry none of another rater's ratings and the
 * facilitator's carry counts only (R6, asserted on the frames received); the facilitator reveals
 * one section, then all; every rater's page shows the team's ratings at once, without reloading,
 * the revealed ratings are fixed, and the heatmap and statistics say what rubric-core says.
 */
import { outline, summarizeAssessment } from '@concord/rubric-core';
import { parse } from 'csv-parse/sync';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { launchChromium, runAxe } from './browser.js';
import { signedInContext } from './document-page.js';
import {
  acceptByHttp,
  createWorkspaceByHttp,
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
const sectionIds = [...new Set(entries.map((e) => e.section.id))];
const [s1, s2] = [sectionIds[0]!, sectionIds[1]!];
const inS1 = entries.filter((e) => e.section.id === s1).map((e) => e.indicator.id);
const inS2 = entries.filter((e) => e.section.id === s2).map((e) => e.indicator.id);
const [A, B] = [inS1[0]!, inS1[1]!];
const C = inS2[0]!;
const levels = entries[0]!.scale.levels;

/** The item's label as the page shows it ("1.1" for dc.1.1). */
const labelOf = (id: string) => id.replace(/^dc\./, '');
const card = (page: Page, id: string) => page.locator(`article.item-card[data-item-id="${id}"]`);
const radio = (page: Page, id: string, value: number) =>
  card(page, id)
    .getByRole('radiogroup')
    .getByRole('radio')
    .nth(levels.findIndex((l) => l.value === value));
const team = (page: Page, id: string) =>
  card(page, id).getByRole('group', { name: /Team’s ratings/ });

interface Frames {
  /** Binary payloads received, by socket URL. */
  bySocket: Map<string, Buffer[]>;
}

/** Records every WebSocket frame the page receives. */
function recordFrames(page: Page): Frames {
  const bySocket = new Map<string, Buffer[]>();
  page.on('websocket', (ws) => {
    const list: Buffer[] = [];
    bySocket.set(ws.url(), list);
    ws.on('framereceived', (f) => {
      if (typeof f.payload !== 'string') list.push(f.payload);
    });
  });
  return { bySocket };
}

/** The document a socket's sync frames build (step 2 and updates applied in order). */
function docFrom(frames: Buffer[]): Y.Doc {
  const doc = new Y.Doc();
  for (const frame of frames) {
    const d = decoding.createDecoder(new Uint8Array(frame));
    if (decoding.readVarUint(d) !== 0) continue;
    const sub = decoding.readVarUint(d);
    if (sub === 1 || sub === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(d));
  }
  return doc;
}

async function openAssessment(person: Person, workspaceId: string, width = 1280) {
  const context = await signedInContext(browser, person);
  await context.pages()[0]?.close();
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const frames = recordFrames(page);
  await gotoReady(page, `/w/${workspaceId}`);
  await page.getByRole('link', { name: 'District Conditions' }).first().click();
  await page.getByRole('heading', { level: 1, name: /District Conditions/ }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  return { context, page, frames };
}

describe('a rating round, from opening to the reveal', () => {
  it('runs blind, reveals to every rater at once, and fixes what was revealed', async () => {
    const [owner, fac, r1, r2, r3] = await Promise.all(
      ['Olive Owner', 'Fay Facilitator', 'Ana Rater', 'Ben Rater', 'Cy Rater'].map((n) =>
        signUpByHttp(n),
      ),
    );
    const workspaceId = await createWorkspaceByHttp(owner!, 'Round trip');
    for (const [person, role] of [
      [fac, 'facilitator'],
      [r1, 'rater'],
      [r2, 'rater'],
      [r3, 'rater'],
    ] as const) {
      await acceptByHttp(person!, await inviteByHttp(owner!, workspaceId, person!.email, role));
    }
    const F = await openAssessment(fac!, workspaceId);
    const R1 = await openAssessment(r1!, workspaceId);
    const R2 = await openAssessment(r2!, workspaceId);
    const R3 = await openAssessment(r3!, workspaceId, 390);
    try {
      // The facilitator opens a round over every section, named, with the keyboard only.
      const openButton = F.page.getByRole('button', { name: 'Open a round' });
      await openButton.focus();
      await F.page.keyboard.press('Enter');
      const form = F.page.getByRole('form', { name: 'Open a round' });
      await form.getByRole('button', { name: 'Open round' }).focus();
      await F.page.keyboard.press('Enter');
      await F.page.getByRole('heading', { name: 'Round 1: named, open' }).waitFor();

      // Every rater sees the round, without reloading.
      for (const R of [R1, R2, R3]) {
        await R.page.getByText('Round 1 is open.').waitFor();
      }

      // Planted disagreements on A (1, 3, 2: two levels apart), agreement on B, C in section 2.
      const lo = levels[0]!.value;
      const mid = levels[1]!.value;
      const hi = levels[2]!.value;
      await radio(R1.page, A, lo).check();
      await radio(R2.page, A, hi).check();
      // Cy rates with the keyboard: j to the first item (A), then its level's number.
      await R3.page.keyboard.press('j');
      await R3.page.keyboard.press(String(levels.findIndex((l) => l.value === mid) + 1));
      await expect.poll(() => radio(R3.page, A, mid).isChecked()).toBe(true);
      for (const R of [R1, R2, R3]) await radio(R.page, B, mid).check();
      await radio(R1.page, C, hi).check();

      // The facilitator sees counts per rater and section, live.
      const progress = F.page.getByRole('region', { name: 'Progress by rater' });
      await expect
        .poll(
          async () => (await progress.getByRole('row', { name: /Ana Rater/ }).textContent()) ?? '',
        )
        .toContain(`2 of ${inS1.length}`);
      await expect
        .poll(
          async () => (await progress.getByRole('row', { name: /Ana Rater/ }).textContent()) ?? '',
        )
        .toContain(`1 of ${inS2.length}`);
      await expect
        .poll(
          async () => (await progress.getByRole('row', { name: /Cy Rater/ }).textContent()) ?? '',
        )
        .toContain(`2 of ${inS1.length}`);

      // R6 on the wire: Ben's sockets are his own documents and the shared ones; what reached
      // him of the shared assessment holds the round with counts only, no one's level.
      const benSockets = [...R2.frames.bySocket.keys()];
      expect(benSockets.length).toBeGreaterThanOrEqual(3);
      for (const [url, list] of [...R2.frames.bySocket, ...F.frames.bySocket]) {
        const rounds = docFrom(list).getMap('rounds').toJSON() as Record<
          string,
          { revealed?: Record<string, unknown>; progress?: Record<string, Record<string, unknown>> }
        >;
        for (const round of Object.values(rounds)) {
          expect(round.revealed ?? {}, url).toEqual({});
          for (const counts of Object.values(round.progress ?? {})) {
            for (const [section, n] of Object.entries(counts)) {
              expect(sectionIds, url).toContain(section);
              expect(Number.isInteger(n), url).toBe(true);
            }
          }
        }
      }
      // No one's ratings document reached Ben but his own: every ratings document he received
      // (a root `ratings`) holds only the levels he chose.
      for (const list of R2.frames.bySocket.values()) {
        const ratings = docFrom(list).getMap('ratings').toJSON() as Record<string, unknown>;
        for (const [id, value] of Object.entries(ratings)) {
          expect({ id, value }).toEqual({ id, value: id === A ? hi : mid });
        }
      }
      // Before the reveal nobody's page shows the team's ratings.
      expect(await team(R1.page, A).count()).toBe(0);

      // Reveal the first section.
      const s1Heading = (await R1.page.locator(`[id="section-${s1}-title"]`).textContent())!.trim();
      // A nudge, with the keyboard: Cy sees it.
      await F.page.getByRole('button', { name: 'Nudge Cy Rater' }).focus();
      await F.page.keyboard.press('Enter');
      await R3.page.getByText('The facilitator asked you to finish rating.').waitFor();
      await F.page.getByRole('button', { name: `Reveal ${s1Heading}` }).focus();
      await F.page.keyboard.press('Enter');
      for (const R of [R1, R2, R3, F]) {
        await team(R.page, A).waitFor();
        const text = (await team(R.page, A).textContent())!.replace(/\s+/g, ' ');
        expect(text).toContain(`Ana Rater${R === R1 ? ' (you)' : ''} ${lo} ${levels[0]!.label}`);
        expect(text).toContain(`${hi} ${levels[2]!.label}`);
        expect(text).toContain(`${mid} ${levels[1]!.label}`);
        // Section 2 is not revealed yet.
        expect(await team(R.page, C).count()).toBe(0);
      }
      // The planted disagreement is flagged on its item and in the outline; the agreement is not.
      await expect
        .poll(async () => (await team(R1.page, A).textContent()) ?? '')
        .toContain('Flagged:');
      expect(await team(R1.page, B).textContent()).not.toContain('Flagged:');
      expect(await R1.page.getByRole('navigation', { name: 'Outline' }).textContent()).toContain(
        '1 flagged for discussion',
      );
      // Revealed ratings are fixed; section 2 still rates.
      await expect.poll(() => radio(R1.page, A, hi).isDisabled()).toBe(true);
      expect(await radio(R1.page, C, mid).isDisabled()).toBe(false);
      expect(await card(R1.page, A).textContent()).toContain(
        'Revealed to the team, so it is fixed now',
      );

      // Reveal the rest.
      await F.page.getByRole('button', { name: 'Reveal all' }).focus();
      await F.page.keyboard.press('Enter');
      await team(R2.page, C).waitFor();
      expect((await team(R2.page, C).textContent())!.replace(/\s+/g, ' ')).toContain(
        `Ana Rater ${hi} ${levels[2]!.label}`,
      );

      // The facilitator records the team's rating of A (with the keyboard) and the rationale;
      // every rater sees it at once, with how far each of them moved; raters co-edit the rationale.
      const teamChoice = F.page.getByRole('radiogroup', { name: `Team rating for ${labelOf(A)}` });
      await teamChoice.getByRole('radio').nth(1).focus();
      await F.page.keyboard.press('Space');
      const rationale = F.page.getByRole('textbox', { name: `Rationale for ${labelOf(A)}` });
      await rationale.click();
      await F.page.keyboard.type('Coaching is funded for one year only.');
      for (const R of [R1, R2, R3]) {
        const recorded = card(R.page, A).getByTestId('team-rating');
        await recorded.waitFor();
        await expect
          .poll(async () => ((await recorded.textContent()) ?? '').replace(/\s+/g, ' '))
          .toContain(`Consensus rating: ${mid} ${levels[1]!.label}`);
        expect(await recorded.textContent()).toContain('Fay Facilitator');
        await expect
          .poll(
            async () =>
              (await card(R.page, A)
                .getByRole('textbox', { name: `Rationale for ${labelOf(A)}` })
                .textContent()) ?? '',
          )
          .toContain('Coaching is funded for one year only.');
      }
      // Ben adds to the rationale from his own browser; the facilitator sees both sentences.
      const benRationale = card(R2.page, A).getByRole('textbox', {
        name: `Rationale for ${labelOf(A)}`,
      });
      await benRationale.click();
      await R2.page.keyboard.press('End');
      await R2.page.keyboard.type(' Renewal is decided in March.');
      await expect
        .poll(async () => (await rationale.textContent()) ?? '')
        .toContain('Coaching is funded for one year only. Renewal is decided in March.');
      const movedText = (
        (await card(R1.page, A).getByTestId('team-rating').textContent()) ?? ''
      ).replace(/\s+/g, ' ');
      expect(movedText).toContain('Ana Rater (you): up 1 level');
      expect(movedText).toContain('Ben Rater: down 1 level');
      expect(movedText).toContain('Cy Rater: same level');
      // A rater has no control to record it.
      expect(
        await R1.page.getByRole('radiogroup', { name: `Team rating for ${labelOf(A)}` }).count(),
      ).toBe(0);

      // The agenda: A (flagged) comes first, agreed now; the facilitator takes up the next item
      // with the keyboard, and a rater's agenda shows it in discussion.
      await F.page.getByRole('button', { name: 'Agenda', exact: true }).click();
      const agendaItems = F.page.getByRole('region', { name: 'Agenda' }).getByRole('listitem');
      await expect
        .poll(async () => (await agendaItems.first().textContent()) ?? '')
        .toContain(`${labelOf(A)} `);
      expect(await agendaItems.first().textContent()).toContain('Agreed');
      await F.page.getByRole('button', { name: 'Next item' }).focus();
      await F.page.keyboard.press('Enter');
      await R2.page.getByRole('button', { name: 'Agenda', exact: true }).click();
      await expect
        .poll(
          async () =>
            (await R2.page
              .getByRole('region', { name: 'Agenda' })
              .getByRole('status')
              .textContent()) ?? '',
        )
        .toMatch(/1 of \d+ agreed; in discussion: /);
      expect(await R2.page.getByRole('button', { name: 'Next item' }).count()).toBe(0);
      // The shared timer on the item in discussion: every page shows it, counting down.
      await F.page.getByRole('button', { name: 'Agenda', exact: true }).click();
      await F.page.getByRole('button', { name: /^Start timer on / }).click();
      const benTimer = R2.page.getByRole('timer');
      await benTimer.first().waitFor();
      expect((await benTimer.first().textContent()) ?? '').toMatch(/\d:\d\d left on /);
      // After a reload the same timer is there (it is in the document, started at the server's time).
      await R2.page.reload();
      await R2.page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
      await R2.page.getByRole('timer').first().waitFor();
      expect((await R2.page.getByRole('timer').first().textContent()) ?? '').toMatch(
        /[0-5]:\d\d left on /,
      );
      await F.page.getByRole('button', { name: 'Stop timer' }).first().click();
      await expect.poll(() => R2.page.getByRole('timer').count()).toBe(0);
      expect(
        (await runAxe(R2.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      ).toEqual([]);
      await R2.page.getByRole('button', { name: 'Items', exact: true }).click();

      // The heatmap and the statistics, as every participant sees them.
      await R1.page.getByRole('button', { name: 'Heatmap and statistics' }).click();
      const heatmap = R1.page.getByTestId('heatmap');
      await heatmap.waitFor();
      const rows = await heatmap.getByRole('row').allTextContents();
      // Rows start with the item's number as the page shows it ("1.1" for dc.1.1).
      const rowOf = (id: string) =>
        rows.find((r) => r.trim().startsWith(`${id.replace(/^dc\./, '')} `)) ?? `no row for ${id}`;
      const rowA = rowOf(A);
      const rowB = rowOf(B);
      expect(rowA, 'the planted disagreement is flagged').not.toContain('No flag');
      expect(rowB).toContain('No flag');
      // The statistics are rubric-core's for the same ratings.
      const keyOf = (p: Person) => p.email;
      const ratings = {
        [A]: {
          ratings: [lo, hi, mid].map((value, i) => ({
            raterId: keyOf([r1!, r2!, r3!][i]!),
            value,
          })),
        },
        [B]: { ratings: [r1!, r2!, r3!].map((p) => ({ raterId: keyOf(p), value: mid })) },
        [C]: {
          ratings: [
            { raterId: keyOf(r1!), value: hi },
            { raterId: keyOf(r2!), value: null },
            { raterId: keyOf(r3!), value: null },
          ],
        },
      };
      const alpha = summarizeAssessment(rubric, ratings).reliability.alpha.alpha;
      const whole = R1.page.getByRole('region', { name: 'Round 1 as a whole' });
      const wholeText = ((await whole.textContent()) ?? '').replace(/\s+/g, ' ');
      if (alpha === null) expect(wholeText).toContain('Not enough data');
      else expect(wholeText).toContain(`${alpha < 0 ? '\u2212' : ''}${Math.abs(alpha).toFixed(2)}`);
      // A row's item opens the item.
      await heatmap.getByRole('button').first().focus();
      await R1.page.keyboard.press('Enter');
      await card(R1.page, A).waitFor({ state: 'visible' });

      // A second (Delphi) round on the flagged item: the facilitator closes round 1 and opens
      // round 2 with the item ticked for them; only it is released; Ana and Ben re-rate blind.
      await F.page.getByRole('button', { name: 'Items', exact: true }).click();
      await F.page.getByRole('button', { name: 'Close round' }).click();
      await F.page.getByRole('heading', { name: 'Round 1 closed' }).waitFor();
      await F.page.getByRole('button', { name: 'Open a new round' }).click();
      const second = F.page.getByRole('form', { name: 'Open a round' });
      expect(await second.getByRole('radio', { name: /Chosen items again/ }).isChecked()).toBe(
        true,
      );
      const chosenBoxes = second.getByRole('group', { name: /Items to rate again/ });
      expect(await chosenBoxes.getByRole('checkbox', { checked: true }).count()).toBe(1);
      expect(
        await chosenBoxes
          .getByRole('checkbox', { name: new RegExp(`^${labelOf(A)} `) })
          .isChecked(),
      ).toBe(true);
      expect(
        (await runAxe(F.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      ).toEqual([]);
      // Keyboard: the form submits from its button.
      await second.getByRole('button', { name: 'Open round' }).focus();
      await F.page.keyboard.press('Enter');
      await F.page.getByRole('heading', { name: 'Round 2: named, open, 1 item' }).waitFor();
      for (const R of [R1, R2]) {
        await R.page.getByTestId('round-items').waitFor();
        expect(await R.page.getByTestId('round-items').textContent()).toContain(`${labelOf(A)} `);
        // A is released, B stays fixed.
        await expect.poll(() => radio(R.page, A, mid).isDisabled()).toBe(false);
        expect(await radio(R.page, B, lo).isDisabled()).toBe(true);
      }
      // Their round 1 levels were cleared for the new round: the facilitator sees 0 of 1 until
      // each rates again, and Cy, who does not, stays at 0.
      expect((await progress.getByRole('row', { name: /Cy Rater/ }).textContent()) ?? '').toContain(
        '0 of 1',
      );
      await expect.poll(() => radio(R1.page, A, lo).isChecked()).toBe(false);
      for (const R of [R1, R2]) await radio(R.page, A, mid).check();
      for (const name of [/Ana Rater/, /Ben Rater/]) {
        await expect
          .poll(async () => (await progress.getByRole('row', { name }).textContent()) ?? '')
          .toContain('1 of 1');
      }
      await F.page
        .getByRole('button', { name: /^Reveal / })
        .first()
        .click();
      // Both rounds compared, as every participant sees them.
      await R1.page.getByRole('button', { name: 'Heatmap and statistics' }).click();
      const compared = R1.page.getByTestId('round-comparison');
      await compared.waitFor();
      const comparedText = ((await compared.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(comparedText).toContain('Spread 2 levels → all agree: closer');
      expect(comparedText).toContain('2 of 2 raters moved');
      const rowsOf = await compared.getByRole('row').allTextContents();
      const row = (name: string) =>
        (rowsOf.find((r) => r.includes(name)) ?? '').replace(/\s+/g, ' ');
      expect(row('Ana Rater')).toContain(`${lo} ${levels[0]!.label}${mid} ${levels[1]!.label}`);
      expect(row('Ana Rater')).toContain('up 1 level');
      expect(row('Ben Rater')).toContain('down 1 level');
      expect(row('Cy Rater')).toContain('not rated in round 2');
      // The results now read round 2 for A (agreed: no flag) and round 1 for the rest.
      expect(await R1.page.getByTestId('results-source').textContent()).toContain(
        'round 2 for 1 item, round 1 for the rest',
      );
      const after = await R1.page.getByTestId('heatmap').getByRole('row').allTextContents();
      expect(after.find((r) => r.trim().startsWith(`${labelOf(A)} `))).toContain('No flag');

      // The consensus report as CSV, with the facilitator's cookies: A has a row per round,
      // each rater's original in it, and the consensus with the co-edited rationale.
      let csv: string[][] = [];
      await expect
        .poll(
          async () => {
            const res = await F.context.request.get(
              `${F.page.url().replace(/[?#].*$/, '')}/report.csv`,
            );
            if (res.status() !== 200) return `status ${res.status()}`;
            csv = parse((await res.body()).toString('utf8'), { bom: true });
            return csv.filter((r) => r[1] === labelOf(A)).length;
          },
          { timeout: 30_000 },
        )
        .toBe(2);
      const [head, ...body] = csv;
      const col = (name: string) => head!.indexOf(name);
      const rowsA = body.filter((r) => r[col('Item')] === labelOf(A));
      expect(rowsA.map((r) => r[col('Round')])).toEqual(['1', '2']);
      expect(rowsA.map((r) => r[col('Ana Rater')])).toEqual([String(lo), String(mid)]);
      expect(rowsA.map((r) => r[col('Cy Rater')])).toEqual([String(mid), 'Not rated']);
      expect(rowsA.map((r) => r[col('Ben Rater')])).toEqual([String(hi), String(mid)]);
      expect(rowsA[0]![col('Consensus level')]).toBe(String(mid));
      expect(rowsA[0]![col('Rationale')]).toBe(
        'Coaching is funded for one year only. Renewal is decided in March.',
      );

      // The leadership view charts readiness by section from the revealed ratings (query tables).
      const lead = await F.context.newPage();
      const chart = lead.getByRole('figure', { name: 'Readiness by section: District Conditions' });
      await expect
        .poll(
          async () => {
            await gotoReady(lead, '/leadership');
            return chart.count();
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe(1);
      await expect.poll(() => chart.locator('svg rect').count()).toBeGreaterThan(0);
      expect(await chart.textContent()).toMatch(/Strongest: .+ \(\d\.\d of \d\); weakest: /);
      await chart.getByText('The figures as a table').click();
      expect(await chart.getByRole('table').getByRole('row').count()).toBeGreaterThan(2);
      expect(
        (await runAxe(lead)).filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      ).toEqual([]);
      await lead.close();

      // Accessibility with the round revealed: the facilitator's heatmap and a rater's phone.
      await F.page.getByRole('button', { name: 'Heatmap and statistics' }).click();
      await F.page.getByTestId('heatmap').waitFor();
      for (const page of [F.page, R3.page]) {
        const serious = (await runAxe(page)).filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        );
        expect(serious).toEqual([]);
      }
    } finally {
      await Promise.all([F, R1, R2, R3].map((x) => x.context.close()));
    }
  });

  it('names raters by letter in an anonymised round, except to the facilitator', async () => {
    const [owner, fac, r1, r2] = await Promise.all(
      ['Olive Owner', 'Fay Facilitator', 'Ana Rater', 'Ben Rater'].map((n) => signUpByHttp(n)),
    );
    const workspaceId = await createWorkspaceByHttp(owner!, 'Anonymous round');
    for (const [person, role] of [
      [fac, 'facilitator'],
      [r1, 'rater'],
      [r2, 'rater'],
    ] as const) {
      await acceptByHttp(person!, await inviteByHttp(owner!, workspaceId, person!.email, role));
    }
    const F = await openAssessment(fac!, workspaceId);
    const R1 = await openAssessment(r1!, workspaceId);
    const R2 = await openAssessment(r2!, workspaceId);
    try {
      await F.page.getByRole('button', { name: 'Open a round' }).click();
      await F.page.getByRole('radio', { name: /As Rater A, B/ }).check();
      await F.page.getByRole('button', { name: 'Open round' }).click();
      await F.page.getByRole('heading', { name: 'Round 1: anonymised, open' }).waitFor();
      // Each rater learns their own letter (from the server), nobody else's.
      await R1.page.getByText(/results show you as Rater [AB]/).waitFor();
      const mine = /Rater ([AB])/.exec(
        (await R1.page.getByText(/results show you as/).textContent())!,
      )![1]!;
      const theirs = mine === 'A' ? 'B' : 'A';
      await radio(R1.page, A, levels[0]!.value).check();
      await radio(R2.page, A, levels[2]!.value).check();
      // The facilitator's progress names both: the letter and the person.
      const progress = F.page.getByRole('region', { name: 'Progress by rater' });
      await expect
        .poll(async () => (await progress.textContent()) ?? '')
        .toContain(`Rater ${mine} (Ana Rater)`);
      await F.page.getByRole('button', { name: 'Reveal all' }).click();
      // A rater's page: letters only, theirs marked.
      await team(R1.page, A).waitFor();
      const seen = (await team(R1.page, A).textContent())!.replace(/\s+/g, ' ');
      expect(seen).toContain(`Rater ${mine} (you) ${levels[0]!.value} ${levels[0]!.label}`);
      expect(seen).toContain(`Rater ${theirs} ${levels[2]!.value} ${levels[2]!.label}`);
      expect(seen).not.toContain('Ben Rater');
      await R1.page.getByRole('button', { name: 'Heatmap and statistics' }).click();
      const heads = (await R1.page.getByTestId('heatmap').locator('thead').textContent())!;
      expect(heads).toContain(`Rater ${theirs}`);
      expect(heads).not.toContain('Ben Rater');
      expect(heads).not.toContain('Ana Rater');
      // The facilitator sees who is who.
      await team(F.page, A).waitFor();
      expect((await team(F.page, A).textContent())!.replace(/\s+/g, ' ')).toContain(
        `Rater ${theirs} (Ben Rater)`,
      );
    } finally {
      await Promise.all([F, R1, R2].map((x) => x.context.close()));
    }
  });
});
