/**
 * The browser benchmarks (P7, P8, P9) run under Vitest so they start the production host exactly
 * as the browser tests do (their globalSetup) and reuse their helpers; files run one after
 * another, each with its own Chromium.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    include: ['browser/**/*.test.ts'],
    globalSetup: ['../tests/setup/web-server.ts'],
    fileParallelism: false,
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 300_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
