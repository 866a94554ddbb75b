import { describe, expect, it } from 'vitest';
import { ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES } from './limits.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { FailureThrottle, waitText } from './throttle.js';

const options = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 5_000,
  forgetAfterMs: 60_000,
  maxKeys: 100,
};

describe('FailureThrottle', () => {
  it('allows the free failures, then waits, doubling up to the cap', () => {
    const t = new FailureThrottle(options);
    let now = 0;
    for (let i = 0; i < 2; i += 1) expect(t.fail('a', now).allowed).toBe(true);
    const third = t.fail('a', now);
    expect(third).toEqual({ allowed: false, retryAt: new Date(1_000) });
    expect(t.check('a', 999).allowed).toBe(false);
    expect(t.check('a', 1_000).allowed).toBe(true);
    now = 1_000;
    expect(t.fail('a', now)).toEqual({ allowed: false, retryAt: new Date(3_000) });
    now = 3_000;
    expect(t.fail('a', now)).toEqual({ allowed: false, retryAt: new Date(7_000) });
    now = 7_000;
    // 8 s would exceed the 5 s cap.
    expect(t.fail('a', now)).toEqual({ allowed: false, retryAt: new Date(12_000) });
  });

  it('keeps keys apart, clears a key on reset, and forgets old failures', () => {
    const t = new FailureThrottle(options);
    for (let i = 0; i < 3; i += 1) t.fail('a', 0);
    expect(t.check('a', 10).allowed).toBe(false);
    expect(t.check('b', 10).allowed).toBe(true);
    t.reset('a');
    expect(t.check('a', 10).allowed).toBe(true);
    for (let i = 0; i < 3; i += 1) t.fail('c', 0);
    expect(t.fail('c', 60_000)).toEqual({ allowed: true });
  });

  it('holds at most maxKeys, dropping the least recently failed', () => {
    const t = new FailureThrottle({ ...options, maxKeys: 2 });
    for (let i = 0; i < 3; i += 1) t.fail('old', 0);
    t.fail('mid', 1);
    for (let i = 0; i < 3; i += 1) t.fail('new', 2);
    expect(t.size).toBe(2);
    expect(t.check('old', 3).allowed).toBe(true);
    expect(t.check('new', 3).allowed).toBe(false);
  });

  it('says how long to wait in words', () => {
    expect(waitText(new Date(30_000), 0)).toBe('30 seconds');
    expect(waitText(new Date(500), 0)).toBe('1 second');
    expect(waitText(new Date(240_000), 0)).toBe('4 minutes');
  });
});

describe('SignInThrottle', () => {
  it('throttles an account after ACCOUNT_FREE_FAILURES, whatever the address', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i += 1) {
      expect(t.check({ account: 'a@x.org', address: `10.0.0.${i}` }, 0).allowed).toBe(true);
      t.failed({ account: 'a@x.org', address: `10.0.0.${i}` }, 0);
    }
    const gate = t.check({ account: 'a@x.org', address: '10.9.9.9' }, 0);
    expect(gate.allowed).toBe(false);
    if (!gate.allowed) expect(gate.message).toMatch(/for this account\. Wait 30 seconds/);
    expect(t.check({ account: 'b@x.org', address: '10.9.9.9' }, 0).allowed).toBe(true);
  });

  it('throttles an address after ADDRESS_FREE_FAILURES spread over many accounts', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i += 1) {
      t.failed({ account: `u${i}@x.org`, address: '192.0.2.1' }, 0);
    }
    const gate = t.check({ account: 'fresh@x.org', address: '192.0.2.1' }, 0);
    expect(gate.allowed).toBe(false);
    if (!gate.allowed) expect(gate.message).toMatch(/from your network/);
    expect(t.check({ account: 'fresh@x.org', address: '192.0.2.2' }, 0).allowed).toBe(true);
  });

  it('a success clears the account but not the address', () => {
    const t = new SignInThrottle();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES - 1; i += 1) {
      t.failed({ account: 'a@x.org', address: '192.0.2.9' }, 0);
    }
    t.succeeded({ account: 'a@x.org', address: '192.0.2.9' });
    t.failed({ account: 'a@x.org', address: '192.0.2.9' }, 0);
    expect(t.check({ account: 'a@x.org', address: '192.0.2.9' }, 0).allowed).toBe(true);
  });
});
