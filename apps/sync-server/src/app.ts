/**
 * Builds the Fastify application: GET /health (liveness, says `degraded` and why), GET /ready
 * (database and Redis reachable), GET /metrics (Prometheus), and GET /sync/:documentId, the
 * WebSocket endpoint (one socket per document). The ticket is checked in preValidation, before
 * the upgrade, so an unauthenticated client gets HTTP 401 and never a socket; then the access
 * policy (access.ts) decides what the member may do on the document now: 404 for no such
 * document, 403 without read, 503 while it cannot tell. The sync state lives in a SyncHub, reachable as `app.sync` (revoke, stats, shutdown); with a Redis URL the
 * app also owns the fan-out to other instances, and with a store that can compact, the
 * background compactor. Closing the app (SIGTERM in main.ts) first drains the hub: stored
 * updates acknowledged, clients closed with 1012; then compaction and Redis stop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import websocket from '@fastify/websocket';
import type { DocumentStore, GroupCommitter } from '@concord/db';
import { SYNC_PATH } from '@concord/sync-protocol';
import { TICKET_PROBLEM_TEXT, verifyTicket } from '@concord/sync-protocol/ticket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ACCESS_PROBLEM_STATUS, ACCESS_PROBLEM_TEXT, type AccessPolicy } from './access.js';
import type { AccessChangeSource } from './access-watcher.js';
import type { LogLevel } from './config.js';
import { Compactor, type CompactorOptions } from './compaction.js';
import { Health } from './health.js';
import { SyncHub, type Grant } from './hub.js';
import { CLOSE_SWEEP_MS, DEFAULT_LIMITS, wsMaxPayload, type Limits } from './limits.js';
import { MergeWorker } from './merge-worker.js';
import { SyncMetrics } from './metrics.js';
import { CLOSE } from './protocol.js';
import { RedisFanout } from './redis.js';
import { Projector, type ProjectorOptions } from './projection/projector.js';
import { RoundService, type RoundServiceOptions } from './rounds/round-service.js';
import type { SqlSession } from '@concord/db/rounds';

export const SERVICE_NAME = 'concord-sync-server';
/** The WebSocket endpoint (@concord/sync-protocol): the y-websocket client appends
 * `/<documentId>` to a server URL ending in this path. */
export { SYNC_PATH };

declare module 'fastify' {
  interface FastifyInstance {
    sync: SyncHub;
    syncMetrics: SyncMetrics;
    /** The fan-out to other instances; null without a Redis URL. */
    fanout: RedisFanout | null;
    /** The background compactor; null when the store cannot compact. */
    compactor: Compactor | null;
  }
  interface FastifyRequest {
    syncGrant: Grant | null;
  }
}

export interface AppOptions {
  logLevel?: LogLevel;
  /** Where log lines (JSON) go instead of stdout; tests read them. */
  logStream?: { write(line: string): void };
  /** With `compact`, documents are compacted in the background (compaction.ts). */
  store: Pick<DocumentStore, 'load'> & Partial<Pick<DocumentStore, 'compact'>>;
  committer: Pick<GroupCommitter, 'append'>;
  ticketSecret: string;
  limits?: Partial<Limits>;
  /** How long shutdown waits for unsaved updates (default SHUTDOWN_FLUSH_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
  /** Silence after which a connection gets a keepalive frame (default KEEPALIVE_IDLE_MS). */
  keepaliveIdleMs?: number;
  /** Who may do what on a document (main.ts: databaseAccess). Default: the ticket alone. */
  access?: AccessPolicy;
  /** Access changes made elsewhere (main.ts: the audit-log AccessWatcher). */
  accessChanges?: AccessChangeSource;
  /** A cheap database query for /ready and /health (main.ts: `select 1`). */
  checkDatabase?: () => Promise<unknown>;
  /** Rating rounds (round commands, progress), on the database's SQL; absent without one. */
  rounds?: { sql: SqlSession; options?: Pick<RoundServiceOptions, 'now' | 'progressDelayMs'> };
  /** The query tables kept in step with the documents (projection/projector.ts), on the
   * database's SQL; absent without one. */
  projection?: { sql: SqlSession; options?: Pick<ProjectorOptions, 'delayMs' | 'onProjected'> };
  /** Redis for fan-out between instances (REDIS_URL); without it, this instance is alone. */
  redisUrl?: string;
  /** Channel name prefix (REDIS_CHANNEL_PREFIX, default `concord:`). */
  redisChannelPrefix?: string;
  /** Compaction tuning (tests); `false` turns background compaction off. */
  compaction?: Omit<CompactorOptions, 'store' | 'log' | 'metrics'> | false;
}

const ParamsSchema = z.object({
  documentId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
      error: 'must be a document id (UUID)',
    })
    .transform((s) => s.toLowerCase()),
});

