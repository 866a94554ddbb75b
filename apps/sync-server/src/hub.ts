/**
 * The process-wide sync state: open rooms by document, open connections (and how many each user
 * holds), the one Persistence in front of the group committer, authorization (a verified ticket
 * checked against the access policy before the upgrade, and every open connection checked again
 * when access in its workspace changes), revocation and shutdown. app.ts hands it each upgraded,
 * authorized WebSocket. Later, Redis fan-out between instances hooks in here (a room's relayed
 * frames published per document) and metrics read its counters.
 */
import type { DocumentKind } from '@concord/auth/roles';
import { DOCUMENT_SHAPES } from '@concord/documents/shapes';
import type { DocumentStore, GroupCommitter } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type * as Y from 'yjs';
import {
  ACCESS_PROBLEM_TEXT,
  intersectCapabilities,
  trustTicket,
  type Access,
  type AccessPolicy,
  type AccessProblem,
} from './access.js';
import type { AccessChangeSource } from './access-watcher.js';
import type { Capability, Ticket } from '@concord/sync-protocol/ticket';
import { Connection, type ConnectionOptions } from './connection.js';
import {
  ConnectionCounter,
  KEEPALIVE_IDLE_MS,
  SHUTDOWN_FLUSH_TIMEOUT_MS,
  type Limits,
} from './limits.js';
import { Persistence } from './persistence.js';
import { CLOSE } from './protocol.js';
import { err, ok, type Result } from './result.js';
import type { SyncMetrics } from './metrics.js';
import {
  Room,
  type EditAuthor,
  type ProjectionHooks,
  type RoomServices,
  type RoundHooks,
} from './room.js';

export interface HubOptions {
  store: Pick<DocumentStore, 'load'>;
  committer: Pick<GroupCommitter, 'append'>;
  limits: Limits;
  log: FastifyBaseLogger;
  /** How long shutdown waits for unsaved updates (default SHUTDOWN_FLUSH_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
  /** Silence after which a connection gets a keepalive (default KEEPALIVE_IDLE_MS; tests). */
  keepaliveIdleMs?: number;
  /** What a member may do on a document now (default trustTicket: the ticket alone decides). */
  access?: AccessPolicy;
  /** Where access changes made elsewhere come from (main.ts: the audit-log watcher). Started
   * with the hub, stopped by shutdown(). */
  accessChanges?: AccessChangeSource;
  /** Fan-out, compaction (shared by every room) and metrics; all optional. */
  services?: Omit<RoomServices, 'rounds' | 'projection'> & { metrics?: SyncMetrics };
  /** Rating rounds, made with the hub they edit through (server.ts: rounds/round-service.ts). */
  rounds?: (hub: SyncHub) => RoundHooks;
  /** The query tables kept in step, made with the hub it reads documents through
   * (projection/projector.ts). */
  projection?: (hub: SyncHub) => ProjectionHooks;
}

/** A verified ticket authorized against the access policy: what accept() takes. */
export interface Grant {
  ticket: Ticket;
  /** The ticket's capabilities ∩ what the role allows; always includes 'read'. */
  capabilities: readonly Capability[];
  workspaceId: string | null;
  /** The document's kind (access.ts), whose shape the update guard checks against. */
  kind: DocumentKind | null;
  /** The hub's access generation when the policy was asked: if a recheck started since, the
   * answer may predate the change, so accept() checks the new connection again. */
  generation: number;
}

/** Whose open connections recheckAccess() checks again. */
export type RecheckTarget = { workspaceId: string } | { userId: string } | { documentId: string };

export interface RecheckResult {
  /** Open connections checked. */
  checked: number;
  /** Kept open with fewer capabilities (lost write or awareness). */
  changed: number;
  /** Closed: no read any more (ACCESS_REVOKED) or the document is gone (DOCUMENT_NOT_FOUND). */
  closed: number;
}

/** Whose connections revoke() acts on. */
export type RevokeTarget = { userId: string } | { documentId: string };

export interface RevokeOptions {
  /** Keep the connections open with these capabilities instead of closing them (a role
   * change). Without 'read' they are closed. */
  downgradeTo?: readonly Capability[];
}

