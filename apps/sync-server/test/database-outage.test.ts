/**
 * Database outage (TARGETS R7), without stopping the shared PostgreSQL: the server's pool goes
 * through a TCP proxy this test cuts (every connection destroyed, new ones refused) while
 * clients edit. Editing goes on from memory, nothing is acknowledged before it is stored,
 * /health says degraded and /ready 503 meanwhile; when the proxy is restored every update is
 * stored, in full, and acknowledged. With the queue bound reached, a client's new update is
 * refused with WRITE_QUEUE_FULL (4507) and stored after it reconnects once the database is back.
 */
import { createDb, createDocumentStore, type DbHandle } from '@concord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, decodeSaved } from '../src/protocol.js';
import { metric, scrape, TcpProxy } from './cluster.js';
import {
  openTestDb,
  sleep,
  startServer,
  stockClient,
  storedDoc,
  waitFor,
  type StockClient,
  type TestDb,
  type TestServer,
} from './support.js';

/** The last SAVED acknowledgement a client received. */
function lastSaved(client: StockClient): { seq: number; count: number } | null {
  for (let i = client.received.length - 1; i >= 0; i--) {
    const saved = decodeSaved(client.received[i]!);
    if (saved) return saved;
  }
  return null;
}

describe('database outage', () => {
  let db: TestDb;
  let proxy: TcpProxy;
  let proxied: DbHandle;
  const servers: TestServer[] = [];
  const clients: StockClient[] = [];

  beforeAll(async () => {
    db = await openTestDb();
    proxy = new TcpProxy(5432);
    await proxy.listen();
    const config = db.handle.config;
    if (config.kind !== 'postgres') throw new Error('this test needs PostgreSQL');
    const url = new URL(config.url);
    url.port = String(proxy.port);
    proxied = await createDb({ databaseUrl: url.toString() }, { migrate: false });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.close();
    proxy?.restore();
    await proxied?.close();
    await proxy?.close();
    await db?.close();
  });

  async function server(limits?: { maxPendingWrites: number }) {
    const s = await startServer({
      store: createDocumentStore(proxied),
      checkDatabase: () => proxied.sql.query({ name: 'concord_test_ready', text: 'select 1' }),
      ...(limits && { limits }),
    });
    servers.push(s);
    return s;
  }

  function client(s: TestServer, documentId: string, ack = false) {
    const c = stockClient(s.url, documentId, s.ticket(documentId, db.userId), { ack });
    clients.push(c);
    return c;
  }

  it('keeps editing from memory, queues writes, stores and acknowledges them when it is back', async () => {
    const s = await server();
    const documentId = await db.newDocument();
    const writer = client(s, documentId, true);
    const reader = client(s, documentId);
    await Promise.all([writer.synced(), reader.synced()]);
    writer.text.insert(0, 'before ');
    await waitFor(() => lastSaved(writer)?.count === 2, 'first edit acknowledged');

    proxy.cut();
    let edits = 1;
    // The first edit of the outage is what finds the database gone: from then on the server
    // says degraded (sampled below). Wait for that, not for how long it takes on this machine.
    writer.text.insert(writer.text.length, 'during ');
    edits++;
    await waitFor(() => s.app.sync.persistence.degraded, 'the outage noticed');
    const degradedSeen: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      writer.text.insert(writer.text.length, `${i} `);
      edits++;
      if (i % 5 === 4) degradedSeen.push(JSON.parse((await s.get('/health')).body));
      await sleep(100);
    }
    // Editing went on: the other client has every edit, from memory.
    await waitFor(() => reader.text.toString() === writer.text.toString(), 'reader up to date');
    // Nothing was acknowledged while the database was away.
    expect(lastSaved(writer)?.count).toBe(2);
    const health = JSON.parse((await s.get('/health')).body) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'degraded', database: 'down' });
    expect(health.reasons).toEqual(['database-unreachable', 'writes-queued']);
    expect(health.queuedWrites).toBeGreaterThan(0);
    expect(degradedSeen.every((h) => (h as { status: string }).status === 'degraded')).toBe(true);
    const ready = await s.get('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ database: 'down' });
    expect(metric(await scrape(s), 'concord_sync_database_degraded')).toBe(1);

    proxy.restore();
    await waitFor(
      () => lastSaved(writer)?.count === 1 + edits,
      'every update acknowledged',
      30_000,
    );
    expect(s.app.sync.persistence.pending).toBe(0);
    expect((await storedDoc(db.store, documentId)).getText('t').toString()).toBe(
      writer.text.toString(),
    );
    await waitFor(() => !s.app.sync.persistence.degraded, 'outage over');
    expect(JSON.parse((await s.get('/health')).body)).toMatchObject({ status: 'ok', reasons: [] });
    expect((await s.get('/ready')).status).toBe(200);
    const m = await scrape(s);
    expect(metric(m, 'concord_sync_persist_failures_total')).toBeGreaterThan(0);
    expect(metric(m, 'concord_sync_database_degraded')).toBe(0);
    expect(s.logs.some((l) => l.msg === 'database reachable again: queued updates stored')).toBe(
      true,
    );
  });

  it('refuses updates beyond the queue bound with 4507 and stores them after a reconnect', async () => {
    const s = await server({ maxPendingWrites: 5 });
    const documentId = await db.newDocument();
    const writer = client(s, documentId);
    const reader = client(s, documentId);
    await Promise.all([writer.synced(), reader.synced()]);

    proxy.cut();
    for (let i = 0; i < 10; i++) {
      writer.text.insert(writer.text.length, `${i} `);
      await sleep(50);
    }
    await waitFor(
      () => writer.closes.some((c) => c.code === CLOSE.WRITE_QUEUE_FULL),
      'writer closed with WRITE_QUEUE_FULL',
    );
    expect(s.app.sync.persistence.pending).toBeLessThanOrEqual(5);
    // What was refused was not applied: the reader has only what is queued.
    expect(reader.text.toString().length).toBeLessThan(writer.text.toString().length);

    proxy.restore();
    // The stock client reconnects (45xx) and sends what the server lacks.
    await waitFor(
      () => reader.text.toString() === writer.text.toString(),
      'reader has everything after the reconnect',
      30_000,
    );
    await waitFor(() => s.app.sync.persistence.pending === 0, 'all stored');
    expect((await storedDoc(db.store, documentId)).getText('t').toString()).toBe(
      writer.text.toString(),
    );
    expect(writer.text.toString()).toBe('0 1 2 3 4 5 6 7 8 9 ');
  });
});