/** `ticket` must be given once; `ack=1` opts in to SAVED messages. */
const QuerySchema = z.object({
  ticket: z.string().optional(),
  ack: z.unknown().optional(),
});

export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream && { stream: options.logStream }),
      // Tickets are credentials: keep them out of request logs.
      serializers: {
        req: (req: { method: string; url: string; id?: unknown }) => ({
          method: req.method,
          url: redactTicket(req.url),
          reqId: req.id,
        }),
      },
    },
  });
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const startedAt = Date.now();
  // The hub is made below, after the services that read it at scrape time.
  let hubRef: SyncHub | null = null;
  let fanout: RedisFanout | null = null;
  const metrics = new SyncMetrics({
    connections: () => hubRef?.stats().connections ?? 0,
    rooms: () => hubRef?.stats().rooms ?? 0,
    pendingWrites: () => hubRef?.persistence.pending ?? 0,
    pendingWriteBytes: () => hubRef?.persistence.pendingBytes ?? 0,
    databaseDegraded: () => (hubRef?.persistence.degraded ? 1 : 0),
    mergeWorkerHeapBytes: () => merger?.heapBytes ?? 0,
    ...(options.redisUrl && {
      redisConnected: () => (fanout?.status === 'connected' ? 1 : 0),
    }),
  });
  if (options.redisUrl) {
    fanout = new RedisFanout({
      url: options.redisUrl,
      log: app.log,
      metrics,
      ...(options.redisChannelPrefix !== undefined && {
        channelPrefix: options.redisChannelPrefix,
      }),
    });
  }
  const compact = options.store.compact?.bind(options.store);
  // Compaction folds updates on a worker thread, started when first needed.
  const merger = compact && options.compaction !== false ? new MergeWorker() : null;
  const compactor =
    compact && merger && options.compaction !== false
      ? new Compactor({
          merge: merger.merge,
          ...options.compaction,
          store: { compact },
          log: app.log,
          metrics,
        })
      : null;
  const hub = new SyncHub({
    store: options.store,
    committer: options.committer,
    limits,
    log: app.log,
    ...(options.shutdownTimeoutMs !== undefined && {
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    }),
    ...(options.keepaliveIdleMs !== undefined && { keepaliveIdleMs: options.keepaliveIdleMs }),
    ...(options.access && { access: options.access }),
    ...(options.accessChanges && { accessChanges: options.accessChanges }),
    ...(options.rounds && {
      rounds: (h: SyncHub) =>
        new RoundService(h, { sql: options.rounds!.sql, log: app.log, ...options.rounds!.options }),
    }),
    ...(options.projection && {
      projection: (h: SyncHub) =>
        new Projector(h, {
          sql: options.projection!.sql,
          log: app.log,
          store: options.store,
          ...options.projection!.options,
        }),
    }),
    services: {
      metrics,
      ...(fanout && { fanout }),
      ...(compactor && { compactor }),
    },
  });
  hubRef = hub;
  // Once listening: catch the query tables up with what was stored but not projected before
  // (a crash, an import), in the background.
  app.addHook('onReady', async () => {
    void hub
      .catchUpProjections()
      .catch((error: unknown) => app.log.warn({ err: error }, 'projections not caught up'));
  });
  const health = new Health({
    persistence: hub.persistence,
    fanout: fanout ?? undefined,
    checkDatabase: options.checkDatabase,
  });
  app.decorate('sync', hub);
  app.decorate('syncMetrics', metrics);
  app.decorate('fanout', fanout);
  app.decorate('compactor', compactor);
  app.decorateRequest('syncGrant', null);
  // After the hub has drained (the websocket plugin's preClose): no more rooms to serve.
  let closeSweep: NodeJS.Timeout | undefined;
  // Every socket handed to the upgrade handler, until it closes. One whose upgrade is answered
  // with an HTTP status instead (503 while the server closes, a refused ticket) has left the
  // HTTP layer, which never destroys it: when the client hangs up, it sits half-open and holds
  // server.close() forever. The close sweep destroys what is left of them.
  const upgradeSockets = new Set<Duplex>();
  app.server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    upgradeSockets.add(socket);
    socket.once('close', () => upgradeSockets.delete(socket));
  });
  app.addHook('onClose', async () => {
    clearInterval(closeSweep);
    await compactor?.close();
    await merger?.close();
    await fanout?.close();
  });

  app.get('/health', async () => ({
    ...(await health.liveness()),
    service: SERVICE_NAME,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    ...hub.stats(),
    ...(fanout && { instanceId: fanout.instanceId }),
  }));

  app.get('/ready', async (_request, reply) => {
    const readiness = await health.readiness();
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });

  void app.register(websocket, {
    options: { maxPayload: wsMaxPayload(limits), perMessageDeflate: false },
    // `ws` reports a frame over maxPayload (and then closes with 1009 itself) or a broken
    // socket here; the default handler would log it as an error and cut the socket.
    errorHandler: (error, _socket, request) => {
      request.log.warn({ err: error }, 'websocket error');
    },
    preClose: async () => {
      await hub.shutdown();
      // A socket that finishes its upgrade while the hub drains is closed by accept(), but one
      // whose client never answers the close frame (it vanished mid-upgrade) would hold
      // server.close() for ws's 30 s close timeout, and one refused while closing (503) forever:
      // after a grace, cut whatever is left.
      closeSweep = setInterval(() => {
        for (const socket of app.websocketServer.clients) socket.terminate();
        for (const socket of upgradeSockets) socket.destroy();
      }, CLOSE_SWEEP_MS);
      closeSweep.unref();
    },
  });

  void app.register(async (scope) => {
    scope.get(
      `${SYNC_PATH}/:documentId`,
      {
        websocket: true,
        preValidation: async (request, reply) => {
          const params = ParamsSchema.safeParse(request.params);
          if (!params.success) {
            return reply
              .code(400)
              .send({ error: 'bad-request', message: 'documentId must be a UUID' });
          }
          const query = QuerySchema.safeParse(request.query);
          const token = query.success ? query.data.ticket : undefined;
          const verified = verifyTicket(options.ticketSecret, token, params.data.documentId);
          if (!verified.ok) {
            request.log.warn(
              { documentId: params.data.documentId, reason: verified.error },
              'sync connection refused',
            );
            return reply.code(401).send({
              error: 'unauthorized',
              reason: verified.error,
              message: TICKET_PROBLEM_TEXT[verified.error],
            });
          }
          const documentId = params.data.documentId;
          let granted;
          try {
            granted = await hub.authorize(verified.value);
          } catch (error) {
            request.log.error({ err: error, documentId }, 'checking sync access failed');
            return reply.code(503).send({
              error: 'unavailable',
              message: 'access could not be checked (database unavailable); try again shortly',
            });
          }
          if (!granted.ok) {
            const reason = granted.error;
            request.log.warn({ documentId, reason }, 'sync connection refused');
            return reply.code(ACCESS_PROBLEM_STATUS[reason]).send({
              error: ACCESS_PROBLEM_STATUS[reason] === 404 ? 'not-found' : 'forbidden',
              reason,
              message: ACCESS_PROBLEM_TEXT[reason],
            });
          }
          request.syncGrant = granted.value;
        },
      },
      (socket, request) => {
        const grant = request.syncGrant;
        const query = QuerySchema.safeParse(request.query);
        const wantsAck = query.success && query.data.ack === '1';
        if (!grant) {
          // Unreachable while preValidation runs first; kept so a refactor cannot open a hole.
          socket.close(CLOSE.UNAUTHORIZED, 'unauthorized');
          return;
        }
        socket.once('close', (code: number) => metrics.connectionClosed(code));
        const log = request.log;
        // First, while the plugin's 'error' listener is the only one.
        releaseUpgradeRequest(socket, request.raw, log);
        hub.accept(socket, request.raw.socket, grant, wantsAck, log);
      },
    );
  });

  return app;
}

