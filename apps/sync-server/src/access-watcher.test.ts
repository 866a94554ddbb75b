import type { DbHandle } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { AccessWatcher, AUDIT_GAP_GRACE_MS, type AccessChange } from './access-watcher.js';

interface Row {
  id: number;
  workspace_id: string;
  action: string;
}

/** An audit log in memory behind the two statements the watcher runs. */
function fakeAuditLog() {
  const rows: Row[] = [];
  const state = {
    rows,
    queries: 0,
    inFlight: 0,
    maxInFlight: 0,
    fail: 0,
    delayMs: 0,
    lastParams: [] as unknown[],
  };
  const sql = {
    async query(statement: { text: string }, params: readonly unknown[] = []) {
      state.queries++;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        await new Promise((r) => setTimeout(r, state.delayMs));
        if (state.fail > 0) {
          state.fail--;
          throw new Error('connection refused');
        }
        state.lastParams = [...params];
        if (statement.text.includes('max(id)')) {
          const max = rows.reduce((m, r) => Math.max(m, r.id), 0);
          return [{ id: max === 0 ? null : String(max) }];
        }
        const after = Number(params[0]);
        const gaps = (params[1] as string[]).map(Number);
        return rows
          .filter((r) => r.id > after || gaps.includes(r.id))
          .sort((a, b) => a.id - b.id)
          .map((r) => ({ ...r, id: String(r.id) }));
      } finally {
        state.inFlight--;
      }
    },
  };
  return { sql: sql as unknown as DbHandle['sql'], state };
}

function fakeLog() {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (_fields: unknown, msg: string) => void lines.push({ level, msg });
  return {
    lines,
    log: { info: at('info'), warn: at('warn'), error: at('error') } as unknown as FastifyBaseLogger,
  };
}

function started(options: { intervalMs?: number; now?: () => number } = {}) {
  const audit = fakeAuditLog();
  const { log, lines } = fakeLog();
  const changes: AccessChange[] = [];
  let reject = 0;
  const watcher = new AccessWatcher({ sql: audit.sql, intervalMs: 60_000, ...options });
  watcher.start(async (change) => {
    if (reject > 0) {
      reject--;
      throw new Error('recheck failed');
    }
    changes.push(change);
  }, log);
  return {
    watcher,
    audit: audit.state,
    lines,
    changes,
    rejectNext: () => void reject++,
  };
}

describe('AccessWatcher', () => {
  it('starts at the head, then reports each workspace with an access change once', async () => {
    const w = started();
    w.audit.rows.push({ id: 1, workspace_id: 'old', action: 'membership.remove' });
    await w.watcher.poll(); // reads the head: row 1 predates it
    w.audit.rows.push(
      { id: 2, workspace_id: 'a', action: 'membership.role-change' },
      { id: 3, workspace_id: 'b', action: 'consensus.record' },
      { id: 4, workspace_id: 'a', action: 'ratings.reveal' },
      { id: 5, workspace_id: 'c', action: 'ratings.hide' },
    );
    await w.watcher.poll();
    expect(w.changes).toEqual(['all', ['a', 'c']]);
    await w.watcher.poll();
    expect(w.changes).toHaveLength(2);
    await w.watcher.stop();
  });

  it('asks again for ids skipped over, since they may commit later, until the grace ends', async () => {
    let now = 0;
    const w = started({ now: () => now });
    await w.watcher.poll();
    w.audit.rows.push({ id: 2, workspace_id: 'a', action: 'membership.add' });
    await w.watcher.poll();
    expect(w.audit.lastParams).toEqual(['0', []]);
    // id 1 was in flight: it shows up after 2.
    w.audit.rows.push({ id: 1, workspace_id: 'late', action: 'membership.remove' });
    await w.watcher.poll();
    expect(w.audit.lastParams).toEqual(['2', ['1']]);
    expect(w.changes).toEqual(['all', ['a'], ['late']]);
    await w.watcher.poll();
    expect(w.audit.lastParams).toEqual(['2', []]);
    // A gap that never fills is given up after the grace.
    w.audit.rows.push({ id: 4, workspace_id: 'a', action: 'membership.add' });
    await w.watcher.poll();
    now += AUDIT_GAP_GRACE_MS + 1;
    await w.watcher.poll();
    expect(w.audit.lastParams).toEqual(['4', []]);
    await w.watcher.stop();
  });

  it('survives database errors and failed rechecks: logged, and nothing is lost', async () => {
    const w = started();
    w.rejectNext(); // the first full recheck fails: tried again on the next poll
    await w.watcher.poll();
    await w.watcher.poll();
    expect(w.changes).toEqual(['all']);
    w.changes.length = 0;
    w.lines.length = 0;
    w.audit.rows.push({ id: 1, workspace_id: 'a', action: 'membership.remove' });
    w.audit.fail = 2;
    await w.watcher.poll();
    await w.watcher.poll();
    expect(w.changes).toEqual([]);
    w.rejectNext();
    await w.watcher.poll();
    expect(w.changes).toEqual([]);
    await w.watcher.poll();
    expect(w.changes).toEqual([['a']]);
    expect(w.lines.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'error access watcher poll failed',
      'warn access watcher poll failed again',
      'warn access watcher poll failed again',
      'info access watcher recovered',
    ]);
    await w.watcher.stop();
  });

  it('never overlaps itself, polls on its interval, and stops (waiting for a poll in flight)', async () => {
    const w = started({ intervalMs: 10 });
    w.audit.delayMs = 30;
    // Several polls on its own timer (counted: how many fit in a given time depends on the
    // machine), each 30 ms long with 10 ms between, and two more asked for at once: never two
    // at the same time.
    await vi.waitFor(() => expect(w.audit.queries).toBeGreaterThanOrEqual(4), { timeout: 20_000 });
    await Promise.all([w.watcher.poll(), w.watcher.poll()]);
    expect(w.audit.maxInFlight).toBe(1);
    await w.watcher.stop();
    const after = w.audit.queries;
    await new Promise((r) => setTimeout(r, 60));
    expect(w.audit.queries).toBe(after);
    expect(w.audit.inFlight).toBe(0);
  });
});
