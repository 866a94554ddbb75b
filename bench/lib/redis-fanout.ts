/**
 * Whether apps/sync-server can fan out through Redis (P5), and the environment that turns it on
 * for one instance: REDIS_URL (from the environment, default the local Redis) and
 * REDIS_CHANNEL_PREFIX, fresh per run so nothing else on the same Redis shares its channels.
 * Read from the server's sources (src/redis.ts, and the variables its config accepts), so the P5
 * harness runs as soon as the server supports it and says why when it does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process.js';

export interface RedisFanoutSupport {
  available: boolean;
  /** Why P5 cannot run, when it cannot. */
  reason: string;
  url: string;
  env(channelPrefix: string): Record<string, string>;
}

export function redisFanout(): RedisFanoutSupport {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const src = join(REPO_ROOT, 'apps/sync-server/src');
  const config = existsSync(join(src, 'config.ts'))
    ? readFileSync(join(src, 'config.ts'), 'utf8')
    : '';
  const hasFanout = existsSync(join(src, 'redis.ts')) && config.includes('REDIS_URL');
  const hasPrefix = config.includes('REDIS_CHANNEL_PREFIX');
  return {
    available: hasFanout,
    reason: hasFanout
      ? ''
      : 'apps/sync-server has no Redis fan-out yet (no src/redis.ts, or its config does not read REDIS_URL).',
    url,
    env: (channelPrefix) => ({
      REDIS_URL: url,
      ...(hasPrefix && { REDIS_CHANNEL_PREFIX: `${channelPrefix}:` }),
    }),
  };
}
