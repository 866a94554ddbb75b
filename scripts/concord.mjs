#!/usr/bin/env node
/**
 * The two README commands, runnable on a fresh clone with only Node and npm:
 *   npm start  -> install, build, start Concord (web app + sync server) and print where it is:
 *                 one line per step (the tools' output only if a step fails), then the host's
 *                 addresses and demo sign-ins, last
 *   npm test   -> install, build, type-check and lint, then run every test and benchmark smoke
 * pnpm is taken from the PATH when present, otherwise fetched once through npx at the version
 * pinned in package.json's packageManager field.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, '');

function pnpmCommand() {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false });
  if (found.status === 0 && found.stdout.trim().split('.')[0] === pnpmVersion.split('.')[0]) {
    return ['pnpm'];
  }
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

const pnpm = pnpmCommand();

function run(args, env = {}) {
  const [cmd, ...pre] = pnpm;
  console.log(`\n> pnpm ${args.join(' ')}`);
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) {
    console.error(`\n✗ pnpm ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

/**
 * `npm start`'s steps: one line each ("Installing dependencies… done"), the tools' own output
 * kept back and shown only when the step fails, so a newcomer reads nothing that looks like a
 * failure when nothing failed.
 */
async function quietly(what, args) {
  const [cmd, ...pre] = pnpm;
  process.stdout.write(`${what}… `);
  const started = Date.now();
  const child = spawn(cmd, [...pre, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const [code, signal] = await once(child, 'close');
  if (code !== 0) {
    process.stdout.write('failed.\n\n');
    process.stderr.write(Buffer.concat(output));
    console.error(`\n✗ pnpm ${args.join(' ')} failed (exit ${code ?? signal}).`);
    process.exit(code ?? 1);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(seconds >= 10 ? `done (${seconds} s).` : 'done.');
}

function install() {
  run(['install', '--frozen-lockfile']);
}

async function start() {
  await quietly('Installing dependencies', ['install', '--frozen-lockfile']);
  await quietly('Building Concord (a minute or two the first time)', ['build']);
  // One process hosts the web app and the sync server: on PGlite (the default) only one process
  // may open the data directory. It seeds the demo workspace on an empty database and prints
  // the addresses and demo sign-ins (apps/web/host/main.ts).
  const host = spawn(process.execPath, ['apps/web/build/host/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      // The web app signs sync tickets and the sync server checks them: both need the same secret.
      SYNC_TICKET_SECRET: process.env.SYNC_TICKET_SECRET ?? randomBytes(32).toString('base64url'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
  });
  const stop = () => {
    if (host.exitCode === null) host.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  host.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

function test() {
  install();
  run(['build']);
  run(['check']);
  run(['turbo', 'run', 'test', '--continue']);
  run(['turbo', 'run', 'bench'], { BENCH_SMOKE: '1' });
  console.log('\n✓ All checks, tests and benchmark smoke runs passed.');
}

const command = process.argv[2];
if (command === 'start') await start();
else if (command === 'test') test();
else {
  console.error('usage: node scripts/concord.mjs start|test');
  process.exit(2);
}