export class SyncHub {
  readonly persistence: Persistence;
  private readonly rooms = new Map<string, Room>();
  /** Rooms closed by a reset whose writes are still in flight, by document. */
  private readonly retiring = new Map<string, Promise<void>>();
  private readonly connections = new Set<Connection>();
  private readonly perUser: ConnectionCounter<Connection>;
  private nextConnectionId = 1;
  private draining = false;
  private readonly access: AccessPolicy;
  /** Bumped by every recheckAccess call (see Grant.generation). */
  private accessGeneration = 0;
  /** Rechecks run one after another, so an older answer never overwrites a newer one. */
  private recheckQueue: Promise<unknown> = Promise.resolve();
  /** One sweep for every connection, not a timer each (2,000 connections, one interval). */
  private readonly keepaliveTimer: NodeJS.Timeout;
  private readonly rounds: RoundHooks | undefined;
  private readonly projection: ProjectionHooks | undefined;

  constructor(private readonly options: HubOptions) {
    this.persistence = new Persistence({
      committer: options.committer,
      log: options.log,
      limits: options.limits,
      ...(options.services?.metrics && { metrics: options.services.metrics }),
    });
    this.perUser = new ConnectionCounter(options.limits.maxConnectionsPerUser);
    this.access = options.access ?? trustTicket;
    this.rounds = options.rounds?.(this);
    this.projection = options.projection?.(this);
    const idleMs = options.keepaliveIdleMs ?? KEEPALIVE_IDLE_MS;
    this.keepaliveTimer = setInterval(() => {
      const idleSince = performance.now() - idleMs;
      for (const conn of this.connections) conn.keepAlive(idleSince);
    }, idleMs / 3);
    this.keepaliveTimer.unref();
    options.accessChanges?.start(async (change) => {
      if (change === 'all') {
        this.accessGeneration++;
        await this.queueRecheck(() => [...this.connections]);
        return;
      }
      for (const workspaceId of change) await this.recheckAccess({ workspaceId });
    }, options.log);
  }

  get limits(): Limits {
    return this.options.limits;
  }

  /**
   * The server's own edit of a document, attributed to `author`, the person who asked for it
   * (a round opened or revealed, a rater's progress): loads the document if no one has it open,
   * applies `change` as one transaction, relays it to every client and instance and stores it.
   * Every participant receives it through the sync they already have. Resolves with the stored
   * seq once stored; rejects when the document cannot be loaded or the change throws.
   */
  async edit(
    documentId: string,
    change: (doc: Y.Doc) => void,
    author: EditAuthor,
  ): Promise<number | null> {
    const room = this.acquireRoom(documentId.toLowerCase());
    room.pin();
    try {
      const loaded = await room.loaded;
      if (!loaded.ok)
        throw new Error(`document ${documentId} could not be loaded: ${loaded.error}`);
      return await room.edit(change, author);
    } finally {
      room.unpin();
    }
  }

  /**
   * Runs `read` on documents as loaded (opened if no one has them open), all at once, so what it
   * reads and what it then changes through `Room.edit` happen in one turn of the event loop:
   * nothing a client sends can come in between. Used by a reveal (read every rater's ratings,
   * then freeze them and write the snapshot).
   */
  async withRooms<T>(documentIds: readonly string[], use: (rooms: Room[]) => T): Promise<T> {
    const rooms = documentIds.map((id) => this.acquireRoom(id.toLowerCase()));
    for (const room of rooms) room.pin();
    try {
      const loaded = await Promise.all(rooms.map((r) => r.loaded));
      const failed = loaded.findIndex((l) => !l.ok);
      if (failed >= 0) throw new Error(`document ${documentIds[failed]} could not be loaded`);
      // A room may have been reset while others loaded; a closed one is opened again.
      if (rooms.some((r) => r.status !== 'ready')) return this.withRooms(documentIds, use);
      return use(rooms);
    } finally {
      for (const room of rooms) room.unpin();
    }
  }

  /** Counts for health checks and, later, metrics. */
  stats(): { rooms: number; connections: number; pendingWrites: number } {
    return {
      rooms: this.rooms.size,
      connections: this.connections.size,
      pendingWrites: this.persistence.pending,
    };
  }

  /** Brings the query tables up to the stored documents (on start; see projection/projector.ts). */
  catchUpProjections(): Promise<number> {
    return this.projection?.catchUp?.() ?? Promise.resolve(0);
  }

  /** The open room of a document, if any (tests, diagnostics). */
  room(documentId: string): Room | undefined {
    return this.rooms.get(documentId.toLowerCase());
  }

