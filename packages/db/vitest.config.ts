import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // PGlite takes several seconds to start (WebAssembly); each file shares one instance.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
