/**
 * Notices access changes made elsewhere (the web app, another process) by polling the audit log:
 * every role change, removal, reveal, hide or deletion is written there in the same transaction
 * as the change itself, so a new audit row of one of those actions means "recheck the open
 * connections of that workspace". One cheap query by primary key every ACCESS_RECHECK_MS.
 *
 * Ids are handed out when a row is inserted, not when its transaction commits, so a row with a
 * smaller id can become visible after a larger one was seen. Ids skipped over are remembered as
 * gaps and asked for again for AUDIT_GAP_GRACE_MS (a rolled-back insert leaves a gap for good).
 *
 * Polls never overlap (the next is scheduled when one finishes), a failed poll or recheck is
 * logged and retried on the next one without losing its rows, and stop() waits for a poll in
 * flight.
 */
import type { DbHandle } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';

/** How often the audit log is polled: the longest a role change, removal or reveal made by
 * another process takes to reach open connections (plus the recheck itself, a few ms). An
 * in-process caller can act at once with hub.recheckAccess. */
export const ACCESS_RECHECK_MS = 1_000;

/** How long an id skipped over is asked for again (longer than any web-app transaction). */
export const AUDIT_GAP_GRACE_MS = 30_000;

/** Most gaps remembered, and most rows read per poll (the rest come on the next poll). */
export const MAX_AUDIT_GAPS = 1_000;
export const AUDIT_BATCH_ROWS = 1_000;

/** Audit actions that can change what an open connection may do. */
export const ACCESS_AUDIT_ACTIONS = [
  'membership.add',
  'membership.remove',
  'membership.role-change',
  'ratings.reveal',
  'ratings.hide',
  'document.delete',
] as const;

/** Workspaces whose access changed, or 'all': anything may have changed (recheck every open
 * connection), reported once the watcher knows where the log starts. */
export type AccessChange = string[] | 'all';

/** Where access changes come from; hub.ts starts it and stops it on shutdown. */
export interface AccessChangeSource {
  /** `onChange` gets the workspaces whose access changed; when it rejects, the same changes are
   * reported again on the next poll. Failures are logged to `log`. */
  start(onChange: (change: AccessChange) => Promise<void>, log: FastifyBaseLogger): void;
  stop(): Promise<void>;
}

export interface AccessWatcherOptions {
  sql: DbHandle['sql'];
  /** Default ACCESS_RECHECK_MS. */
  intervalMs?: number;
  /** Milliseconds clock (default Date.now), for tests of the gap grace. */
  now?: () => number;
}

const HEAD = { name: 'concord_sync_audit_head', text: 'select max(id)::text as id from audit_log' };

const SINCE = {
  name: 'concord_sync_audit_since',
  text: `select id::text as id, workspace_id::text as workspace_id, action from audit_log
     where id > $1::bigint or id = any($2::bigint[])
     order by id limit ${AUDIT_BATCH_ROWS}`,
};

interface AuditRow {
  id: string;
  workspace_id: string;
  action: string;
  [key: string]: unknown;
}

export class AccessWatcher implements AccessChangeSource {
  private lastSeen: number | null = null;
  /** Ids skipped over, with when they were first missed. */
  private readonly gaps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private onChange: ((change: AccessChange) => Promise<void>) | null = null;
  /** The head has been read but 'all' not yet reported (or its recheck failed). */
  private catchUp = false;
  private log: FastifyBaseLogger | null = null;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessWatcherOptions) {
    this.intervalMs = options.intervalMs ?? ACCESS_RECHECK_MS;
    this.now = options.now ?? Date.now;
  }

  start(onChange: (change: AccessChange) => Promise<void>, log: FastifyBaseLogger): void {
    if (this.onChange) throw new Error('AccessWatcher already started');
    this.onChange = onChange;
    this.log = log;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One poll, now (tests; the timer calls the same). Resolves when its recheck is done. */
  poll(): Promise<void> {
    this.running ??= this.pollOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.poll().then(() => this.schedule(this.intervalMs));
    }, delayMs);
    // Polling alone must not keep the process alive.
    this.timer.unref();
  }

  private async pollOnce(): Promise<void> {
    try {
      if (this.lastSeen === null) {
        // Start at the head. Connections opened before it was read (rare: it is read at once,
        // but the database may be slow or down at start) may have missed a change: one recheck
        // of everything covers them.
        const [head] = await this.options.sql.query<{ id: string | null }>(HEAD);
        this.lastSeen = Number(head?.id ?? 0);
        this.catchUp = true;
      } else {
        await this.readChanges(this.lastSeen);
      }
      if (this.catchUp) {
        await this.onChange?.('all');
        this.catchUp = false;
      }
      if (this.failures > 0) {
        this.log?.info({ failures: this.failures }, 'access watcher recovered');
        this.failures = 0;
      }
    } catch (error) {
      // Database down or the recheck failed: keep what we had and try again next time.
      this.failures++;
      const fields = { err: error, failures: this.failures };
      if (this.failures === 1) this.log?.error(fields, 'access watcher poll failed');
      else this.log?.warn(fields, 'access watcher poll failed again');
    }
  }

  private async readChanges(lastSeen: number): Promise<void> {
    const now = this.now();
    for (const [id, since] of this.gaps) {
      if (now - since > AUDIT_GAP_GRACE_MS) this.gaps.delete(id);
    }
    const rows = await this.options.sql.query<AuditRow>(SINCE, [
      String(lastSeen),
      [...this.gaps.keys()].map(String),
    ]);
    const workspaces = new Set<string>();
    let next = lastSeen;
    const found = new Set<number>();
    for (const row of rows) {
      const id = Number(row.id);
      found.add(id);
      if ((ACCESS_AUDIT_ACTIONS as readonly string[]).includes(row.action)) {
        workspaces.add(row.workspace_id);
      }
      if (id > next) next = id;
    }
    if (workspaces.size > 0) await this.onChange?.([...workspaces]);
    // Only once the recheck succeeded: on failure the same rows come back next time.
    for (const id of found) this.gaps.delete(id);
    for (let id = lastSeen + 1; id < next && this.gaps.size < MAX_AUDIT_GAPS; id++) {
      if (!found.has(id)) this.gaps.set(id, now);
    }
    this.lastSeen = next;
  }
}
