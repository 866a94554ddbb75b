/**
 * Two instances behind Redis (TARGETS P5, R7): stock clients on each converge, awareness
 * crosses, and no instance applies its own messages again (each update frame reaches each other
 * client exactly once, never its sender). Across a Redis restart (a private redis-server child,
 * SIGKILLed), each instance keeps serving its own clients, and once Redis is back both catch up
 * (store re-read and instance-to-instance sync) and converge.
 */
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { metric, RedisChild, scrape, SYSTEM_REDIS_URL, uniquePrefix } from './cluster.js';
import {
  frameKind,
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

/** Sync update frames (type 0, step 2) a client has received that change something (an
 * instance's answer to another's load-time sync request may be an empty one, at any moment). */
const updateFrames = (c: StockClient) =>
  c.received.filter((f) => {
    const k = frameKind(f);
    if (k.type !== 0 || k.sub !== 2) return false;
    const d = decoding.createDecoder(f);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    const update = Y.decodeUpdate(decoding.readVarUint8Array(d));
    return update.structs.length > 0 || update.ds.clients.size > 0;
  }).length;

const markOf = (c: StockClient, of: StockClient) =>
  (c.provider.awareness.getStates().get(of.doc.clientID) as { mark?: number } | undefined)?.mark;

/**
 * Waits until everything sent before it has been relayed: a1 (on instance a) changes its
 * presence and waits until a2 and b1 see it, then b1 does and waits until a1 and a2 do. Each
 * instance handles a connection's messages in order and Redis keeps the order of what it relays,
 * so a duplicate or an echo of an earlier update would have reached its client before the mark.
 */
async function relayed(a1: StockClient, a2: StockClient, b1: StockClient, mark: number) {
  a1.provider.awareness.setLocalStateField('mark', mark);
  await waitFor(() => markOf(a2, a1) === mark && markOf(b1, a1) === mark, 'a1’s mark');
  b1.provider.awareness.setLocalStateField('mark', mark);
  await waitFor(() => markOf(a1, b1) === mark && markOf(a2, b1) === mark, 'b1’s mark');
}

interface Pair {
  db: TestDb;
  a: TestServer;
  b: TestServer;
  clients: StockClient[];
}

function usePair(redisUrl: () => string): Pair {
  const pair = { clients: [] as StockClient[] } as unknown as Pair;
  beforeAll(async () => {
    pair.db = await openTestDb();
    const prefix = uniquePrefix();
    const options = {
      store: pair.db.store,
      redisUrl: redisUrl(),
      redisChannelPrefix: prefix,
      compaction: false as const,
    };
    pair.a = await startServer(options);
    pair.b = await startServer(options);
    await waitFor(
      () => pair.a.app.fanout?.status === 'connected' && pair.b.app.fanout?.status === 'connected',
      'both instances connected to Redis',
    );
  });
  afterAll(async () => {
    for (const c of pair.clients) c.destroy();
    await pair.a?.close();
    await pair.b?.close();
    await pair.db?.close();
  });
  return pair;
}

function connect(pair: Pair, instance: TestServer, documentId: string): StockClient {
  const client = stockClient(instance.url, documentId, instance.ticket(documentId, pair.db.userId));
  pair.clients.push(client);
  return client;
}

/** Two clients on instance a and one on b, all synced: a1's edits reach a2 only locally. */
async function threeClients(
  pair: Pair,
  documentId: string,
): Promise<[StockClient, StockClient, StockClient]> {
  const a1 = connect(pair, pair.a, documentId);
  const a2 = connect(pair, pair.a, documentId);
  const b1 = connect(pair, pair.b, documentId);
  await Promise.all([a1.synced(), a2.synced(), b1.synced()]);
  return [a1, a2, b1];
}

describe('redis fan-out between two instances', () => {
  const pair = usePair(() => SYSTEM_REDIS_URL);

  it('converges edits made on either instance, relaying each exactly once', async () => {
    const { a, b, db } = pair;
    const documentId = await db.newDocument();
    const [a1, a2, b1] = await threeClients(pair, documentId);
    const base = [a1, a2, b1].map(updateFrames);

    for (let i = 0; i < 5; i++) a1.text.insert(a1.text.length, `a${i} `);
    await waitFor(() => b1.text.toString() === a1.text.toString(), 'b1 has a1 edits');
    await waitFor(() => a2.text.toString() === a1.text.toString(), 'a2 has a1 edits');
    await relayed(a1, a2, b1, 1); // an echo or a duplicate would have arrived by now
    expect([a1, a2, b1].map((c, i) => updateFrames(c) - base[i]!)).toEqual([0, 5, 5]);

    for (let i = 0; i < 3; i++) b1.text.insert(0, `b${i} `);
    await waitFor(() => a1.text.toString() === b1.text.toString(), 'a1 has b1 edits');
    await waitFor(() => a2.text.toString() === b1.text.toString(), 'a2 has b1 edits');
    await relayed(a1, a2, b1, 2);
    expect([a1, a2, b1].map((c, i) => updateFrames(c) - base[i]!)).toEqual([3, 8, 5]);
    expect(a1.text.toString()).toBe('b2 b1 b0 a0 a1 a2 a3 a4 ');

    // Each instance stored what its own client sent: the store has all of it.
    await waitFor(
      () => a.app.sync.persistence.pending === 0 && b.app.sync.persistence.pending === 0,
      'writes stored',
    );
    expect((await storedDoc(db.store, documentId)).getText('t').toString()).toBe(
      a1.text.toString(),
    );
    const [ma, mb] = [await scrape(a), await scrape(b)];
    // At least the five edits (a load-time sync reply may add one).
    expect(
      metric(ma, 'concord_sync_redis_messages_total', { direction: 'out', kind: 'update' }),
    ).toBeGreaterThanOrEqual(5);
    expect(
      metric(mb, 'concord_sync_redis_messages_total', { direction: 'in', kind: 'update' }),
    ).toBeGreaterThanOrEqual(5);
    expect(metric(ma, 'concord_sync_redis_connected')).toBe(1);
  });

  it('relays awareness across instances', async () => {
    const { a, b, db } = pair;
    const documentId = await db.newDocument();
    const a1 = connect(pair, a, documentId);
    const b1 = connect(pair, b, documentId);
    await Promise.all([a1.synced(), b1.synced()]);
    // (The server writes `user` from the ticket; a field of the client's own is relayed as is.)
    a1.provider.awareness.setLocalStateField('item', 'Ada');
    b1.provider.awareness.setLocalStateField('item', 'Bo');
    const nameOf = (c: StockClient, clientId: number) =>
      (c.provider.awareness.getStates().get(clientId) as { item?: string } | undefined)?.item;
    await waitFor(() => nameOf(b1, a1.doc.clientID) === 'Ada', 'b1 sees Ada');
    await waitFor(() => nameOf(a1, b1.doc.clientID) === 'Bo', 'a1 sees Bo');

    // A client leaving on one instance disappears on the other.
    a1.destroy();
    await waitFor(() => !b1.provider.awareness.getStates().has(a1.doc.clientID), 'Ada gone');
  });
});

describe('redis fan-out across a Redis restart', () => {
  let redis: RedisChild;
  beforeAll(async () => {
    redis = await RedisChild.start();
  });
  afterAll(async () => {
    await redis?.kill();
  });
  const pair = usePair(() => redis.url);

  it('keeps serving local clients while Redis is down and converges when it is back', async () => {
    const { a, b, db } = pair;
    const documentId = await db.newDocument();
    const [a1, a2, b1] = await threeClients(pair, documentId);
    a1.text.insert(0, 'before ');
    await waitFor(() => b1.text.toString() === 'before ', 'b1 has the first edit');

    await redis.kill();
    await waitFor(
      () => a.app.fanout?.status === 'down' && b.app.fanout?.status === 'down',
      'both see Redis down',
    );
    expect(JSON.parse((await a.get('/ready')).body)).toMatchObject({ redis: 'down' });
    expect((await a.get('/ready')).status).toBe(503);

    a1.text.insert(a1.text.length, 'from-a ');
    b1.text.insert(0, 'from-b ');
    // Local clients are still served.
    await waitFor(() => a2.text.toString().includes('from-a'), 'a2 has a1 edit while down');
    await waitFor(
      () => a.app.sync.persistence.pending === 0 && b.app.sync.persistence.pending === 0,
      'writes stored while Redis is down',
    );
    await sleep(200);
    // Nothing crossed meanwhile: the instances diverged.
    expect(a1.text.toString()).not.toContain('from-b');
    expect(b1.text.toString()).not.toContain('from-a');

    await redis.restart();
    await waitFor(
      () => a.app.fanout?.status === 'connected' && b.app.fanout?.status === 'connected',
      'both reconnected',
      30_000,
    );
    await waitFor(
      () =>
        a1.text.toString() === b1.text.toString() &&
        a2.text.toString() === b1.text.toString() &&
        b1.text.toString().includes('from-a') &&
        b1.text.toString().includes('from-b'),
      'all converged after the restart',
    );
    expect(a1.text.toString()).toBe('from-b before from-a ');

    // Editing crosses again.
    b1.text.insert(b1.text.length, 'after');
    await waitFor(() => a1.text.toString().endsWith('after'), 'a1 has an edit made after');
    // a's catch-up is a store read that may finish after the edits above have already crossed
    // through b's (a loaded machine): wait for it to be counted, do not race it.
    const caughtUp = (samples: Awaited<ReturnType<typeof scrape>>) =>
      metric(samples, 'concord_sync_catch_ups_total', { result: 'ok' });
    await expect
      .poll(async () => caughtUp(await scrape(a)), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);
    const ma = await scrape(a);
    expect(
      metric(ma, 'concord_sync_redis_failures_total', { operation: 'publish' }),
    ).toBeGreaterThanOrEqual(1);
  });
});
