/**
 * Database configuration, validated once at start so a bad value stops the process with a message
 * naming the variable and what to do, instead of failing on the first query.
 *
 * No DATABASE_URL: embedded PGlite in a data directory (PGLITE_DATA_DIR, default
 * `.concord/pglite` under the repository root; `memory://` for a throw-away database).
 * DATABASE_URL set: PostgreSQL through a `pg` pool.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { POSTGRES_POOL_MAX } from './limits.js';

export const PGLITE_MEMORY = 'memory://';

export type DbConfig =
  { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolMax: number };

/** What a caller may pass to createDb instead of reading the environment. */
export interface DbConfigInput {
  databaseUrl?: string | undefined;
  pgliteDataDir?: string | undefined;
  poolMax?: number | undefined;
}

export class DbConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid database configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DbConfigError';
  }
}

const postgresUrl = z
  .string()
  .trim()
  .min(1, 'is empty; unset it to use the embedded database, or give a postgres:// URL')
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
      } catch {
        return false;
      }
    },
    {
      message:
        'must be a PostgreSQL URL like postgres://user:password@host:5432/database (or unset, to use the embedded database)',
    },
  );

const InputSchema = z.strictObject({
  databaseUrl: postgresUrl.optional(),
  pgliteDataDir: z
    .string()
    .trim()
    .min(1, 'is empty; unset it for the default (.concord/pglite) or give a directory or memory://')
    .optional(),
  poolMax: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .optional(),
});

/** The variable each input field comes from, for messages that name what the user set. */
const VARIABLE: Record<keyof DbConfigInput, string> = {
  databaseUrl: 'DATABASE_URL',
  pgliteDataDir: 'PGLITE_DATA_DIR',
  poolMax: 'DATABASE_POOL_MAX',
};

/** Reads DATABASE_URL, PGLITE_DATA_DIR and DATABASE_POOL_MAX; empty values count as unset. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): DbConfig {
  const pool = env.DATABASE_POOL_MAX;
  if (pool !== undefined && pool !== '' && !/^\d+$/.test(pool.trim())) {
    throw new DbConfigError([`DATABASE_POOL_MAX: must be a whole number (got "${pool}")`]);
  }
  return parseDbConfig({
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDataDir: env.PGLITE_DATA_DIR || undefined,
    poolMax: pool ? Number(pool) : undefined,
  });
}

/** Validates explicit settings; throws DbConfigError with one line per bad value. */
export function parseDbConfig(input: DbConfigInput): DbConfig {
  const parsed = InputSchema.safeParse(input);
  if (!parsed.success) {
    throw new DbConfigError(
      parsed.error.issues.map((i) => {
        const key = i.path[0] as keyof DbConfigInput | undefined;
        const name = key && key in VARIABLE ? VARIABLE[key] : String(key ?? 'config');
        const got = key && key in input ? ` (got "${redact(String(input[key]))}")` : '';
        return `${name}: ${i.message}${got}`;
      }),
    );
  }
  const { databaseUrl, pgliteDataDir, poolMax } = parsed.data;
  if (databaseUrl !== undefined) {
    return { kind: 'postgres', url: databaseUrl, poolMax: poolMax ?? POSTGRES_POOL_MAX };
  }
  return { kind: 'pglite', dataDir: resolveDataDir(pgliteDataDir) };
}

/** A description safe for logs: the URL without its password. */
export function describeDbConfig(config: DbConfig): string {
  return config.kind === 'postgres'
    ? `PostgreSQL at ${redact(config.url)}`
    : config.dataDir === PGLITE_MEMORY
      ? 'PGlite in memory (nothing is kept after exit)'
      : `PGlite in ${config.dataDir}`;
}

function redact(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value;
  }
}

function resolveDataDir(dir: string | undefined): string {
  if (dir === undefined) return join(repoRoot(), '.concord', 'pglite');
  if (dir.startsWith(PGLITE_MEMORY)) return dir;
  return isAbsolute(dir) ? dir : resolve(dir);
}

/** The monorepo root (where pnpm-workspace.yaml is), found from this file; else the cwd. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}
