/**
 * Starts a sync server on an open database: the document store, the one group committer,
 * authorization against the database (the access policy and the audit-log watcher), the app,
 * listening. Used by `main.ts` (its own process) and by a host that runs the web app and the sync
 * server in one process (on PGlite only one process may open the data directory).
 * `stop()` shuts down gracefully: the hub drains (accepted updates stored and acknowledged,
 * clients closed with 1012), then the committer flushes. The database stays the caller's.
 */
import { createDocumentStore, describeDbConfig, GroupCommitter, type DbHandle } from '@concord/db';
import type { FastifyInstance } from 'fastify';
import { databaseAccess } from './access.js';
import { AccessWatcher } from './access-watcher.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';

/** What /ready and /health ask the database: a round trip, nothing more. */
const READY_QUERY = { name: 'concord_ready', text: 'select 1' };

export interface SyncServer {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:1234. */
  url: string;
  /** `onStep` hears each step as it begins (for a log line when a stop hangs). */
  stop(onStep?: (step: string) => void): Promise<void>;
}

export async function startSyncServer(
  config: Pick<
    Config,
    | 'host'
    | 'port'
    | 'logLevel'
    | 'ticketSecret'
    | 'ticketSecretGenerated'
    | 'limits'
    | 'redisUrl'
    | 'redisChannelPrefix'
  >,
  db: DbHandle,
): Promise<SyncServer> {
  const store = createDocumentStore(db);
  const committer = new GroupCommitter(store);
  const app = buildApp({
    logLevel: config.logLevel,
    store,
    committer,
    ticketSecret: config.ticketSecret,
    limits: config.limits,
    access: databaseAccess(db),
    accessChanges: new AccessWatcher({ sql: db.sql }),
    checkDatabase: () => db.sql.query(READY_QUERY),
    rounds: { sql: db.sql },
    projection: { sql: db.sql },
    ...(config.redisUrl && { redisUrl: config.redisUrl }),
    redisChannelPrefix: config.redisChannelPrefix,
  });
  app.log.info(
    {
      database: describeDbConfig(db.config),
      redis: config.redisUrl ? 'on' : 'off',
      ...(app.fanout && { instanceId: app.fanout.instanceId }),
    },
    'database ready',
  );
  if (config.ticketSecretGenerated) {
    app.log.warn(
      'SYNC_TICKET_SECRET is not set: using a random secret for this process, so tickets from the web app will not verify (set it in both; required in production)',
    );
  }
  const url = await app.listen({ host: config.host, port: config.port });
  let stopped: Promise<void> | undefined;
  return {
    app,
    url,
    stop: (onStep) =>
      (stopped ??= (async () => {
        onStep?.('closing connections and storing accepted updates');
        await app.close();
        onStep?.('flushing the write queue');
        await committer.close();
      })()),
  };
}