  /**
   * What a verified ticket's holder may do on its document now: the ticket's capabilities ∩ the
   * role's (access.ts), or why not. Rejects when the policy cannot answer (database down).
   */
  async authorize(ticket: Ticket): Promise<Result<Grant, AccessProblem>> {
    const generation = this.accessGeneration;
    const access = await this.access.capabilitiesFor(ticket.userId, ticket.documentId);
    if (!access.ok) return access;
    const capabilities = intersectCapabilities(ticket.capabilities, access.value.capabilities);
    if (!capabilities.includes('read')) return err('no-access');
    const { workspaceId, kind } = access.value;
    return ok({ ticket, capabilities, workspaceId, kind, generation });
  }

  /** Takes over an upgraded socket (and the TCP socket under it) whose ticket has been verified
   * and authorized. */
  accept(
    socket: WebSocket,
    transport: ConnectionOptions['transport'],
    grant: Grant,
    wantsAck: boolean,
    log: FastifyBaseLogger,
  ): Connection {
    const { ticket } = grant;
    const conn = new Connection({
      id: this.nextConnectionId++,
      socket,
      transport,
      ticket,
      capabilities: grant.capabilities,
      workspaceId: grant.workspaceId,
      shape: grant.kind === null ? null : DOCUMENT_SHAPES[grant.kind],
      wantsAck,
      limits: this.options.limits,
      log,
      draining: () => this.draining,
      ...(this.options.services?.metrics && { metrics: this.options.services.metrics }),
      onClosed: (c) => {
        this.connections.delete(c);
        this.perUser.remove(c.userId, c);
      },
    });
    if (this.draining) {
      conn.close(CLOSE.SERVICE_RESTART, 'server restarting');
      return conn;
    }
    if (!this.perUser.tryAdd(ticket.userId, conn)) {
      conn.close(
        CLOSE.TOO_MANY_CONNECTIONS,
        `user already holds ${this.options.limits.maxConnectionsPerUser} connections`,
      );
      return conn;
    }
    this.connections.add(conn);
    this.acquireRoom(ticket.documentId).join(conn);
    if (grant.generation !== this.accessGeneration) void this.queueRecheck(() => [conn]);
    return conn;
  }

  /**
   * Checks the open connections of a workspace, a user or a document against the access policy
   * again, and applies the answer at once: no read any more → closed with ACCESS_REVOKED (or
   * DOCUMENT_NOT_FOUND if the document is gone); otherwise it keeps only what the role still
   * allows (a downgrade to read-only takes effect on the next update). Capabilities are never
   * added to an open connection: one that was read-only may hold local edits the server refused,
   * which later updates would depend on, so gained capabilities apply from the next connection
   * (a fresh ticket and a full sync). The audit-log watcher calls it for every
   * workspace with a role change, removal, reveal or hide; an in-process web app may call it
   * right after such a change. Rejects if the policy could not answer for some connection (those
   * stay as they were; the others are applied).
   */
  recheckAccess(target: RecheckTarget): Promise<RecheckResult> {
    this.accessGeneration++;
    return this.queueRecheck(() =>
      [...this.connections].filter((c) =>
        'workspaceId' in target
          ? c.workspaceId === target.workspaceId.toLowerCase()
          : 'userId' in target
            ? c.userId === target.userId.toLowerCase()
            : c.documentId === target.documentId.toLowerCase(),
      ),
    );
  }

  /**
   * Closes (ACCESS_REVOKED) or downgrades the open connections of a user or of a document, for
   * role changes and removals made in the web app. Returns how many connections it touched.
   */
  revoke(target: RevokeTarget, options: RevokeOptions = {}): number {
    const matches = [...this.connections].filter((c) =>
      'userId' in target
        ? c.userId === target.userId.toLowerCase()
        : c.documentId === target.documentId.toLowerCase(),
    );
    const downgrade = options.downgradeTo;
    for (const conn of matches) {
      if (downgrade && downgrade.includes('read')) {
        conn.setCapabilities(downgrade);
        conn.log.info(
          {
            connection: conn.id,
            documentId: conn.documentId,
            userId: conn.userId,
            capabilities: downgrade,
          },
          'sync connection downgraded',
        );
      } else {
        conn.close(CLOSE.ACCESS_REVOKED, 'access revoked');
      }
    }
    return matches.length;
  }

