import { describe, expect, it } from 'vitest';
import { ConnectionCounter, TokenBucket } from './limits.js';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 100; // one token at 10/s
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000; // refills only up to the burst
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });
});

describe('ConnectionCounter', () => {
  it('counts per user up to the limit', () => {
    const counter = new ConnectionCounter<object>(2);
    const [a, b, c] = [{}, {}, {}];
    expect(counter.tryAdd('u', a)).toBe(true);
    expect(counter.tryAdd('u', b)).toBe(true);
    expect(counter.tryAdd('u', c)).toBe(false);
    expect(counter.tryAdd('v', c)).toBe(true);
    counter.remove('u', a);
    expect(counter.tryAdd('u', c)).toBe(true);
    expect(counter.count('u')).toBe(2);
  });
});
