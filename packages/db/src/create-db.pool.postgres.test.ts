/**
 * The PostgreSQL pool createDb returns is warm: POSTGRES_POOL_MIN connections (never more than
 * the pool's max) are open before it returns and stay open while idle, so the first queries
 * after a start do not pay for connecting.
 */
import { describe, expect, it } from 'vitest';
import { createDb, POSTGRES_POOL_MIN, type PostgresHandle } from './create-db.js';
import { scratchPostgres } from './test-fixtures.js';

describe('the PostgreSQL pool', () => {
  const db = scratchPostgres();

  async function open(poolMax: number): Promise<PostgresHandle> {
    const handle = await createDb({ databaseUrl: db.url(), poolMax });
    db.keep(handle);
    if (handle.kind !== 'postgres') throw new Error('expected PostgreSQL');
    return handle;
  }

  it('has its minimum of connections open, idle, when createDb returns', async () => {
    const { pool } = await open(10);
    expect(POSTGRES_POOL_MIN).toBeGreaterThan(1);
    expect(pool.totalCount).toBe(POSTGRES_POOL_MIN);
    expect(pool.idleCount).toBe(POSTGRES_POOL_MIN);
    // Serving queries does not shrink it below the minimum.
    await Promise.all([pool.query('select 1'), pool.query('select 2')]);
    expect(pool.totalCount).toBeGreaterThanOrEqual(POSTGRES_POOL_MIN);
  });

  it('never opens more than the pool may hold', async () => {
    const { pool } = await open(1);
    expect(pool.totalCount).toBe(1);
    const { rows } = await pool.query<{ one: number }>('select 1 as one');
    expect(rows[0]?.one).toBe(1);
  });
});
