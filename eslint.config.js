// One flat ESLint config for the whole monorepo: TypeScript, Svelte 5, and Prettier for layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      '**/.turbo/**',
      '**/coverage/**',
      'packages/db/drizzle/**',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // The web app shares only @concord/sync-protocol with the sync server; only its one-process
    // host (apps/web/host) starts the server itself.
    files: ['apps/web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@concord/sync-server', '@concord/sync-server/*'],
              message:
                'Import what the web app shares with the sync server from @concord/sync-protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    // Browser code: the ticket format needs node:crypto and is the server side's alone.
    files: [
      'apps/web/src/lib/sync/**',
      'apps/web/src/lib/components/**',
      'apps/web/src/service-worker.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@concord/sync-server',
                '@concord/sync-server/*',
                '@concord/sync-protocol/ticket',
              ],
              message:
                'Browser code imports only @concord/sync-protocol (message numbers, close codes).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may poke at untyped JSON fixtures.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
