import { describe, expect, it } from 'vitest';
import { fetchTicket, TICKET_REFRESH_MARGIN_MS, TicketSource } from './ticket';

const ticketBody = (expiresAt: string) => ({
  url: 'ws://127.0.0.1:1/sync',
  ticket: 'abc.def',
  capabilities: ['read', 'write'],
  expiresAt,
});

function fakeFetch(responses: (() => Response | Promise<Response>)[]) {
  const calls: string[] = [];
  const fn = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next();
  }) as typeof fetch;
  return { fn, calls };
}

describe('fetchTicket', () => {
  it('returns the ticket, a refusal with its reason, or unreachable', async () => {
    const { fn, calls } = fakeFetch([
      () => Response.json(ticketBody('2030-01-01T00:00:00Z')),
      () =>
        Response.json(
          { error: 'forbidden', reason: 'no-access', message: 'Ratings are private' },
          { status: 403 },
        ),
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => new Response('boom', { status: 502 }),
    ]);
    const ok = await fetchTicket('w1', 'd1', fn);
    expect(ok.ok && ok.ticket.ticket).toBe('abc.def');
    expect(calls[0]).toBe('/w/w1/documents/d1/ticket');
    expect(await fetchTicket('w1', 'd1', fn)).toEqual({
      ok: false,
      kind: 'refused',
      status: 403,
      reason: 'no-access',
      message: 'Ratings are private',
    });
    expect((await fetchTicket('w1', 'd1', fn)).ok).toBe(false);
    const bad = await fetchTicket('w1', 'd1', fn);
    expect(!bad.ok && bad.kind).toBe('unreachable');
  });
});

describe('TicketSource', () => {
  it('reuses a ticket until it is near expiry, then fetches a fresh one', async () => {
    let now = Date.parse('2026-12-06T10:00:00Z');
    const expiry = new Date(now + 5 * 60_000).toISOString();
    const { fn, calls } = fakeFetch([
      () => Response.json(ticketBody(expiry)),
      () => Response.json(ticketBody(new Date(now + 10 * 60_000).toISOString())),
    ]);
    const source = new TicketSource('w', 'd', fn, () => now);
    await source.get();
    await source.get();
    expect(calls).toHaveLength(1);
    now = Date.parse(expiry) - TICKET_REFRESH_MARGIN_MS + 1;
    await source.get();
    expect(calls).toHaveLength(2);
  });

  it('shares one request between concurrent callers and refetches after invalidate', async () => {
    const { fn, calls } = fakeFetch([
      () => Response.json(ticketBody('2030-01-01T00:00:00Z')),
      () => Response.json(ticketBody('2030-01-01T00:00:00Z')),
    ]);
    const source = new TicketSource('w', 'd', fn);
    await Promise.all([source.get(), source.get(), source.get()]);
    expect(calls).toHaveLength(1);
    source.invalidate();
    await source.get();
    expect(calls).toHaveLength(2);
  });
});
