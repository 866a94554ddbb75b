import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@concord/source'] },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
