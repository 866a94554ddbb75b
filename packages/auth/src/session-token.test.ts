import { describe, expect, it } from 'vitest';
import {
  SESSION_TTL_MS,
  generateToken,
  hashToken,
  isWellFormedToken,
  renewedExpiry,
} from './session-token.js';

describe('session tokens', () => {
  it('are random, well formed, and stored only as a SHA-256', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).not.toBe(b);
    expect(isWellFormedToken(a)).toBe(true);
    expect(isWellFormedToken('not-a-token')).toBe(false);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('slide: renewed only in the second half of their life', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const fresh = new Date(now.getTime() + SESSION_TTL_MS - 1000);
    expect(renewedExpiry(fresh, now)).toBeNull();
    const old = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    expect(renewedExpiry(old, now)?.getTime()).toBe(now.getTime() + SESSION_TTL_MS);
  });
});
