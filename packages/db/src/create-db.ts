/**
 * Opening the database: PGlite (embedded, in a data directory or in memory) when there is no
 * DATABASE_URL, PostgreSQL through a `pg` pool when there is. Either way the caller gets one
 * handle with a drizzle instance over the same schema, the migrations already applied, and
 * close().
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import pg from 'pg';
import {
  configFromEnv,
  describeDbConfig,
  parseDbConfig,
  PGLITE_MEMORY,
  type DbConfig,
  type DbConfigInput,
} from './config.js';
import { DatabaseUnavailableError } from './errors.js';
import { POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_STATEMENT_TIMEOUT_MS } from './limits.js';
import { migrate } from './migrate.js';
import * as schema from './schema/index.js';
import { pgliteRunner, postgresRunner, type SqlRunner } from './sql-runner.js';

export type Schema = typeof schema;

interface HandleBase {
  config: DbConfig;
  /** Raw SQL for the document store (named statements on PostgreSQL). */
  sql: SqlRunner;
  /** Closes the pool or the embedded database. Idempotent. */
  close(): Promise<void>;
}

export interface PgliteHandle extends HandleBase {
  kind: 'pglite';
  db: PgliteDatabase<Schema>;
  client: PGlite;
}

export interface PostgresHandle extends HandleBase {
  kind: 'postgres';
  db: NodePgDatabase<Schema>;
  pool: pg.Pool;
}

export type DbHandle = PgliteHandle | PostgresHandle;

export interface CreateDbOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/**
 * Opens the database. With no `config`, reads DATABASE_URL, PGLITE_DATA_DIR and
 * DATABASE_POOL_MAX from the environment; a `config` object replaces the environment entirely
 * (so a test asking for `{ pgliteDataDir: 'memory://' }` gets PGlite even where DATABASE_URL is
 * set). Throws DbConfigError for bad settings and DatabaseUnavailableError when PostgreSQL
 * cannot be reached.
 */
export async function createDb(
  config?: DbConfigInput | DbConfig,
  options: CreateDbOptions = {},
): Promise<DbHandle> {
  const resolved =
    config === undefined
      ? configFromEnv()
      : 'kind' in config
        ? parseDbConfig(
            config.kind === 'postgres'
              ? { databaseUrl: config.url, poolMax: config.poolMax }
              : { pgliteDataDir: config.dataDir },
          )
        : parseDbConfig(config);
  const handle = resolved.kind === 'pglite' ? await openPglite(resolved) : openPostgres(resolved);
  if (options.migrate ?? true) {
    try {
      await migrate(handle);
    } catch (error) {
      await handle.close();
      throw isConnectionError(error)
        ? new DatabaseUnavailableError(describeDbConfig(resolved), error)
        : error;
    }
  }
  return handle;
}

async function openPglite(config: DbConfig & { kind: 'pglite' }): Promise<PgliteHandle> {
  if (!config.dataDir.startsWith(PGLITE_MEMORY)) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir);
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    config,
    client,
    db: drizzlePglite({ client, schema }),
    sql: pgliteRunner(client),
    close: () => (closed ??= client.close()),
  };
}

function openPostgres(config: DbConfig & { kind: 'postgres' }): PostgresHandle {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    statement_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
  });
  // An idle connection that dies (server restart, network blip) is reported here; without a
  // listener it would crash the process. The pool replaces it on the next checkout, and the
  // query that needs it fails with an error its caller retries.
  pool.on('error', () => {});
  // pg-pool listens for 'error' on idle clients only: a client checked out for a transaction (the
  // group committer's appends) whose socket dies would emit 'error' with no listener, which Node
  // turns into an uncaught exception. The query in flight already fails with the same error.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    config,
    pool,
    db: drizzleNodePg({ client: pool, schema }),
    sql: postgresRunner(pool),
    close: () => (closed ??= pool.end()),
  };
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(error.message)) {
    return true;
  }
  // drizzle wraps driver errors in a DrizzleQueryError whose cause is the driver's error.
  return error.cause !== undefined && isConnectionError(error.cause);
}

/** Socket errors, and PostgreSQL's "no such database" (3D000) and authentication failures. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  '3D000',
  '28P01',
  '28000',
]);
