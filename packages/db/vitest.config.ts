import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // PGlite takes several seconds to start (WebAssembly); each file shares one instance, but
    // some tests open one or two of their own (16 s for two on a busy 2-core machine). Budgets
    // for a failing run to give up, not speed checks.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
