/**
 * Saves docs/screenshot-catalogue.png: a template page of the production build at 1280x900.
 * Usage (after `pnpm build`):
 *   pnpm --filter @concord/tests screenshot [template-id] [--path /some/page] [--full-page] [--out file.png]
 * --path, --full-page and --out are for reviewing other pages; the defaults make the catalogue image.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import { launchChromium } from '../e2e/browser.js';
import { REPO_ROOT, startWebServer } from '../setup/server.js';

const PREFERRED = ['schoolworks-fundamental-practices', 'ma-pln-district-conditions'];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    path: { type: 'string' },
    out: { type: 'string' },
    'full-page': { type: 'boolean', default: false },
  },
});
const id =
  positionals[0] ?? PREFERRED.find((candidate) => getBuiltinTemplate(candidate) !== undefined);
if (id === undefined && values.path === undefined) {
  throw new Error(`none of ${PREFERRED.join(', ')} is a built-in template yet; pass an id`);
}
const path = values.path ?? `/templates/${id}`;
const out = values.out ? resolve(values.out) : resolve(REPO_ROOT, 'docs/screenshot-catalogue.png');

const server = await startWebServer();
try {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const res = await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
    if (res?.status() !== 200) throw new Error(`${path} answered ${res?.status()}`);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: values['full-page'] });
    console.log(`saved ${out} (${path}, 1280x900${values['full-page'] ? ', full page' : ''})`);
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
