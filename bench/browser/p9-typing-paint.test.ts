/**
 * P9 (typing on the largest page while someone else types on it): two raters have the School
 * Planning Tool (83 indicators) open; Ana types in the evidence of the first indicator while Ben
 * types in the evidence of the second, which Ana's page shows (its editor is in view). In Ana's
 * page the Event Timing API reports each event's duration, from the event's hardware timestamp to
 * the next paint after its handlers ran (`PerformanceObserver`, type 'event', durationThreshold
 * 16, the smallest the API allows; durations are rounded to 8 ms). A key's figure is the longest
 * of its keydown, keypress, beforeinput, input and keyup entries; a key with no entry took under
 * 16 ms for every one of its events. Keys are told apart by the keydown times recorded by a
 * listener in the page (an entry's startTime is its event's timeStamp).
 *
 *   BENCH_WRITE=1 pnpm --filter @concord/bench bench:browser   3 runs of KEYS keys, writes (P9)
 *   BENCH_SMOKE=1 ...                                           one run of 10 keys, no figures
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../tests/e2e/browser.js';
import { focusEvidence } from '../../tests/e2e/evidence-support.js';
import {
  LARGEST_INDICATORS,
  LARGEST_TITLE,
  SMOKE,
  WRITE,
  benchWorkspace,
  date,
  documentPath,
  loadavg,
  machine,
  median,
  medianSpread,
  openAs,
  percentile,
  runs,
  verdict,
  writeSection,
  type BenchWorkspace,
} from './support.js';

const KEYS = SMOKE ? 10 : Number(process.env.BENCH_KEYS ?? 100);
const KEY_INTERVAL_MS = 80;
const OTHER_INTERVAL_MS = 100;
const TARGET_MS = 50;
const THRESHOLD_MS = 16;
const KEY_EVENTS = ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'];

let browser: Browser;
let ws: BenchWorkspace;
let path: string;
/** The two fields typed in (the last run's). */
let fields = ['', ''];

beforeAll(async () => {
  browser = await launchChromium();
  ws = await benchWorkspace('Bench P9');
  path = await documentPath(browser, ws.ana, ws.workspaceId, LARGEST_TITLE);
});

afterAll(async () => {
  await browser?.close();
});

interface Entry {
  name: string;
  startTime: number;
  duration: number;
}

async function observe(page: Page, names: string[], threshold: number): Promise<void> {
  await page.evaluate(
    ({ names, threshold }) => {
      const w = window as unknown as { __entries: Entry[]; __keydowns: number[] };
      w.__entries = [];
      w.__keydowns = [];
      document.addEventListener('keydown', (e) => w.__keydowns.push(e.timeStamp), {
        capture: true,
      });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (names.includes(e.name)) {
            w.__entries.push({ name: e.name, startTime: e.startTime, duration: e.duration });
          }
        }
      }).observe({ type: 'event', durationThreshold: threshold } as PerformanceObserverInit);
    },
    { names, threshold },
  );
}

const letters = (n: number, from: number) =>
  Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((from + i * 5) % 26))).join('');

interface Run {
  /** Per key: its longest entry, or 0 when none reached the threshold. */
  keys: number[];
  reported: number;
}

async function once(): Promise<Run> {
  const a = await openAs(browser, ws.ana, path);
  const b = await openAs(browser, ws.ben, path);
  try {
    const labels = await a.page
      .locator('[role="radiogroup"][aria-label^="Rating for "]')
      .evaluateAll((els) =>
        els.map((e) => e.getAttribute('aria-label')!.slice('Rating for '.length)),
      );
    expect(labels).toHaveLength(LARGEST_INDICATORS);
    // Some labels repeat across the tool's sections (so their fields share a name), and the
    // tests' helper finds a field by a name it contains ("6.1" is in "6.10"): take the first
    // two labels that name one field each and are part of no other.
    const unique = labels.filter((l) => labels.filter((m) => m.includes(l)).length === 1);
    const [mine, theirs] = [unique[0]!, unique[1]!];
    fields = [mine, theirs];
    console.log(`P9: Ana types in "Evidence for ${mine}", Ben in "Evidence for ${theirs}"`);
    await focusEvidence(b.page, theirs);
    await focusEvidence(a.page, mine);
    await observe(a.page, KEY_EVENTS, THRESHOLD_MS);
    let typing = true;
    const other = (async () => {
      let i = 0;
      while (typing) {
        await b.page.keyboard.type(letters(10, i), { delay: OTHER_INTERVAL_MS });
        i += 10;
      }
    })();
    try {
      await a.page.keyboard.type(letters(KEYS, 0), { delay: KEY_INTERVAL_MS });
    } finally {
      typing = false;
      await other;
    }
    // Entries are delivered after the paint that ends them.
    await a.page.waitForTimeout(500);
    const { entries, keydowns } = await a.page.evaluate(() => {
      const w = window as unknown as { __entries: Entry[]; __keydowns: number[] };
      return { entries: w.__entries, keydowns: w.__keydowns };
    });
    expect(keydowns).toHaveLength(KEYS);
    const keys = keydowns.map((down, i) => {
      const next = keydowns[i + 1] ?? Infinity;
      const own = entries.filter((e) => e.startTime >= down - 0.5 && e.startTime < next - 0.5);
      return Math.max(0, ...own.map((e) => e.duration));
    });
    return { keys, reported: keys.filter((d) => d > 0).length };
  } finally {
    await a.context.close();
    await b.context.close();
  }
}

