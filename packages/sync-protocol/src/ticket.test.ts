import { describe, expect, it } from 'vitest';
import { issueTicket, verifyTicket } from './ticket.js';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const DOC = '3F2B9C1E-0000-4000-8000-000000000001';
const USER = '3f2b9c1e-0000-4000-8000-0000000000aa';
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

const ticket = (over: Partial<Parameters<typeof issueTicket>[0]> = {}) =>
  issueTicket({
    secret: SECRET,
    userId: USER,
    documentId: DOC,
    capabilities: ['read', 'write'],
    now: NOW,
    ...over,
  });

describe('sync tickets', () => {
  it('round-trips, with ids lower-cased and capabilities deduplicated', () => {
    const result = verifyTicket(
      SECRET,
      ticket({ capabilities: ['read', 'read', 'awareness'] }),
      DOC.toLowerCase(),
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        userId: USER,
        documentId: DOC.toLowerCase(),
        capabilities: ['read', 'awareness'],
        exp: NOW / 1000 + 60,
      },
    });
  });

  it('rejects with a reason', () => {
    expect(verifyTicket(SECRET, undefined, DOC, NOW)).toEqual({ ok: false, error: 'missing' });
    expect(verifyTicket(SECRET, 'garbage', DOC, NOW)).toEqual({ ok: false, error: 'malformed' });
    expect(verifyTicket(SECRET, ticket(), DOC, NOW + 60_000)).toEqual({
      ok: false,
      error: 'expired',
    });
    expect(verifyTicket(SECRET, ticket(), '3f2b9c1e-0000-4000-8000-000000000002', NOW)).toEqual({
      ok: false,
      error: 'wrong-document',
    });
    expect(verifyTicket('another-secret-another-secret-0123456789', ticket(), DOC, NOW)).toEqual({
      ok: false,
      error: 'bad-signature',
    });
    expect(verifyTicket(SECRET, ticket({ capabilities: ['write'] }), DOC, NOW)).toEqual({
      ok: false,
      error: 'no-read-capability',
    });
  });

  it('detects tampering with the payload or the signature', () => {
    const [body, sig] = ticket().split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.capabilities = ['read', 'write', 'awareness'];
    const forged = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    expect(verifyTicket(SECRET, forged, DOC, NOW)).toEqual({ ok: false, error: 'bad-signature' });
    const flipped = `${body}.${sig.slice(0, -2)}${sig.endsWith('A') ? 'B' : 'A'}${sig.slice(-1)}`;
    expect(verifyTicket(SECRET, flipped, DOC, NOW)).toEqual({ ok: false, error: 'bad-signature' });
    expect(verifyTicket(SECRET, `${body}.${sig}.x`, DOC, NOW)).toEqual({
      ok: false,
      error: 'malformed',
    });
  });

  it('refuses to issue with a short secret, a bad id or a bad lifetime', () => {
    expect(() => ticket({ secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => ticket({ userId: 'bob' })).toThrow();
    expect(() => ticket({ ttlSeconds: 0 })).toThrow(/ttlSeconds/);
    expect(() => ticket({ ttlSeconds: 10_000 })).toThrow(/ttlSeconds/);
  });
});
