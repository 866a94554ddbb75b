import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // A budget, not a speed check: a test that takes 0.5 s alone can take ten times that on a
    // busy 2-core CI machine, past Vitest's 5 s default.
    testTimeout: 30_000,
  },
});
