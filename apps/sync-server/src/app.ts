/**
 * Builds the Fastify application. The Yjs sync endpoint arrives with the sync protocol; for now
 * the server answers health checks so deployments and the start command can supervise it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';

export const SERVICE_NAME = 'concord-sync-server';

export function buildApp(config: Pick<Config, 'logLevel'>): FastifyInstance {
  const app = Fastify({ logger: { level: config.logLevel } });
  const startedAt = Date.now();

  app.get('/health', async () => ({
    status: 'ok',
    service: SERVICE_NAME,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));

  return app;
}
