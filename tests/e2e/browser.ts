/**
 * Chromium through playwright-core, using the system's Chromium (Debian's package), never a
 * downloaded browser. CHROMIUM_PATH overrides the path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * Runs `fn` in a fresh browser context (no cookies, a laptop-sized window), closed afterwards
 * whatever happens. `loopbackOnly` aborts every request not to 127.0.0.1, so a page can reach
 * nothing but the servers the tests started.
 */
export async function withContext<T>(
  browser: Browser,
  fn: (context: BrowserContext) => Promise<T>,
  options: { loopbackOnly?: boolean } = {},
): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (options.loopbackOnly) {
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  }
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** The axe-core script, injected as content so no network or file URL is involved. */
export function axeScript(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolationSummary {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core on the page and returns its violations, trimmed to what a failure message needs. */
export async function runAxe(page: Page): Promise<AxeViolationSummary[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeScript() });
  }
  return page.evaluate(async (tags) => {
    type Axe = { run: (context: Document, options: RunOptions) => Promise<AxeResults> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  }, WCAG_TAGS);
}
