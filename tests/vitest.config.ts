import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Import workspace packages (e.g. builtinTemplates) from their TypeScript source.
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./setup/web-server.ts'],
    // Chromium takes a few seconds to start; pages with axe take a second or two each.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    // One browser per file; files run one after another so they do not compete for 2 cores.
    fileParallelism: false,
  },
});
