/**
 * Builds the Fastify application: GET /health, and GET /sync/:documentId, the WebSocket
 * endpoint (one socket per document). The ticket is checked in preValidation, before the
 * upgrade, so an unauthenticated client gets HTTP 401 and never a socket. The sync state lives
 * in a SyncHub, reachable as `app.sync` (revoke, stats, shutdown). Closing the app (SIGTERM in
 * main.ts) first drains the hub: stored updates acknowledged, clients closed with 1012.
 */
import websocket from '@fastify/websocket';
import type { DocumentStore, GroupCommitter } from '@concord/db';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TICKET_PROBLEM_TEXT, verifyTicket, type Ticket } from './auth.js';
import type { LogLevel } from './config.js';
import { SyncHub } from './hub.js';
import { DEFAULT_LIMITS, wsMaxPayload, type Limits } from './limits.js';
import { CLOSE } from './protocol.js';

export const SERVICE_NAME = 'concord-sync-server';
/** The WebSocket endpoint; the y-websocket client appends `/<documentId>` to a server URL
 * ending in this path. */
export const SYNC_PATH = '/sync';

declare module 'fastify' {
  interface FastifyInstance {
    sync: SyncHub;
  }
  interface FastifyRequest {
    syncTicket: Ticket | null;
  }
}

export interface AppOptions {
  logLevel?: LogLevel;
  /** Where log lines (JSON) go instead of stdout; tests read them. */
  logStream?: { write(line: string): void };
  store: Pick<DocumentStore, 'load'>;
  committer: Pick<GroupCommitter, 'append'>;
  ticketSecret: string;
  limits?: Partial<Limits>;
  /** How long shutdown waits for unsaved updates (default SHUTDOWN_FLUSH_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
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
  const hub = new SyncHub({
    store: options.store,
    committer: options.committer,
    limits,
    log: app.log,
    ...(options.shutdownTimeoutMs !== undefined && {
      shutdownTimeoutMs: options.shutdownTimeoutMs,
    }),
  });
  app.decorate('sync', hub);
  app.decorateRequest('syncTicket', null);

  app.get('/health', async () => ({
    status: 'ok',
    service: SERVICE_NAME,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    ...hub.stats(),
  }));

  void app.register(websocket, {
    options: { maxPayload: wsMaxPayload(limits), perMessageDeflate: false },
    // `ws` reports a frame over maxPayload (and then closes with 1009 itself) or a broken
    // socket here; the default handler would log it as an error and cut the socket.
    errorHandler: (error, _socket, request) => {
      request.log.warn({ err: error }, 'websocket error');
    },
    preClose: async () => {
      await hub.shutdown();
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
          request.syncTicket = verified.value;
        },
      },
      (socket, request) => {
        const ticket = request.syncTicket;
        const query = QuerySchema.safeParse(request.query);
        const wantsAck = query.success && query.data.ack === '1';
        if (!ticket) {
          // Unreachable while preValidation runs first; kept so a refactor cannot open a hole.
          socket.close(CLOSE.UNAUTHORIZED, 'unauthorized');
          return;
        }
        hub.accept(socket, ticket, wantsAck, request.log);
      },
    );
  });

  return app;
}

function redactTicket(url: string): string {
  return url.replace(/([?&]ticket=)[^&]*/g, '$1[redacted]');
}
