import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { concordDevBackend } from './host/dev.js';

/**
 * Workspace packages (e.g. @concord/rubric-core) export a "@concord/source" condition that points
 * at their TypeScript source. Putting it first, in both the client and the SSR environment, makes
 * `vite dev` and `vite build` compile the packages from source: no need to build them first, edits
 * show up with HMR, and the production server bundle (adapter-node) is self-contained because
 * linked workspace packages are never externalized by Vite's SSR build.
 */
const SOURCE = '@concord/source';

export default defineConfig({
  plugins: [sveltekit(), concordDevBackend()],
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: {
    resolve: { conditions: [SOURCE, ...defaultServerConditions] },
    // Not bundled, imported at run time from node_modules instead: @concord/db (its built dist/,
    // which finds its SQL migrations beside itself, and brings PGlite's WebAssembly and pg) and
    // argon2's native code (a direct dependency of this app for that reason).
    external: ['@concord/db', '@node-rs/argon2'],
    // Bundled: their subpath entry points (…/element/adapter) are folders with a package.json,
    // which Node's ES module loader cannot import from node_modules at run time.
    noExternal: ['@atlaskit/pragmatic-drag-and-drop', '@atlaskit/pragmatic-drag-and-drop-hitbox'],
  },
  build: {
    // Rolldown's report of slow plugin callbacks is a profiling hint, printed at every build as a
    // warning (SvelteKit's own write step always trips it): off, so a build prints only problems.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  test: {
    include: ['src/**/*.test.ts'],
    passWithNoTests: true,
    // Budgets, not speed checks: tests on a scratch PostgreSQL database that take a few hundred
    // ms alone can take ten times that on a busy 2-core CI machine, past Vitest's 5 s default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
