/** Configuration: which database createDb picks, and a clear message per bad value. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, DbConfigError, describeDbConfig, parseDbConfig } from './config.js';

describe('database configuration', () => {
  it('uses PGlite in .concord/pglite under the repository root when DATABASE_URL is unset', () => {
    const config = configFromEnv({});
    expect(config.kind).toBe('pglite');
    expect(config.kind === 'pglite' && config.dataDir).toMatch(/[/\\]\.concord[/\\]pglite$/);
    expect(configFromEnv({ DATABASE_URL: '' }).kind).toBe('pglite');
  });

  it('honours PGLITE_DATA_DIR, including memory://', () => {
    expect(configFromEnv({ PGLITE_DATA_DIR: 'memory://' })).toEqual({
      kind: 'pglite',
      dataDir: 'memory://',
    });
    expect(configFromEnv({ PGLITE_DATA_DIR: 'data/db' })).toEqual({
      kind: 'pglite',
      dataDir: join(process.cwd(), 'data/db'),
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set, with the default pool size', () => {
    expect(configFromEnv({ DATABASE_URL: 'postgresql://u:p@db.internal:5432/concord' })).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:p@db.internal:5432/concord',
      poolMax: 10,
    });
    expect(
      configFromEnv({ DATABASE_URL: 'postgres://localhost/c', DATABASE_POOL_MAX: '4' }),
    ).toMatchObject({ poolMax: 4 });
  });

  it('names the variable and the fix for each bad value, hiding passwords', () => {
    const error = (() => {
      try {
        parseDbConfig({ databaseUrl: 'mysql://root:secret@db/x', poolMax: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DbConfigError);
    expect((error as DbConfigError).problems).toEqual([
      'DATABASE_URL: must be a PostgreSQL URL like postgres://user:password@host:5432/database (or unset, to use the embedded database) (got "mysql://root:***@db/x")',
      'DATABASE_POOL_MAX: must be at least 1 (got "0")',
    ]);
    expect(() => configFromEnv({ DATABASE_URL: 'localhost:5432' })).toThrow(
      /DATABASE_URL: must be a PostgreSQL URL/,
    );
    expect(() =>
      configFromEnv({ DATABASE_URL: 'postgres://x/y', DATABASE_POOL_MAX: 'ten' }),
    ).toThrow('DATABASE_POOL_MAX: must be a whole number (got "ten")');
  });

  it('describes a configuration for logs without its password', () => {
    expect(describeDbConfig(parseDbConfig({ databaseUrl: 'postgres://u:hunter2@h/db' }))).toBe(
      'PostgreSQL at postgres://u:***@h/db',
    );
    expect(describeDbConfig(parseDbConfig({ pgliteDataDir: 'memory://' }))).toMatch(/in memory/);
  });
});
