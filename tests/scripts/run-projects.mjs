#!/usr/bin/env node
/**
 * `pnpm test` in tests/: the two Vitest projects at once, each in its own process, files one at a
 * time within each. The sync project (R1 fuzz, R2 kill -9, R8 soak: child servers and
 * WebSocket clients) and the e2e project (a browser against the web build) each mostly wait on
 * their own processes, so side by side they finish minutes sooner than one after the other on a
 * 2-core machine. Output lines are prefixed with the project's name; the exit code is the
 * first failure's (every project runs to its end either way).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const projects = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['sync', 'e2e'];

function run(project) {
  const child = spawn('vitest', ['run', '--project', project], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
  });
  for (const stream of [child.stdout, child.stderr]) {
    const out = stream === child.stdout ? process.stdout : process.stderr;
    createInterface({ input: stream }).on('line', (line) => out.write(`[${project}] ${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`[${project}] could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// Stopped from outside (Ctrl-C, CI timeout): stop both.
const codes = await Promise.all(projects.map(run));
const failed = codes.find((c) => c !== 0);
process.exit(failed ?? 0);
