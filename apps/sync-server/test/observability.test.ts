/**
 * GET /metrics (Prometheus text from the app's own registry, moving when a client edits),
 * GET /ready (database and Redis reachable, 503 naming what is not) and GET /health
 * (liveness, always 200).
 */
import { EMPTY_UPDATE } from '@concord/db';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { freePort, metric, scrape } from './cluster.js';
import { SECRET, stockClient, useSyncServer, waitFor } from './support.js';

describe('observability', () => {
  const fx = useSyncServer({
    app: (db) => ({
      checkDatabase: () => db.handle.sql.query({ name: 'concord_test_ready', text: 'select 1' }),
    }),
  });

  it('serves Prometheus text that parses and moves when a client edits', async () => {
    const { db, server, clients } = fx;
    const before = await scrape(server);
    expect(metric(before, 'concord_sync_connections')).toBe(0);
    expect(metric(before, 'concord_sync_rooms')).toBe(0);
    // Process default metrics are there too.
    expect(before.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(before.some((s) => s.name === 'concord_sync_redis_connected')).toBe(false);
    // No compaction yet, so no worker thread (its heap is reported apart from nodejs_heap_*).
    expect(metric(before, 'concord_sync_merge_worker_heap_bytes')).toBe(0);

    const documentId = await db.newDocument();
    const client = stockClient(server.url, documentId, server.ticket(documentId, db.userId));
    clients.push(client);
    await client.synced();
    for (let i = 0; i < 5; i++) client.text.insert(0, `edit ${i} `);
    await waitFor(() => server.app.sync.persistence.pending === 0, 'writes stored');
    await waitFor(() => (server.app.sync.room(documentId)?.seq ?? 0) >= 5, 'seq 5');

    const after = await scrape(server);
    expect(metric(after, 'concord_sync_connections')).toBe(1);
    expect(metric(after, 'concord_sync_rooms')).toBe(1);
    expect(
      metric(after, 'concord_sync_messages_total', { direction: 'in', type: 'sync-update' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      metric(after, 'concord_sync_messages_total', { direction: 'out', type: 'sync-step1' }),
    ).toBe(1);
    expect(metric(after, 'concord_sync_bytes_total', { direction: 'in' })).toBeGreaterThan(
      metric(before, 'concord_sync_bytes_total', { direction: 'in' }),
    );
    expect(metric(after, 'concord_sync_persist_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(metric(after, 'concord_sync_pending_writes')).toBe(0);
    expect(metric(after, 'concord_sync_persist_failures_total')).toBe(0);

    client.destroy();
    await waitFor(() => server.app.sync.stats().connections === 0, 'connection closed');
    const closed = await scrape(server);
    expect(metric(closed, 'concord_sync_connection_closes_total')).toBe(1);
  });

  it('is ready when the database answers; /health says ok', async () => {
    const ready = await fx.server.get('/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', database: 'ok', redis: 'off' });
    const health = await fx.server.get('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', reasons: [], database: 'ok' });
  });

  it('answers 503 naming the dependency that is down, while /health stays 200', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const app = buildApp({
      logLevel: 'silent',
      store: { load: async () => ({ state: EMPTY_UPDATE, seq: 0 }) },
      committer: { append: async () => ({ seq: 1, duplicate: false }) },
      ticketSecret: SECRET,
      checkDatabase: () => Promise.reject(new Error('connect ECONNREFUSED')),
      redisUrl: deadRedis,
    });
    try {
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'not-ready', database: 'down', redis: 'down' });
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toMatchObject({
        status: 'degraded',
        reasons: ['database-unreachable', 'redis-unreachable'],
      });
      // A second app in the same process has its own registry: both render.
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('concord_sync_redis_connected 0');
    } finally {
      await app.close();
    }
  });
});
