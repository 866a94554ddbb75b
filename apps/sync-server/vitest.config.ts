import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    // Unit tests beside the code; behaviour tests (real sockets, a scratch database) in test/.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Budgets for a failing run to give up, not speed checks: a busy 2-core CI machine is many
    // times slower than a quiet one, and a test waits on several conditions (20 s each at most).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