/** A percentile that fell among keys under the threshold is "< 16". */
const fmt = (n: number) => (n < THRESHOLD_MS ? `< ${THRESHOLD_MS}` : n.toFixed(0));

describe('P9: event to next paint while another person types', () => {
  it('measures key events on the 83-indicator page with Event Timing', async () => {
    const before = loadavg();
    const results: Run[] = [];
    for (let i = 0; i < runs(SMOKE); i++) results.push(await once());
    const after = loadavg();
    const p95s = results.map((r) => percentile(r.keys, 95));
    const p50s = results.map((r) => percentile(r.keys, 50));
    const maxes = results.map((r) => Math.max(...r.keys));
    for (const [i, r] of results.entries()) {
      console.log(
        `P9 run ${i + 1}: ${r.keys.length} keys, ${r.reported} with an entry ≥ ${THRESHOLD_MS} ms; ` +
          `p50 ${fmt(p50s[i]!)} ms, p95 ${fmt(p95s[i]!)} ms, max ${fmt(maxes[i]!)} ms`,
      );
    }
    if (SMOKE) console.log('[smoke run: not a measurement]');
    if (WRITE && !SMOKE) {
      const met = median(p95s) <= TARGET_MS;
      const cell = (xs: number[]) =>
        xs.every((x) => x < THRESHOLD_MS) ? `< ${THRESHOLD_MS} (every run)` : medianSpread(xs, fmt);
      writeSection(
        'P9',
        `
## P9: typing on the 83-indicator page while another person types on it

Measured ${date()} on ${machine()}.
Command: \`BENCH_WRITE=1 pnpm --filter @concord/bench bench:browser\` (bench/browser/p9-typing-paint.test.ts).
Production build (web app and sync server in one process, a scratch PostgreSQL 15 database) on 127.0.0.1; one headless
Chromium, two browser contexts (1280x900), two raters on the School Planning Tool (${LARGEST_INDICATORS} indicators on one page).
Ana types ${KEYS} letters into "Evidence for ${fields[0]}" (one key every ${KEY_INTERVAL_MS} ms) while Ben types into
"Evidence for ${fields[1]}" (one key every ${OTHER_INTERVAL_MS} ms; the first two labels that name one field each on the page), which is in view on Ana's page, so her page also renders
his text and caret. In Ana's page the Event Timing API (\`PerformanceObserver\`, type \`event\`, \`durationThreshold: ${THRESHOLD_MS}\`,
the API's minimum; durations rounded to 8 ms) reports each event's time from its timestamp to the next paint after its handlers.
A key's figure is the longest of its ${KEY_EVENTS.join(', ')} entries; a key without any entry took under ${THRESHOLD_MS} ms for
every one of them, so a percentile that falls among those keys reads "< ${THRESHOLD_MS}".
${results.length} runs, each with fresh contexts; cells are the median of the runs (min–max).
1-minute load average ${before} before, ${after} after (other engineers' tests were running on the machine).

| keys per run | keys with an entry ≥ ${THRESHOLD_MS} ms | p50 ms | p95 ms | max ms | target p95 | |
|---|---|---|---|---|---|---|
| ${KEYS} | ${medianSpread(
          results.map((r) => r.reported),
          (n) => n.toFixed(0),
        )} | ${cell(p50s)} | ${cell(p95s)} | ${cell(maxes)} | ≤ ${TARGET_MS} | ${verdict(met)} |
`,
      );
    }
  });
});
