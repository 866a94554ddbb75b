/**
 * Issue 37, the workspace page and the home page say only what is true and promise only what
 * exists, on the production build with the real sync server:
 * - a rater's own progress on each instrument moves as they rate (read from their own ratings
 *   document, not the query tables nothing keeps in step yet), on the workspace page and the
 *   home page; others see each instrument's size and no rating count at all;
 * - "What your role can do here" lists, for every role, exactly the actions the role allows that
 *   have a working control (ACTIONS_WITH_CONTROLS), and each listed action's control is found
 *   where it lives, as that role;
 * - the strategic plan's card links to the plan page and its template; its
 *   template; every link on the home, workspace and members pages answers 200.
 * axe-core on the pages at 1280 and 390 px.
 */
import {
  ACTIONS_WITH_CONTROLS,
  can,
  hasControl,
  WORKSPACE_ACTION_LABELS,
  WORKSPACE_ACTION_NAMES,
  type Role,
  type WorkspaceAction,
} from '@concord/auth/roles';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';
import { openChecklist, saveStatus, signedInContext } from './document-page.js';
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

const TITLE = 'Numbers that are true';
/** Items a rater rates in this workspace: the checklist's 8 categories, District Conditions'
 * 34 items (28 indicators, 6 autonomy areas), one School Planning Tool's 83 and Fundamental
 * Practices' 16. */
const ALL_ITEMS = 8 + 34 + 83 + 16;

let browser: Browser;
let workspaceId: string;
let people: Record<Role, Person>;

beforeAll(async () => {
  browser = await launchChromium();
  const [owner, facilitator, rater, viewer] = await Promise.all([
    signUpByHttp('Olive Owner'),
    signUpByHttp('Fay Facilitator'),
    signUpByHttp('Ana Rater'),
    signUpByHttp('Vic Viewer'),
  ]);
  workspaceId = await createWorkspaceByHttp(owner, TITLE);
  for (const [person, role] of [
    [facilitator, 'facilitator'],
    [rater, 'rater'],
    [viewer, 'viewer'],
  ] as const) {
    await acceptByHttp(person, await inviteByHttp(owner, workspaceId, person.email, role));
  }
  people = { owner, facilitator, rater, viewer };
});

afterAll(async () => {
  await browser?.close();
});

