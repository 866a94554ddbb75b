/**
 * The rubric catalogue in the production build, in a real browser: every built-in template is
 * listed and rendered in full, the pages pass axe-core's WCAG 2.1 A/AA rules, keyboard users get
 * a working skip link and visible focus, and unknown ids are a proper 404.
 */
import type { Section, Template } from '@concord/rubric-core';
import { builtinTemplates, guidance } from '@concord/rubric-core/templates';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, runAxe } from './browser.js';

const baseUrl = inject('webUrl');

/** Expected `data-indicator-id`s, computed from the template data independently of the app. */
function expectedIndicatorIds(template: Template): string[] {
  if (template.kind === 'plan') {
    return template.metricGroups.flatMap((g) => g.indicators.map((i) => i.id));
  }
  const ids: string[] = [];
  const walk = (sections: readonly Section[]) => {
    for (const s of sections) {
      ids.push(...s.indicators.map((i) => i.id));
      walk(s.sections);
    }
  };
  walk(template.sections);
  return ids;
}

let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  expect(res?.status(), `GET ${path}`).toBe(200);
  return page;
}

describe('catalogue', () => {
  it('has built-in templates to show', () => {
    expect(builtinTemplates.length).toBeGreaterThan(0);
  });

  it('lists every built-in template, in order, each linking to its page', async () => {
    const page = await open('/templates');
    try {
      const cards = page.locator('[data-template-id]');
      const ids = await cards.evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-template-id')),
      );
      expect(ids).toEqual(builtinTemplates.map((t) => t.id));
      for (const t of builtinTemplates) {
        const link = page.locator(`[data-template-id="${t.id}"] a[href="/templates/${t.id}"]`);
        await expect(link.textContent()).resolves.toBe(t.title);
      }
      await expect(page.title()).resolves.toMatch(/catalogue/i);
    } finally {
      await page.close();
    }
  });
});

describe('template pages', () => {
  for (const template of builtinTemplates) {
    it(`${template.id}: renders every indicator`, async () => {
      const page = await open(`/templates/${template.id}`);
      try {
        await expect(page.locator('h1').textContent()).resolves.toBe(template.title);
        const rendered = await page
          .locator('[data-indicator-id]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-indicator-id')));
        const expected = expectedIndicatorIds(template);
        expect(rendered).toHaveLength(expected.length);
        expect(rendered).toEqual(expected);
        if (template.kind !== 'plan') {
          const hasDescriptors =
            expected.length > 0 &&
            template.sections.some(function has(s): boolean {
              return s.indicators.some((i) => i.descriptors) || s.sections.some(has);
            });
          if (hasDescriptors) {
            // Descriptor rubrics are real tables with captions and scoped headers.
            expect(await page.locator('table caption').count()).toBeGreaterThan(0);
            expect(await page.locator('table th[scope="row"]').count()).toBeGreaterThan(0);
            expect(await page.locator('table th[scope="col"]').count()).toBeGreaterThan(0);
          }
        }
      } finally {
        await page.close();
      }
    });
  }
});

describe('accessibility (axe-core, WCAG 2.1 A and AA)', () => {
  const paths = [
    '/',
    '/templates',
    '/guidance',
    ...builtinTemplates.map((t) => `/templates/${t.id}`),
  ];
  for (const path of paths) {
    it(`${path}: no serious or critical violations`, async () => {
      const page = await open(path);
      try {
        const violations = await runAxe(page);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(
          bad,
          bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.targets.join('\n  ')}`).join('\n'),
        ).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe('keyboard', () => {
  it('skip link first, moves focus to main, then Tab reaches the first template link with a visible focus style', async () => {
    const page = await open('/templates');
    try {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => {
        const el = document.activeElement as HTMLAnchorElement | null;
        return { href: el?.getAttribute('href'), text: el?.textContent?.trim() };
      });
      expect(first.href).toBe('#main');
      expect(first.text).toMatch(/skip to main content/i);
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const box = document.activeElement?.getBoundingClientRect();
              return box !== undefined && box.top >= 0 && box.height > 0;
            }),
          { message: 'the skip link is on screen when focused' },
        )
        .toBe(true);

      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');

      const firstId = builtinTemplates[0]?.id;
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(
          (href) => document.activeElement?.getAttribute('href') === href,
          `/templates/${firstId}`,
        );
      }
      expect(reached, 'Tab from main reaches the first template link').toBe(true);

      const focusStyle = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const s = getComputedStyle(el);
        return {
          outlineStyle: s.outlineStyle,
          outlineWidth: s.outlineWidth,
          boxShadow: s.boxShadow,
          focusVisible: el.matches(':focus-visible'),
        };
      });
      expect(focusStyle.focusVisible).toBe(true);
      const outlineVisible =
        focusStyle.outlineStyle !== 'none' && focusStyle.outlineWidth !== '0px';
      const shadowVisible = focusStyle.boxShadow !== 'none';
      expect(outlineVisible || shadowVisible, JSON.stringify(focusStyle)).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe('unknown template', () => {
  it('is a 404 with a heading and a way back', async () => {
    const page = await context.newPage();
    try {
      const res = await page.goto(`${baseUrl}/templates/no-such-template`);
      expect(res?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toMatch(/not found/i);
      await expect(page.title()).resolves.toMatch(/not found/i);
      expect(await page.locator('main a[href="/templates"]').count()).toBeGreaterThan(0);
      const violations = await runAxe(page);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
        [],
      );
    } finally {
      await page.close();
    }
  });
});

describe('guidance', () => {
  it('shows every group of the CCE guidance, with the pitfalls as a facilitator check', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/guidance`);
      const groups = await page
        .locator('[data-guidance-group]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-guidance-group')));
      expect(groups).toEqual(guidance.groups.map((g) => g.id));
      const entries = await page.locator('[data-guidance-group] article h3').count();
      expect(entries).toBe(guidance.groups.reduce((n, g) => n + g.entries.length, 0));
      const check = guidance.groups.find((g) => g.use === 'check')!;
      await expect(
        page.locator(`[data-guidance-group="${check.id}"] .extra-label`).textContent(),
      ).resolves.toBe('Facilitator check');
    } finally {
      await page.close();
    }
  });
});
