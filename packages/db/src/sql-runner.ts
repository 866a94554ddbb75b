/**
 * The narrow seam between the document store and a driver: run one statement, or run several in
 * one transaction. One implementation per driver (PGlite in-process, PostgreSQL through a `pg`
 * pool), so the store's SQL and rules exist once and both databases pass the same contract suite.
 *
 * Statements carry a name: on PostgreSQL a named statement is parsed and planned once per
 * connection and then only bound and executed, which matters on the append hot path. PGlite runs
 * in-process, where there is no round trip to save, and ignores the name.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export interface Statement {
  /** Unique per distinct SQL text (PostgreSQL caches the plan per connection under it). */
  name: string;
  text: string;
}

export type Row = Record<string, unknown>;

export interface SqlSession {
  query<R extends Row = Row>(statement: Statement, params?: readonly unknown[]): Promise<R[]>;
}

export interface SqlRunner extends SqlSession {
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
}

export function pgliteRunner(client: PGlite): SqlRunner {
  const session = (q: PGlite | Transaction): SqlSession => ({
    async query<R extends Row>(statement: Statement, params: readonly unknown[] = []) {
      const result = await q.query<R>(statement.text, [...params]);
      return result.rows;
    },
  });
  return {
    ...session(client),
    // PGlite serialises transactions itself (one connection, exclusive while a transaction runs).
    transaction: (fn) => client.transaction((tx) => fn(session(tx))),
  };
}

function postgresSession(q: Pool | PoolClient): SqlSession {
  return {
    async query<R extends Row>(statement: Statement, params: readonly unknown[] = []) {
      const result = await q.query<R>({
        name: statement.name,
        text: statement.text,
        values: [...params],
      });
      return result.rows;
    },
  };
}

/**
 * A runner on one connection the caller has checked out and keeps (migrate.ts's, which holds
 * the migration lock): its statements and transactions all run there. A transaction that fails
 * to roll back throws that error, so the caller knows not to reuse the connection.
 */
export function connectionRunner(client: PoolClient): SqlRunner {
  const session = postgresSession(client);
  return {
    ...session,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

export function postgresRunner(pool: Pool): SqlRunner {
  const session = postgresSession;
  return {
    ...session(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(session(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable (e.g. the server went away): drop it from the pool.
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/**
 * A runner whose transactions are savepoints inside `tx`, a transaction the caller already holds:
 * the document store can then work inside it (the demo seed, the web app's new-workspace
 * wizard). A transaction that throws undoes only its own work (the store's retry path), and
 * nothing commits before the caller's COMMIT. `label` names the savepoint and its statements.
 */
export function savepointRunner(tx: SqlSession, label: string): SqlRunner {
  const savepoint: Statement = { name: `${label}_savepoint`, text: `savepoint ${label}` };
  const release: Statement = { name: `${label}_release`, text: `release savepoint ${label}` };
  const rollback: Statement = {
    name: `${label}_rollback`,
    text: `rollback to savepoint ${label}`,
  };
  return {
    query: (statement, params) => tx.query(statement, params),
    async transaction(fn) {
      await tx.query(savepoint);
      try {
        const value = await fn(tx);
        await tx.query(release);
        return value;
      } catch (error) {
        await tx.query(rollback);
        throw error;
      }
    },
  };
}
