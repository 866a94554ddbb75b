import { describe, expect, it } from 'vitest';
import { parseSyncConfig, SyncConfigError } from './sync-config.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';

function problems(env: Record<string, string>, requireSecret = true): string {
  try {
    parseSyncConfig(env, { requireSecret });
  } catch (e) {
    if (e instanceof SyncConfigError) return e.problems.join('\n');
    throw e;
  }
  return '';
}

describe('parseSyncConfig', () => {
  it('reads the secret, and defaults to deriving the URL on port 1234', () => {
    expect(parseSyncConfig({ SYNC_TICKET_SECRET: secret }, { requireSecret: true })).toEqual({
      ticketSecret: secret,
      ticketSecretGenerated: false,
      publicUrl: null,
      port: 1234,
    });
  });

  it('requires the secret in a built app, and makes one up in development', () => {
    expect(problems({})).toMatch(/SYNC_TICKET_SECRET is not set/);
    const dev = parseSyncConfig({}, { requireSecret: false });
    expect(dev.ticketSecretGenerated).toBe(true);
    expect(Buffer.byteLength(dev.ticketSecret)).toBeGreaterThanOrEqual(32);
  });

  it('names each bad variable', () => {
    expect(problems({ SYNC_TICKET_SECRET: 'short' })).toMatch(
      /^SYNC_TICKET_SECRET must be at least 32 bytes/,
    );
    expect(problems({ SYNC_TICKET_SECRET: secret, PUBLIC_SYNC_URL: 'http://x/sync' })).toMatch(
      /^PUBLIC_SYNC_URL must be the sync server's WebSocket address/,
    );
    expect(problems({ SYNC_TICKET_SECRET: secret, SYNC_PORT: '99999' })).toMatch(
      /^SYNC_PORT must be a port number/,
    );
  });

  it('takes PUBLIC_SYNC_URL without its trailing slash', () => {
    const config = parseSyncConfig(
      { SYNC_TICKET_SECRET: secret, PUBLIC_SYNC_URL: 'wss://sync.example.org/sync/' },
      { requireSecret: true },
    );
    expect(config.publicUrl).toBe('wss://sync.example.org/sync');
  });
});
