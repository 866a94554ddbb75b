import { describe, expect, it } from 'vitest';
import {
  fetchTicket,
  INITIAL_TICKET_MARGIN_MS,
  INITIAL_TICKET_MAX_LEFT_MS,
  initialTicketFresh,
  TICKET_REFRESH_MARGIN_MS,
  TicketSource,
} from './ticket';

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

describe('a ticket given with the page', () => {
  const t0 = Date.parse('2026-12-07T18:00:00Z');
  const issuedAt = (ms: number) => ({
    ...ticketBody(new Date(ms + 60_000).toISOString()),
    ticket: 'from.page',
  });

  it('is fresh only with the margin left and no more than a lifetime (clocks apart)', () => {
    const ticket = issuedAt(t0);
    expect(initialTicketFresh(ticket, t0)).toBe(true);
    expect(initialTicketFresh(ticket, t0 + 60_000 - INITIAL_TICKET_MARGIN_MS)).toBe(true);
    expect(initialTicketFresh(ticket, t0 + 60_000 - INITIAL_TICKET_MARGIN_MS + 1)).toBe(false);
    expect(initialTicketFresh(ticket, t0 + 10 * 60_000)).toBe(false); // restored from a cache
    // This clock far behind the server's: how old the ticket is cannot be told.
    expect(initialTicketFresh(ticket, t0 + 60_000 - INITIAL_TICKET_MAX_LEFT_MS - 1)).toBe(false);
    expect(initialTicketFresh({ ...ticket, expiresAt: 'soon' }, t0)).toBe(false);
  });

  it('opens the first connection without a fetch; every later one fetches', async () => {
    const { fn, calls } = fakeFetch([
      () => Response.json(ticketBody(new Date(t0 + 60_000).toISOString())),
    ]);
    const source = new TicketSource('w', 'd', fn, () => t0 + 1_000, issuedAt(t0));
    const first = await source.get();
    expect(first.ok && first.ticket.ticket).toBe('from.page');
    expect(calls).toEqual([]);
    const second = await source.get();
    expect(second.ok && second.ticket.ticket).toBe('abc.def');
    expect(calls).toEqual(['/w/w/documents/d/ticket']);
  });

  it('is not used once expired or near expiry (a page from a cache): fetches instead', async () => {
    for (const age of [60_000 - INITIAL_TICKET_MARGIN_MS + 1, 60_000, 3_600_000]) {
      const { fn, calls } = fakeFetch([() => Response.json(ticketBody('2030-01-01T00:00:00Z'))]);
      const source = new TicketSource('w', 'd', fn, () => t0 + age, issuedAt(t0));
      const r = await source.get();
      expect(r.ok && r.ticket.ticket).toBe('abc.def');
      expect(calls).toHaveLength(1);
    }
  });

  it('is dropped when the server turned a ticket down before it was used', async () => {
    const { fn, calls } = fakeFetch([() => Response.json(ticketBody('2030-01-01T00:00:00Z'))]);
    const source = new TicketSource('w', 'd', fn, () => t0, issuedAt(t0));
    source.invalidate();
    const r = await source.get();
    expect(r.ok && r.ticket.ticket).toBe('abc.def');
    expect(calls).toHaveLength(1);
  });

  it('is ignored when it is not a ticket (a malformed page)', async () => {
    const { fn, calls } = fakeFetch([() => Response.json(ticketBody('2030-01-01T00:00:00Z'))]);
    const bogus = { url: 'ws://x', expiresAt: new Date(t0 + 60_000).toISOString() };
    const source = new TicketSource('w', 'd', fn, () => t0, bogus as never);
    expect((await source.get()).ok).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
