/**
 * Helpers for browser tests of a live document page: a signed-in browser context that reaches
 * only loopback, the checklist opened as a person would (the workspace's card), and the header's
 * saved state.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  acceptByHttp,
  createWorkspaceByHttp,
  gotoReady,
  inviteByHttp,
  signInContext,
  signUpByHttp,
  type Person,
} from './workspace-support.js';

/** The cast of the live-document suites: a new workspace with two raters and a viewer. */
export async function liveTeam(title: string): Promise<{
  workspaceId: string;
  owner: Person;
  ana: Person;
  ben: Person;
  vic: Person;
}> {
  const [owner, ana, ben, vic] = await Promise.all([
    signUpByHttp('Olive Owner'),
    signUpByHttp('Ana Rater'),
    signUpByHttp('Ben Rater'),
    signUpByHttp('Vic Viewer'),
  ]);
  const workspaceId = await createWorkspaceByHttp(owner, title);
  for (const [person, role] of [
    [ana, 'rater'],
    [ben, 'rater'],
    [vic, 'viewer'],
  ] as const) {
    await acceptByHttp(person, await inviteByHttp(owner, workspaceId, person.email, role));
  }
  return { workspaceId, owner, ana, ben, vic };
}

/** A new context for `person`, signed in; anything but 127.0.0.1 is refused. */
export async function signedInContext(browser: Browser, person: Person): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  await signInContext(context, person);
  return context;
}

/** Opens the workspace and follows the checklist's card, as a person would. */
export async function openChecklist(page: Page, workspaceId: string): Promise<void> {
  await gotoReady(page, `/w/${workspaceId}`);
  await page.getByRole('link', { name: 'Prerequisites to Launch', exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Prerequisites to Launch' }).waitFor();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
}

/** A signed-in page with the checklist open. */
export async function openChecklistAs(
  browser: Browser,
  person: Person,
  workspaceId: string,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await signedInContext(browser, person);
  const page = await context.newPage();
  await openChecklist(page, workspaceId);
  return { page, context };
}

/** The header's saved state. */
export const saveStatus = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /Saved|Saving|Offline|Connecting|Can't save|View only/ });
