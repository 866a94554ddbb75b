/**
 * The process-wide sync state: open rooms by document, open connections (and how many each user
 * holds), the one Persistence in front of the group committer, revocation and shutdown. app.ts
 * hands it each upgraded, authenticated WebSocket. Later, Redis fan-out between instances hooks
 * in here (a room's relayed frames published per document) and metrics read its counters.
 */
import type { DocumentStore, GroupCommitter } from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Capability, Ticket } from './auth.js';
import { Connection } from './connection.js';
import { ConnectionCounter, SHUTDOWN_FLUSH_TIMEOUT_MS, type Limits } from './limits.js';
import { Persistence } from './persistence.js';
import { CLOSE } from './protocol.js';
import { Room } from './room.js';

export interface HubOptions {
  store: Pick<DocumentStore, 'load'>;
  committer: Pick<GroupCommitter, 'append'>;
  limits: Limits;
  log: FastifyBaseLogger;
  /** How long shutdown waits for unsaved updates (default SHUTDOWN_FLUSH_TIMEOUT_MS). */
  shutdownTimeoutMs?: number;
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

  constructor(private readonly options: HubOptions) {
    this.persistence = new Persistence({ committer: options.committer, log: options.log });
    this.perUser = new ConnectionCounter(options.limits.maxConnectionsPerUser);
  }

  get limits(): Limits {
    return this.options.limits;
  }

  /** Counts for health checks and, later, metrics. */
  stats(): { rooms: number; connections: number; pendingWrites: number } {
    return {
      rooms: this.rooms.size,
      connections: this.connections.size,
      pendingWrites: this.persistence.pending,
    };
  }

  /** The open room of a document, if any (tests, diagnostics). */
  room(documentId: string): Room | undefined {
    return this.rooms.get(documentId.toLowerCase());
  }

  /** Takes over an upgraded socket whose ticket has been verified for its document. */
  accept(socket: WebSocket, ticket: Ticket, wantsAck: boolean, log: FastifyBaseLogger): Connection {
    const conn = new Connection({
      id: this.nextConnectionId++,
      socket,
      ticket,
      wantsAck,
      limits: this.options.limits,
      log,
      draining: () => this.draining,
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
    return conn;
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
    this.persistence.close();
    // Let the acknowledgements queued by the last commits go out before the close frames.
    await new Promise((resolve) => setImmediate(resolve));
    for (const conn of [...this.connections])
      conn.close(CLOSE.SERVICE_RESTART, 'server restarting');
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
