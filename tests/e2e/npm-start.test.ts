/**
 * What `npm start` prints (issue 27): on a fresh clone a newcomer must read nothing that looks
 * like a failure when nothing failed, and the address and sign-ins come last.
 *
 * - scripts/concord.mjs runs with a stand-in `pnpm` first on the PATH that prints what the real
 *   install and build print on a fresh clone (bin warnings, ignored build scripts, an empty chunk,
 *   plugin timings) and succeeds: none of it reaches the screen; then the real host (the
 *   production build, an in-memory database) seeds the demo and its banner ends the output. A
 *   stand-in build that fails shows its output and the failed command, and start stops there.
 * - The causes, on the repository itself: no workspace package declares a `bin` inside its build
 *   output (pnpm links bins at install, before any build: "Failed to create bin … ENOENT"), and
 *   every installed dependency with a build script is either allowed or ignored in
 *   pnpm-workspace.yaml (else pnpm prints "Ignored build scripts" at every install).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '../setup/server.js';

const FRESH_CLONE_NOISE = [
  ' WARN  Failed to create bin at apps/web/node_modules/.bin/concord-seed. ENOENT',
  '│   Ignored build scripts: sqlite3@5.1.7.                                      │',
  'Generated an empty chunk: "chunks/env.js".',
  '[PLUGIN_TIMINGS] JavaScript callbacks ran for 13.1s.',
];

let fakeBin = '';

beforeAll(async () => {
  fakeBin = await mkdtemp(join(tmpdir(), 'concord-fake-pnpm-'));
});

afterAll(async () => {
  await rm(fakeBin, { recursive: true, force: true });
});

/** A `pnpm` that answers --version like the pinned one and prints the noise for anything else. */
async function fakePnpm(options: { failBuild: boolean }): Promise<void> {
  const pinned = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { packageManager: string }
  ).packageManager.replace(/^pnpm@/, '');
  const script = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${pinned}"; exit 0; fi
cat <<'NOISE'
${FRESH_CLONE_NOISE.join('\n')}
NOISE
if [ "$1" = "build" ] && [ "${options.failBuild ? 'yes' : 'no'}" = "yes" ]; then
  echo "src/routes/+page.svelte: a build error" >&2
  exit 3
fi
exit 0
`;
  const path = join(fakeBin, 'pnpm');
  await writeFile(path, script);
  await chmod(path, 0o755);
}

/** Runs `node scripts/concord.mjs start` until the host's last line (or exit); returns its output. */
async function npmStart(): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ['scripts/concord.mjs', 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PATH: `${fakeBin}:${process.env.PATH ?? ''}`,
      PGLITE_DATA_DIR: 'memory://',
      DEMO_SEED: 'auto',
      PORT: String(await freePort()),
      SYNC_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline && child.exitCode === null && !/Press Ctrl\+C/.test(output)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // Whatever the host would print after its banner arrives within a moment.
  await new Promise((r) => setTimeout(r, 500));
  if (child.exitCode === null) child.kill('SIGTERM');
  const code = await exited;
  return { output, code };
}

describe('npm start', () => {
  it('prints one line per step, no tool noise, and the address and sign-ins last', async () => {
    await fakePnpm({ failBuild: false });
    const { output } = await npmStart();
    for (const noise of FRESH_CLONE_NOISE) expect(output).not.toContain(noise.trim());
    expect(output).not.toMatch(/WARN|warning|Listening on/i);
    expect(output).toMatch(/^Installing dependencies… done\.\nBuilding Concord[^\n]*… done/m);
    const lines = output.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('Press Ctrl+C to stop.');
    const banner = output.slice(output.indexOf('Concord is running.'));
    expect(banner).toMatch(/Web app: +http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toContain('owner@demo.concord.test');
    expect(banner).toContain('password for all: concord-demo-2026');
  }, 180_000);

  it('shows a failing step’s output and the command, and starts nothing', async () => {
    await fakePnpm({ failBuild: true });
    const { output, code } = await npmStart();
    expect(code).toBe(3);
    expect(output).toContain('Building Concord');
    expect(output).toContain('failed.');
    expect(output).toContain('src/routes/+page.svelte: a build error');
    expect(output).toContain('✗ pnpm build failed (exit 3).');
    expect(output).not.toContain('Concord is running.');
  }, 60_000);
});

describe('the causes of install noise', () => {
  const packageDirs = ['apps', 'packages']
    .flatMap((group) =>
      readdirSync(join(REPO_ROOT, group)).map((name) => join(REPO_ROOT, group, name)),
    )
    .concat([join(REPO_ROOT, 'tests'), join(REPO_ROOT, 'bench')])
    .filter((dir) => existsSync(join(dir, 'package.json')));

  it('no workspace package declares a bin that only a build makes', () => {
    const built: string[] = [];
    for (const dir of packageDirs) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        bin?: string | Record<string, string>;
      };
      const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
      for (const bin of bins) {
        if (/(^|\/)(dist|build)\//.test(bin)) built.push(`${pkg.name}: ${bin}`);
      }
    }
    expect(built).toEqual([]);
  });

  it('every installed dependency with a build script is allowed or ignored', () => {
    const workspace = readFileSync(join(REPO_ROOT, 'pnpm-workspace.yaml'), 'utf8');
    const listed = new Set(
      [...workspace.matchAll(/^\s+-\s+'?([^'\s]+)'?\s*$/gm)].map((m) => m[1] ?? ''),
    );
    const store = join(REPO_ROOT, 'node_modules/.pnpm');
    const unlisted = new Set<string>();
    for (const entry of readdirSync(store)) {
      const modules = join(store, entry, 'node_modules');
      if (!existsSync(modules)) continue;
      // The entry's own package: "@scope+name@1.2.3_peer…" -> "@scope/name".
      const name = entry.slice(0, entry.indexOf('@', 1)).replace('+', '/');
      const manifest = join(modules, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
        scripts?: Record<string, string>;
      };
      const scripts = pkg.scripts ?? {};
      const builds =
        ['preinstall', 'install', 'postinstall'].some((s) => s in scripts) ||
        existsSync(join(modules, name, 'binding.gyp'));
      if (builds && !listed.has(name)) unlisted.add(name);
    }
    expect([...unlisted].sort()).toEqual([]);
  });
});
