import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Import workspace packages (e.g. builtinTemplates) from their TypeScript source.
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    // Files run one after another within a project so they do not compete for 2 cores: a browser
    // per e2e file, a sync server process and 20 clients per sync file. `pnpm test` runs the two
    // projects side by side (scripts/run-projects.mjs): each mostly waits on its own processes.
    fileParallelism: false,
    // expect.poll waits for the server (argon2 hashing takes a moment on 2 shared cores). This
    // and the timeouts below are budgets for a failing run to give up, not speed checks: a busy
    // 2-core CI machine is many times slower than a quiet one.
    expect: { poll: { timeout: 30_000 } },
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['./setup/web-server.ts'],
          // Chromium takes a few seconds to start; pages with axe take a second or two each.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // The real sync server as a child process (R1 convergence fuzz, R2 kill -9): no web
          // server, so `vitest run --project sync` needs only the sync server's build.
          name: 'sync',
          include: ['sync/**/*.test.ts'],
          globalSetup: ['./setup/sync-server-build.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
