import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_LIMITS } from './limits.js';

describe('loadConfig', () => {
  it('applies defaults, with a random ticket secret outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 1234,
      logLevel: 'info',
      limits: DEFAULT_LIMITS,
    });
    expect(config.ticketSecretGenerated).toBe(true);
    expect(config.ticketSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).ticketSecret).not.toBe(config.ticketSecret);
    expect(config.db.kind).toBe('pglite');
  });

  it('reads the secret, limits and database', () => {
    const config = loadConfig({
      SYNC_TICKET_SECRET: 'x'.repeat(40),
      SYNC_MAX_CONNECTIONS_PER_USER: '3',
      SYNC_MESSAGES_PER_SECOND: '20',
      DATABASE_URL: 'postgres://u@db.example:5432/concord',
    });
    expect(config.ticketSecret).toBe('x'.repeat(40));
    expect(config.ticketSecretGenerated).toBe(false);
    expect(config.limits).toEqual({
      ...DEFAULT_LIMITS,
      maxConnectionsPerUser: 3,
      messagesPerSecond: 20,
    });
    expect(config.db).toMatchObject({ kind: 'postgres' });
  });

  it('requires the secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SYNC_TICKET_SECRET: is required in production/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', SYNC_TICKET_SECRET: 's'.repeat(32) })
        .ticketSecretGenerated,
    ).toBe(false);
  });

  it('names every bad variable, never echoing the secret', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        SYNC_TICKET_SECRET: 'short-secret',
        SYNC_MESSAGE_BURST: '0',
        DATABASE_URL: 'mysql://nope',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(5);
      expect(problems.find((p) => p.startsWith('PORT: '))).toMatch(/"eighty"/);
      expect(problems.some((p) => p.startsWith('LOG_LEVEL: '))).toBe(true);
      expect(problems.some((p) => p.startsWith('SYNC_MESSAGE_BURST: '))).toBe(true);
      expect(problems.some((p) => p.startsWith('DATABASE_URL: '))).toBe(true);
      const secret = problems.find((p) => p.startsWith('SYNC_TICKET_SECRET: '));
      expect(secret).toMatch(/at least 32 bytes/);
      expect(problems.join('\n')).not.toContain('short-secret');
    }
  });

  it('reads Redis and the write-queue bounds, keeping a Redis password out of messages', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      SYNC_MAX_PENDING_WRITES: '1000',
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisChannelPrefix).toBe('concord:');
    expect(config.limits.maxPendingWrites).toBe(1000);
    expect(loadConfig({}).redisUrl).toBeNull();
    try {
      loadConfig({ REDIS_URL: 'http://:hunter2@example.org', REDIS_CHANNEL_PREFIX: 'a b' });
      expect.unreachable();
    } catch (e) {
      const problems = (e as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('REDIS_URL: must be a redis://'))).toBe(true);
      expect(problems.some((p) => p.startsWith('REDIS_CHANNEL_PREFIX: '))).toBe(true);
      expect(problems.join('\n')).not.toContain('hunter2');
    }
  });
});
