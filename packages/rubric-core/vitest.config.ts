import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  test: {
    include: ['src/**/*.test.ts'],
    // A budget, not a speed check: property tests that take a fraction of a second alone can
    // take ten times that on a busy 2-core CI machine, past Vitest's 5 s default.
    testTimeout: 30_000,
  },
});