async function as<T>(person: Person, fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await signedInContext(browser, person);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const serious = (await runAxe(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious, `${what}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** An instrument's card on the workspace page, by its title. */
const card = (page: Page, title: string) =>
  page.locator('[data-document-id]').filter({
    has: page.getByRole('heading', { level: 3, name: title, exact: true }),
  });

/** A count of everyone's ratings, as the pages showed from the query tables. */
const RATING_COUNT = /\d+\s+ratings?\s+(recorded|submitted)/i;

/** An element's text as shown, with runs of white space as one space. */
const shown = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Rates `labels` on the open checklist (each item's first level) and waits until saved. */
async function rate(page: Page, labels: string[]): Promise<void> {
  for (const label of labels) {
    const group = page.getByRole('radiogroup', { name: `Rating for ${label}` });
    await group.getByRole('radio').first().check();
    await expect.poll(() => group.getByRole('radio', { checked: true }).count()).toBe(1);
  }
  await expect.poll(() => saveStatus(page).textContent()).toContain('Saved');
}

describe('numbers that are true', () => {
  it('a rater sees their own progress move as they rate, on the workspace and home pages', async () => {
    await as(people.rater, async (page) => {
      await gotoReady(page, `/w/${workspaceId}`);
      const checklist = card(page, 'Prerequisites to Launch');
      await expect(shown(checklist.getByTestId('my-progress'))).resolves.toBe(
        'You have rated 0 of 8 categories',
      );
      await expect(
        shown(card(page, 'District Conditions').getByTestId('my-progress')),
      ).resolves.toBe('You have rated 0 of 34 items');

      await openChecklist(page, workspaceId);
      await rate(page, ['1', '2', '3', '4', '5']);
      // Back by the breadcrumb (client-side navigation): the page's load runs again.
      await page
        .getByRole('navigation', { name: 'Breadcrumb' })
        .getByRole('link', { name: TITLE })
        .click();
      await page.waitForURL(new RegExp(`/w/${workspaceId}$`));
      await expect
        .poll(() => shown(checklist.getByTestId('my-progress')))
        .toBe('You have rated 5 of 8 categories');
      await expect(page.locator('main').textContent()).resolves.not.toMatch(RATING_COUNT);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await expectNoSeriousViolations(page, `workspace page (rater, ${width} px)`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      await gotoReady(page, '/');
      const home = page.locator(`[data-workspace-id="${workspaceId}"]`);
      await expect(shown(home.getByTestId('my-progress'))).resolves.toBe(
        `5 of ${ALL_ITEMS} items rated by you`,
      );
      await expect(home.textContent()).resolves.not.toMatch(RATING_COUNT);
      await expectNoSeriousViolations(page, 'home (rater)');

      await openChecklist(page, workspaceId);
      await rate(page, ['6', '7', '8']);
      await gotoReady(page, `/w/${workspaceId}`);
      await expect(shown(checklist.getByTestId('my-progress'))).resolves.toBe(
        'You have rated all 8 categories',
      );
      await gotoReady(page, '/');
      await expect(shown(home.getByTestId('my-progress'))).resolves.toBe(
        `8 of ${ALL_ITEMS} items rated by you`,
      );
    });
  });

  it('others see each instrument’s size and no rating count, even after a rating', async () => {
    for (const role of ['owner', 'facilitator', 'viewer'] as const) {
      await as(people[role], async (page) => {
        await gotoReady(page, `/w/${workspaceId}`);
        const sizes = await page
          .locator('[data-document-id]')
          .evaluateAll((cards) =>
            cards.map((c) => c.querySelector('[data-testid="size"]')?.textContent ?? null),
          );
        expect(sizes, role).toEqual([
          '8 categories',
          // The seed's 28 indicators and its 6 autonomy areas, in the catalogue card's words.
          '34 items: 28 indicators and 6 Required Areas of Autonomy and Flexibility',
          '83 indicators',
          '16 indicators',
          '10 plan areas',
        ]);
        expect(await page.getByTestId('my-progress').count(), role).toBe(0);
        await expect(page.locator('main').textContent()).resolves.not.toMatch(RATING_COUNT);
        await gotoReady(page, '/');
        const home = page.locator(`[data-workspace-id="${workspaceId}"]`);
        // The team's decisions, from the query tables: none recorded yet.
        await expect(home.locator('.counts li').allInnerTexts()).resolves.toEqual([
          '5 instruments',
          '4 members',
          `0 of ${ALL_ITEMS} items agreed`,
        ]);
      });
    }
  });
});

/**
 * Where each action that has a control is done, checked as `person`: the control is there and
 * usable. Every action in ACTIONS_WITH_CONTROLS has one (the record type makes a new one fail to
 * compile until its probe is written).
 */
const CONTROLS: Record<
  (typeof ACTIONS_WITH_CONTROLS)[number],
  (page: Page, person: Person) => Promise<void>
> = {
  'workspace.view': async (page) => {
    await gotoReady(page, '/');
    await page.getByRole('link', { name: TITLE, exact: true }).click();
    await page.waitForURL(new RegExp(`/w/${workspaceId}$`));
    await expect(page.locator('h1').textContent()).resolves.toBe(TITLE);
  },
  'district.add-workspace': async (page) => {
    await gotoReady(page, '/workspaces/new');
    await page.getByLabel('Workspace name').fill('Next year');
    await page.getByLabel('School year').fill('2027-28');
    await page.getByRole('button', { name: 'Next' }).click();
    const district = page.getByRole('radio', { name: 'Revere Public Schools, MA' });
    await district.waitFor();
    expect(await district.isEnabled()).toBe(true);
  },
  'members.view': async (page) => {
    await gotoReady(page, `/w/${workspaceId}/members`);
    const list = await page.getByTestId('members').textContent();
    for (const p of Object.values(people)) expect(list).toContain(p.email);
  },
  'members.invite': async (page) => {
    await gotoReady(page, `/w/${workspaceId}/members`);
    expect(await page.getByLabel('Email address').isEditable()).toBe(true);
    expect(await page.getByRole('button', { name: /invitation/i }).isEnabled()).toBe(true);
  },
  'members.manage': async (page) => {
    await gotoReady(page, `/w/${workspaceId}/members`);
    const name = people.viewer.name;
    expect(await page.getByLabel(`Role of ${name}`).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: `Save role of ${name}` }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: `Remove ${name}` }).isEnabled()).toBe(true);
  },
  'ratings.rate': async (page) => {
    await openChecklist(page, workspaceId);
    const group = page.getByRole('radiogroup', { name: 'Rating for 1' });
    // Live controls are usable once the document has synced (a moment on a busy machine).
    await expect.poll(() => group.getByRole('radio').first().isEnabled()).toBe(true);
  },
  'ratings.reveal': async (page) => {
    await openChecklist(page, workspaceId);
    await expect
      .poll(() => page.getByRole('button', { name: 'Open a round' }).isEnabled())
      .toBe(true);
  },
  'checklist.edit': async (page) => {
    await openChecklist(page, workspaceId);
    // The evidence editor mounts near the viewport (item 1 is there), in place of its preview.
    await page.getByRole('article', { name: /^1 / }).scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        page.locator('.ProseMirror[aria-label="Evidence for 1"]').getAttribute('contenteditable'),
      )
      .toBe('true');
  },
  'comments.write': async (page) => {
    await openChecklist(page, workspaceId);
    await page.getByRole('button', { name: /^Comments on 1 / }).click();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Comment on 1' }).isEditable())
      .toBe(true);
  },
};

/** Every same-origin link on the open page (skip links and fragments aside). */
async function linksOn(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  const origin = new URL(baseUrl).origin;
  return [
    ...new Set(
      hrefs
        .map((h) => new URL(h))
        .filter((u) => u.origin === origin)
        .map((u) => `${u.pathname}${u.search}`),
    ),
  ];
}

describe('promise only what exists', () => {
  for (const role of ['owner', 'facilitator', 'rater', 'viewer'] as const) {
    it(`shows a ${role} only what has a working control, and each control works`, async () => {
      const person = people[role];
      await as(person, async (page) => {
        await gotoReady(page, `/w/${workspaceId}`);
        const listed = await page.getByTestId('capabilities').getByRole('listitem').allInnerTexts();
        const expected = WORKSPACE_ACTION_NAMES.filter((a) => can(role, a) && hasControl(a));
        expect(listed).toEqual(expected.map((a) => WORKSPACE_ACTION_LABELS[a]));
        // Nothing the role may do one day but cannot do here yet.
        for (const later of WORKSPACE_ACTION_NAMES.filter((a) => !hasControl(a))) {
          expect(listed, later).not.toContain(WORKSPACE_ACTION_LABELS[later]);
        }

        // The plan opens on its own page (not the instruments' document page).
        const plan = page.locator('[data-kind="plan"]');
        expect(await plan.textContent()).not.toMatch(/Coming/);
        const planId = await plan.getAttribute('data-document-id');
        const planLinks = await plan
          .locator('a[href]')
          .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
        expect(planLinks).toEqual([
          `/w/${workspaceId}/plan/${planId}`,
          '/templates/knowledgeworks-plan',
        ]);
        const planAsInstrument = await get(`/w/${workspaceId}/documents/${planId}`, person.session);
        await planAsInstrument.arrayBuffer();
        expect(planAsInstrument.status).toBe(404);

        // Every link on the pages a member reaches from here answers 200.
        const links = new Set<string>();
        for (const path of ['/', `/w/${workspaceId}`, `/w/${workspaceId}/members`]) {
          await gotoReady(page, path);
          for (const link of await linksOn(page)) links.add(link);
        }
        expect(links.size).toBeGreaterThan(5);
        for (const link of links) {
          const res = await get(link, person.session);
          await res.arrayBuffer();
          expect(res.status, link).toBe(200);
        }

        for (const action of expected as (typeof ACTIONS_WITH_CONTROLS)[number][]) {
          try {
            await CONTROLS[action](page, person);
          } catch (error) {
            throw new Error(`${role}: the control for ${action} (${String(error)})`);
          }
        }
      });
    });
  }

  it('lists every action with a control for some role, and probes each', () => {
    const listedForSomeone = new Set<WorkspaceAction>(
      (['owner', 'facilitator', 'rater', 'viewer'] as const).flatMap((r) =>
        WORKSPACE_ACTION_NAMES.filter((a) => can(r, a) && hasControl(a)),
      ),
    );
    expect([...listedForSomeone].sort()).toEqual([...ACTIONS_WITH_CONTROLS].sort());
    expect(Object.keys(CONTROLS).sort()).toEqual([...ACTIONS_WITH_CONTROLS].sort());
  });
});
