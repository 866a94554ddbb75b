/**
 * Vitest globalSetup of the sync tests: makes sure `apps/sync-server/dist` is built from the
 * current sources before any test spawns it. Turbo decides what is stale (it hashes the sources
 * of the server and of the packages it depends on), so an up-to-date build costs ~0.1 s.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './server.js';

export default function setup(): void {
  const started = Date.now();
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@concord/sync-server', '--output-logs=errors-only'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) {
    throw new Error(
      `Building the sync server for the sync tests failed (pnpm exec turbo run build --filter=@concord/sync-server, exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
  const ms = Date.now() - started;
  if (ms > 2_000) console.log(`sync tests: built @concord/sync-server in ${ms} ms`);
}
