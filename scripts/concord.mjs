#!/usr/bin/env node
/**
 * The two README commands, runnable on a fresh clone with only Node and npm:
 *   npm start  -> install, build, start Concord (web app + sync server) and print where it is
 *   npm test   -> install, build, type-check and lint, then run every test and benchmark smoke
 * pnpm is taken from the PATH when present, otherwise fetched once through npx at the version
 * pinned in package.json's packageManager field.
 */
import { spawn, spawnSync } from 'node:child_process';
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

function install() {
  run(['install', '--frozen-lockfile']);
}

async function start() {
  install();
  run(['build']);
  const webPort = process.env.PORT ?? '3000';
  const syncPort = process.env.SYNC_PORT ?? '1234';
  const host = process.env.HOST ?? '127.0.0.1';
  // The web app signs sync tickets and the sync server checks them: both need the same secret.
  const ticketSecret = process.env.SYNC_TICKET_SECRET ?? randomBytes(32).toString('base64url');
  const children = [
    spawn(process.execPath, ['apps/sync-server/dist/main.js'], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        SYNC_TICKET_SECRET: ticketSecret,
        PORT: syncPort,
        HOST: host,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
    }),
    spawn(process.execPath, ['apps/web/build/index.js'], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        SYNC_TICKET_SECRET: ticketSecret,
        PORT: webPort,
        HOST: host,
        ORIGIN: process.env.ORIGIN ?? `http://${host}:${webPort}`,
      },
    }),
  ];
  const stop = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  };
  for (const c of children) {
    c.on('exit', (code) => {
      if (code !== 0 && code !== null) {
        console.error(`A Concord process exited with code ${code}; stopping.`);
        stop();
        process.exitCode = code;
      }
    });
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const url = `http://${host}:${webPort}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`
Concord is running.
  Web app:     ${url}
  Sync server: http://${host}:${syncPort}/health
  Rubric catalogue: ${url}/templates

Press Ctrl+C to stop.`);
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
