import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  test: {
    include: ['src/**/*.test.ts'],
    // A budget, not a speed check: argon2 hashing takes ~0.5 s alone and ten times that on a
    // busy 2-core CI machine, past Vitest's 5 s default.
    testTimeout: 30_000,
  },
});
