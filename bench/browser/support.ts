/**
 * Shared by the browser benchmarks (P7, P8, P9): they run under Vitest with the browser tests'
 * globalSetup (tests/setup/web-server.ts: the production build of the host, web app and real
 * sync server in one process, on a scratch PostgreSQL database), and reuse the browser tests'
 * helpers (tests/e2e) for accounts, workspaces and pages. A workspace made here has an owner and
 * two raters; the largest assessment is the MA PLN School Planning Tool (83 indicators), one
 * per school, opened here for "Garfield Elementary".
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signedInContext } from '../../tests/e2e/document-page.js';
import {
  acceptByHttp,
  createWorkspaceByHttp,
  gotoReady,
  inviteByHttp,
  signUpByHttp,
  type Person,
} from '../../tests/e2e/workspace-support.js';

export { SMOKE, WRITE, machine, median, spread, writeSection } from '../lib/report.js';
export { loadavg, medianSpread, verdict } from '../lib/sync-report.js';

/** Runs per figure (median of these); a smoke run makes one. */
export const runs = (smoke: boolean) => (smoke ? 1 : Number(process.env.BENCH_RUNS ?? 3));

/** The instrument with 83 indicators (packages/rubric-core/src/templates/ma-pln-school-planning.json). */
export const LARGEST_TITLE = 'School Planning Tool: Garfield Elementary';
export const LARGEST_INDICATORS = 83;

export interface BenchWorkspace {
  workspaceId: string;
  ana: Person;
  ben: Person;
}

/** An owner's new workspace (every instrument, two schools) with two raters who accepted. */
export async function benchWorkspace(name: string): Promise<BenchWorkspace> {
  const [owner, ana, ben] = await Promise.all([
    signUpByHttp('Olive Owner'),
    signUpByHttp('Ana Rater'),
    signUpByHttp('Ben Rater'),
  ]);
  const workspaceId = await createWorkspaceByHttp(owner, name);
  for (const person of [ana, ben]) {
    await acceptByHttp(person, await inviteByHttp(owner, workspaceId, person.email, 'rater'));
  }
  return { workspaceId, ana, ben };
}

/** The path of an instrument's page, read from its card on the workspace page. */
export async function documentPath(
  browser: Browser,
  person: Person,
  workspaceId: string,
  title: string,
): Promise<string> {
  const context = await signedInContext(browser, person);
  try {
    const page = await context.newPage();
    await gotoReady(page, `/w/${workspaceId}`);
    const href = await page
      .getByRole('link', { name: title, exact: true })
      .first()
      .getAttribute('href');
    if (!href) throw new Error(`no link to ${title} on the workspace page`);
    return href;
  } finally {
    await context.close();
  }
}

/** A signed-in page on `path`, hydrated. */
export async function openAs(
  browser: Browser,
  person: Person,
  path: string,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await signedInContext(browser, person);
  const page = await context.newPage();
  await gotoReady(page, path);
  return { page, context };
}

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const date = () => new Date().toISOString().slice(0, 10);
