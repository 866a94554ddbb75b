import { describe, expect, it } from 'vitest';
import { CLIENT_CLOSE, CLOSE } from './close-codes.js';

/** The stock y-websocket client's rule: 4400-4499 final, everything else retried. */
const final = (code: number) => code >= 4400 && code <= 4499;

describe('close codes', () => {
  it('are distinct, and in the ranges the stock client reads as final or retry', () => {
    const codes = Object.values(CLOSE);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code === 1012 || (code >= 4400 && code <= 4599)).toBe(true);
    }
  });

  it("keeps the client's own codes out of the server's, but for a refused ticket", () => {
    const server = new Set<number>(Object.values(CLOSE));
    expect(server.has(CLIENT_CLOSE.TICKET_UNREACHABLE)).toBe(false);
    expect(final(CLIENT_CLOSE.TICKET_UNREACHABLE)).toBe(false);
    // A refused ticket ends the connection for good, exactly as a revoke does.
    expect(CLIENT_CLOSE.TICKET_REFUSED).toBe(CLOSE.ACCESS_REVOKED);
    expect(final(CLIENT_CLOSE.TICKET_REFUSED)).toBe(true);
  });
});
