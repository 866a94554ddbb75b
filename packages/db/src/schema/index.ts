/**
 * The whole schema, one for PGlite and PostgreSQL. drizzle-kit generates the migrations in
 * drizzle/ from this module (see drizzle.config.ts); `pnpm --filter @concord/db generate`.
 */
export * from './enums.js';
export * from './accounts.js';
export * from './organisations.js';
export * from './documents.js';
export * from './dashboards.js';
export * from './audit.js';
export * from './rounds.js';
export * from './data-migrations.js';
