import { EMPTY_UPDATE } from '@concord/db';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { issueTicket } from '@concord/sync-protocol/ticket';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const DOC = '3f2b9c1e-0000-4000-8000-000000000001';
const USER = '3f2b9c1e-0000-4000-8000-0000000000aa';

describe('sync-server app', () => {
  const logs: Record<string, unknown>[] = [];
  const app = buildApp({
    logStream: { write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
    store: { load: async () => ({ state: EMPTY_UPDATE, seq: 0 }) },
    committer: { append: async () => ({ seq: 1, duplicate: false }) },
    ticketSecret: SECRET,
  });
  afterAll(() => app.close());

  it('answers GET /health', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      service: 'concord-sync-server',
      rooms: 0,
      connections: 0,
    });
  });

  it('answers 404 for unknown routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses a sync request without a valid ticket before any upgrade, naming the reason', async () => {
    const none = await app.inject({ method: 'GET', url: `/sync/${DOC}` });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthorized', reason: 'missing' });
    const bad = await app.inject({ method: 'GET', url: `/sync/${DOC}?ticket=abc.def` });
    expect(bad.json()).toMatchObject({ reason: 'bad-signature' });
    const notUuid = await app.inject({ method: 'GET', url: '/sync/not-a-uuid' });
    expect(notUuid.statusCode).toBe(400);
  });

  it('keeps tickets out of the request log', async () => {
    const ticket = issueTicket({
      secret: SECRET,
      userId: USER,
      documentId: DOC,
      capabilities: ['read'],
    });
    await app.inject({ method: 'GET', url: `/sync/${DOC}?ticket=${ticket}` });
    const text = JSON.stringify(logs);
    expect(text).not.toContain(ticket);
    expect(text).toContain('ticket=[redacted]');
  });
});