/**
 * Lets the upgrade's HTTP request be collected once the WebSocket is open. @fastify/websocket
 * leaves two references that would otherwise keep it (its headers, URL with the ticket, Fastify's
 * request, reply and their streams: ~3 KB) alive for the whole connection, as much as the socket
 * itself costs: the 'error' listener it adds to the WebSocket closes over the request and reply,
 * and the TCP socket still points at the ServerResponse made for routing (which points at the
 * request). Called before anything else listens on the socket: every 'error' listener it finds is
 * the plugin's. The listener is replaced by one that logs the same way without them (an 'error'
 * event with no listener would throw), and the response is detached as Node's own server does
 * when a response ends. Measured in P2 (2,000 connections): docs/BENCHMARKS.md.
 */
function releaseUpgradeRequest(
  socket: WebSocket,
  raw: IncomingMessage,
  log: FastifyBaseLogger,
): void {
  const theirs = socket.listeners('error');
  socket.on('error', (error: Error) => log.warn({ err: error }, 'websocket error'));
  for (const listener of theirs) socket.off('error', listener as (error: Error) => void);
  const tcp = raw.socket as (typeof raw.socket & { _httpMessage?: ServerResponse | null }) | null;
  const response = tcp?._httpMessage;
  if (tcp && response) response.detachSocket(tcp);
}

function redactTicket(url: string): string {
  return url.replace(/([?&]ticket=)[^&]*/g, '$1[redacted]');
}
