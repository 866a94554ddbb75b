/**
 * What GET /health and GET /ready say, from the state of the dependencies:
 * - liveness (/health, always 200 while the process serves): `ok`, or `degraded` with reasons
 *   while the database is unreachable, updates are queued for it, or Redis is down;
 * - readiness (/ready, 200 or 503): the database answers a trivial query within
 *   DATABASE_CHECK_TIMEOUT_MS, and Redis (when configured) is connected. A load balancer stops
 *   sending new clients to an instance that is not ready; its open clients keep editing.
 */
import { DATABASE_CHECK_TIMEOUT_MS } from './limits.js';
import type { Persistence } from './persistence.js';
import type { Fanout } from './redis.js';

export type DatabaseStatus = 'ok' | 'down';
export type RedisStatus = 'ok' | 'down' | 'off';
export type DegradedReason = 'database-unreachable' | 'writes-queued' | 'redis-unreachable';

export interface Readiness {
  status: 'ready' | 'not-ready';
  database: DatabaseStatus;
  redis: RedisStatus;
}

export interface Liveness {
  status: 'ok' | 'degraded';
  reasons: DegradedReason[];
  database: DatabaseStatus;
  redis: RedisStatus;
  /** Updates accepted and not yet stored, and how many of them wait for the database. */
  pendingWrites: number;
  queuedWrites: number;
  /** When the current database outage began (ISO 8601), or null. */
  degradedSince: string | null;
}

export interface HealthOptions {
  persistence: Pick<Persistence, 'degraded' | 'degradedSince' | 'pending' | 'queued'>;
  fanout?: Pick<Fanout, 'status'> | undefined;
  /** A cheap query (`select 1`); without it the database counts as up unless writes fail. */
  checkDatabase?: (() => Promise<unknown>) | undefined;
  timeoutMs?: number;
}

export class Health {
  constructor(private readonly options: HealthOptions) {}

  async readiness(): Promise<Readiness> {
    const [database, redis] = [await this.database(), this.redis()];
    const ready = database === 'ok' && redis !== 'down';
    return { status: ready ? 'ready' : 'not-ready', database, redis };
  }

  async liveness(): Promise<Liveness> {
    const { persistence } = this.options;
    const database = await this.database();
    const redis = this.redis();
    const reasons: DegradedReason[] = [];
    if (database === 'down') reasons.push('database-unreachable');
    if (persistence.degraded) reasons.push('writes-queued');
    if (redis === 'down') reasons.push('redis-unreachable');
    return {
      status: reasons.length > 0 ? 'degraded' : 'ok',
      reasons,
      database,
      redis,
      pendingWrites: persistence.pending,
      queuedWrites: persistence.queued,
      degradedSince: persistence.degradedSince?.toISOString() ?? null,
    };
  }

  private redis(): RedisStatus {
    const { fanout } = this.options;
    if (!fanout) return 'off';
    return fanout.status === 'connected' ? 'ok' : 'down';
  }

  private async database(): Promise<DatabaseStatus> {
    const { checkDatabase, persistence } = this.options;
    if (!checkDatabase) return persistence.degraded ? 'down' : 'ok';
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        checkDatabase(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('timed out')),
            this.options.timeoutMs ?? DATABASE_CHECK_TIMEOUT_MS,
          );
        }),
      ]);
      return 'ok';
    } catch {
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