  /**
   * Graceful stop: refuse new connections and ignore new messages (not acknowledged, so
   * clients send them again after reconnecting), wait for accepted updates to be stored (at
   * most the shutdown timeout), send the last acknowledgements, then close every client with
   * 1012 so the stock client reconnects (to this server once restarted, or another).
   */
  async shutdown(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    clearInterval(this.keepaliveTimer);
    this.rounds?.stop?.();
    await this.options.accessChanges?.stop();
    const timeoutMs = this.options.shutdownTimeoutMs ?? SHUTDOWN_FLUSH_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const stored = await Promise.race([
      this.persistence.settled().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!stored) {
      this.options.log.error(
        { pending: this.persistence.pending },
        'shutting down with updates not stored (they were not acknowledged)',
      );
    }
    // The documents are all stored: bring the query tables in step before the database goes.
    await this.projection?.stop?.();
    this.persistence.close();
    // Let the acknowledgements queued by the last commits go out before the close frames.
    await new Promise((resolve) => setImmediate(resolve));
    for (const conn of [...this.connections])
      conn.close(CLOSE.SERVICE_RESTART, 'server restarting');
  }

  private queueRecheck(select: () => Connection[]): Promise<RecheckResult> {
    const run = this.recheckQueue.then(() => this.recheck(select()));
    this.recheckQueue = run.catch(() => undefined);
    return run;
  }

  private async recheck(connections: Connection[]): Promise<RecheckResult> {
    const result: RecheckResult = { checked: 0, changed: 0, closed: 0 };
    // One question per user and document, however many tabs hold it open.
    const answers = new Map<string, Promise<Result<Access, AccessProblem>>>();
    const open = connections.filter((c) => c.isOpen);
    const settled = await Promise.allSettled(
      open.map((conn) => {
        const key = `${conn.userId} ${conn.documentId}`;
        let answer = answers.get(key);
        if (!answer) {
          answer = this.access.capabilitiesFor(conn.userId, conn.documentId);
          answers.set(key, answer);
        }
        return answer;
      }),
    );
    let failure: unknown = null;
    settled.forEach((outcome, i) => {
      const conn = open[i]!;
      if (outcome.status === 'rejected') {
        failure ??= outcome.reason;
        return;
      }
      if (!conn.isOpen) return;
      result.checked++;
      const applied = this.applyAccess(conn, outcome.value);
      if (applied !== 'kept') result[applied]++;
    });
    if (failure !== null) throw failure;
    return result;
  }

  private applyAccess(
    conn: Connection,
    answer: Result<Access, AccessProblem>,
  ): 'kept' | 'changed' | 'closed' {
    if (!answer.ok) {
      if (answer.error === 'no-document') {
        conn.close(CLOSE.DOCUMENT_NOT_FOUND, 'the document was deleted');
      } else {
        conn.close(CLOSE.ACCESS_REVOKED, `access revoked: ${ACCESS_PROBLEM_TEXT[answer.error]}`);
      }
      return 'closed';
    }
    const before = conn.currentCapabilities;
    const next = intersectCapabilities(before, answer.value.capabilities);
    if (!next.includes('read')) {
      conn.close(CLOSE.ACCESS_REVOKED, `access revoked: ${ACCESS_PROBLEM_TEXT['no-access']}`);
      return 'closed';
    }
    if (before.length === next.length && before.every((c) => next.includes(c))) return 'kept';
    conn.setCapabilities(next);
    conn.log.info(
      {
        connection: conn.id,
        documentId: conn.documentId,
        userId: conn.userId,
        from: before,
        capabilities: next,
      },
      'sync connection capabilities changed',
    );
    return 'changed';
  }

  private acquireRoom(documentId: string): Room {
    const existing = this.rooms.get(documentId);
    if (existing && existing.status !== 'closed') return existing;
    const room = new Room({
      documentId,
      store: this.options.store,
      persistence: this.persistence,
      limits: this.options.limits,
      log: this.options.log,
      ...((this.options.services || this.rounds || this.projection) && {
        services: {
          ...this.options.services,
          ...(this.rounds && { rounds: this.rounds }),
          ...(this.projection && { projection: this.projection }),
        },
      }),
      after: this.retiring.get(documentId),
      onClosed: (closed) => {
        if (this.rooms.get(documentId) === closed) this.rooms.delete(documentId);
        // A room can close with writes in flight only when reset; its successor waits for them.
        const settled = closed.settled();
        this.retiring.set(documentId, settled);
        void settled.then(() => {
          if (this.retiring.get(documentId) === settled) this.retiring.delete(documentId);
        });
      },
    });
    this.rooms.set(documentId, room);
    return room;
  }
}
