import { describe, expect, it } from 'vitest';
import { decodeFanoutMessage, encodeFanoutMessage, type FanoutMessage } from './redis.js';

describe('fan-out messages', () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const sv = new Uint8Array([1, 200, 5]);
  const messages: FanoutMessage[] = [
    { kind: 'update', from: 'instance-a', update: bytes },
    { kind: 'awareness', from: 'instance-a', update: bytes },
    { kind: 'sync-request', from: 'b', stateVector: sv },
    { kind: 'sync-reply', from: 'c', update: bytes, stateVector: sv },
  ];

  it('round-trips every kind', () => {
    for (const m of messages) expect(decodeFanoutMessage(encodeFanoutMessage(m))).toEqual(m);
  });

  it('refuses what is not a message: unknown kind, truncation, trailing bytes', () => {
    const good = encodeFanoutMessage(messages[3]!);
    expect(decodeFanoutMessage(new Uint8Array([9, 0]))).toBeNull();
    expect(decodeFanoutMessage(good.slice(0, good.length - 1))).toBeNull();
    expect(decodeFanoutMessage(new Uint8Array([...good, 0]))).toBeNull();
    expect(decodeFanoutMessage(new Uint8Array())).toBeNull();
  });
});
