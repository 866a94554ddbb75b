import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  ssr: { resolve: { conditions: ['@concord/source'] } },
  test: {
    // Unit tests beside the code; behaviour tests (real sockets, a scratch database) in test/.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
