/**
 * Opening the database: PGlite (embedded, in a data directory or in memory) when there is no
 * DATABASE_URL, PostgreSQL through a `pg` pool when there is. Either way the caller gets one
 * handle with a drizzle instance over the same schema, the migrations already applied, and
 * close().
 *
 * Each driver (PGlite and its drizzle adapter; `pg` and its drizzle adapter) is imported only
 * when that kind of database is opened: a process on PostgreSQL never loads the embedded
 * database, which costs memory in every server process (measured: ~8 MB RSS). On PostgreSQL the
 * pool keeps POSTGRES_POOL_MIN connections open and opens them before createDb returns, so the
 * first requests after a start (the access check and the document load of a cold open) do not
 * wait for TCP and PostgreSQL's connection start-up.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type pg from 'pg';
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

/** Connections the PostgreSQL pool keeps open however idle (capped by the pool's max): the
 * group committer holds one per transaction, and a read (an access check, a document load) runs
 * beside it without opening a connection on the request's path. Kept small: every process (and
 * every test file's handle) holds this many of the server's max_connections (default 100). */
export const POSTGRES_POOL_MIN = 2;

/** How long a connection beyond POSTGRES_POOL_MIN may sit idle before the pool closes it
 * (pg-pool's default is 10 s, which closed the warm connections between two bursts). */
export const POSTGRES_IDLE_TIMEOUT_MS = 60_000;

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
  const handle =
    resolved.kind === 'pglite' ? await openPglite(resolved) : await openPostgres(resolved);
  try {
    if (options.migrate ?? true) await migrate(handle);
    if (handle.kind === 'postgres') await warmUp(handle.pool, handle.config);
  } catch (error) {
    await handle.close();
    throw isConnectionError(error)
      ? new DatabaseUnavailableError(describeDbConfig(resolved), error)
      : error;
  }
  return handle;
}

async function openPglite(config: DbConfig & { kind: 'pglite' }): Promise<PgliteHandle> {
  if (!config.dataDir.startsWith(PGLITE_MEMORY)) mkdirSync(config.dataDir, { recursive: true });
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
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

async function openPostgres(config: DbConfig & { kind: 'postgres' }): Promise<PostgresHandle> {
  const [{ default: pg }, { drizzle: drizzleNodePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    min: poolMin(config),
    idleTimeoutMillis: POSTGRES_IDLE_TIMEOUT_MS,
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

function poolMin(config: DbConfig): number {
  return config.kind === 'postgres' ? Math.min(POSTGRES_POOL_MIN, config.poolMax) : 0;
}

/** Opens the pool's minimum of connections at once and returns them, where `min` keeps them. */
async function warmUp(pool: pg.Pool, config: DbConfig): Promise<void> {
  const clients = await Promise.all(Array.from({ length: poolMin(config) }, () => pool.connect()));
  for (const client of clients) client.release();
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
