/**
 * Every limit the sync server enforces, with its default, in one place; and the two small
 * mechanisms that enforce the per-connection and per-user ones (a token bucket, a counter per
 * user). What happens when a limit is hit (which close code, what is logged) is in
 * connection.ts and room.ts; the codes themselves are in protocol.ts.
 */
import { limits as dbLimits } from '@concord/db';

export interface Limits {
  /** Largest WebSocket message accepted from a client, in bytes. A larger one closes the
   * connection with MESSAGE_TOO_LARGE. The WebSocket layer itself drops frames over twice this
   * (see wsMaxPayload) before buffering them, so a hostile peer cannot make us hold more. */
  maxMessageBytes: number;
  /** Largest awareness update (cursor, name, colour) accepted, in bytes. Awareness states are
   * kept in memory and sent to everyone in the room, so they are held far below updates. */
  maxAwarenessBytes: number;
  /** Largest stored state of one document, in bytes. An update that would push it past this is
   * refused and the connection closed with DOCUMENT_TOO_LARGE. */
  maxDocumentBytes: number;
  /** Most open sync connections one user may hold at once (all documents, this instance). */
  maxConnectionsPerUser: number;
  /** Sustained messages per second one connection may send (token bucket refill rate). */
  messagesPerSecond: number;
  /** Messages one connection may send in a burst above the sustained rate (bucket size). */
  messageBurst: number;
  /** Most bytes queued for sending to one connection before it is closed as too slow. */
  maxSendBufferBytes: number;
  /** Most messages (and bytes, see maxBufferedBytesBeforeLoad) a client may send while its
   * document is still loading; they are held and handled, in order, once it has loaded. */
  maxMessagesBeforeLoad: number;
  maxBufferedBytesBeforeLoad: number;
  /** Most accepted updates this process may hold unstored (in flight or queued while the
   * database is unreachable). Beyond it (or maxPendingWriteBytes) a client's new update is
   * refused, not applied, and its connection closed with WRITE_QUEUE_FULL: the client keeps the
   * edit and sends it again when it reconnects, so nothing acknowledged is ever lost and memory
   * stays bounded during a long outage. */
  maxPendingWrites: number;
  maxPendingWriteBytes: number;
}

/**
 * Defaults, chosen so that a stock y-websocket client used by a person never meets them:
 * - messages: an offline client merging a day of work sends one large update, so the message
 *   limit follows the store's largest update (MAX_UPDATE_BYTES) plus room for the envelope;
 * - rate: typing sends one update and one awareness update per keystroke (~30/s at most), and
 *   a stock client echoes every awareness update it receives, so a 15-second awareness renewal
 *   in a room of 200 arrives as a burst of ~200 messages: the burst is sized for that;
 * - connections: one per open document, a handful of documents per page, a few tabs.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxMessageBytes: dbLimits.MAX_UPDATE_BYTES + 1024,
  maxAwarenessBytes: 64 * 1024,
  maxDocumentBytes: 32 * 1024 * 1024,
  maxConnectionsPerUser: 50,
  messagesPerSecond: 100,
  messageBurst: 500,
  maxSendBufferBytes: 32 * 1024 * 1024,
  maxMessagesBeforeLoad: 64,
  maxBufferedBytesBeforeLoad: 16 * 1024 * 1024,
  // A 10-second database outage under P1's load (50 clients x 2 updates/s) queues ~1,000
  // updates; 50,000 covers minutes of a busy instance, and the byte bound keeps a few large
  // offline merges from holding more than that in memory.
  maxPendingWrites: 50_000,
  maxPendingWriteBytes: 128 * 1024 * 1024,
});

/** The WebSocket server's own frame limit: a hard memory bound above our checked limit, so a
 * message just over maxMessageBytes still reaches our check (and gets its documented close
 * code) while one far over it is dropped by `ws` before it is buffered (close code 1009). */
export function wsMaxPayload(limits: Pick<Limits, 'maxMessageBytes'>): number {
  return limits.maxMessageBytes * 2;
}

/** How long shutdown waits for unsaved updates before giving up (they are not acknowledged, so
 * clients still hold them and send them again on reconnect). */
export const SHUTDOWN_FLUSH_TIMEOUT_MS = 10_000;

/** After the hub has drained on shutdown, how often sockets still open (a client that never
 * answered the close frame) are cut, so stopping never waits on a vanished client. */
export const CLOSE_SWEEP_MS = 1_000;

/** A connection sent nothing for this long gets a KEEPALIVE frame (protocol.ts). The stock
 * client gives up on a socket after 30 s without a message (checked every 3 s); idle
 * connections are swept every KEEPALIVE_IDLE_MS / 3, so the longest silence is ~20 s. */
export const KEEPALIVE_IDLE_MS = 15_000;

/** An awareness renewal (a state unchanged but for its clock: "still here", every 15 s from
 * the stock client) is relayed at most this late, batched with the room's other renewals
 * (room.ts). Clients drop a state not renewed for 30 s; renewals come every 15-18 s, so a 2 s
 * delay leaves 10 s to spare. Changes (a cursor that moved) are never delayed. */
export const AWARENESS_RENEWAL_DELAY_MS = 2_000;
/** A batch of renewals goes out early once (renewals waiting) x (connections in the room)
 * reaches this: every client decodes each entry and echoes the batch, so a big room's batch is
 * kept small enough not to stall the clients (or this server) at once. In a room of 50 that is
 * ~10 renewals a message, in a room of 10 the whole 2 s batch. */
export const AWARENESS_RENEWAL_BURST = 512;

/** How long after loading a document a room keeps the loaded bytes, to answer a client that has
 * nothing (an empty state vector) with them instead of encoding the whole document again: the
 * clients of a cold open arrive within this window. Dropped sooner at the first change. */
export const LOADED_STATE_REUSE_MS = 2_000;

/** First and largest wait between retries of a failed append (the database is down or slow;
 * appends are idempotent, so retrying is always safe). */
export const APPEND_RETRY_FIRST_MS = 50;
export const APPEND_RETRY_MAX_MS = 5_000;

/** While the database is unreachable, queued updates are retried by one probe (the oldest
 * update) per backoff step; once it is stored, the queue is written in order, this many at a
 * time (the group committer folds each chunk into a few transactions). */
export const RECOVERY_CHUNK = 2_000;

/** How long /ready and /health wait for the database's answer to a trivial query. */
export const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/** Compaction (see compaction.ts): a document is compacted once COMPACT_AFTER_UPDATES (from
 * @concord/db) updates have been stored since its last checkpoint, after it has been quiet for
 * COMPACT_IDLE_MS, or at the latest COMPACT_MAX_WAIT_MS after it became due (a room that never
 * pauses still gets compacted), or at once when its room unloads. A failed compaction is tried
 * again after COMPACT_RETRY_MS. */
export const COMPACT_IDLE_MS = 2_000;
export const COMPACT_MAX_WAIT_MS = 30_000;
export const COMPACT_RETRY_MS = 30_000;
/** Compaction folds updates on a worker thread (merge-worker.ts), stopped after this long
 * without work so a quiet server holds no second heap (the thread costs 12-30 MB of RSS). Long
 * enough that a busy server, compacting every few seconds to minutes, keeps one thread rather
 * than paying its start (bootstrap and Yjs, ~100 ms of CPU) and its memory over and over. */
export const MERGE_WORKER_IDLE_MS = 300_000;

/** Redis fan-out (see redis.ts): reconnect backoff bounds, and how long a room's subscription
 * may take before the room loads without it (it subscribes again when Redis is back). */
export const REDIS_RETRY_FIRST_MS = 100;
export const REDIS_RETRY_MAX_MS = 5_000;
export const REDIS_SUBSCRIBE_TIMEOUT_MS = 1_000;
/** Channel names are `<prefix>doc:<documentId>`; tests use their own prefix. */
export const DEFAULT_REDIS_CHANNEL_PREFIX = 'concord:';

/**
 * Token bucket: `capacity` tokens, refilled at `ratePerSecond`; each message takes one. Refilled
 * lazily from the clock when asked, so an idle connection costs no timer.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty (the caller is over its rate). */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(
      this.capacity,
      this.tokens + ((t - this.last) / 1000) * this.ratePerSecond,
    );
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Open connections per user, to enforce maxConnectionsPerUser. */
export class ConnectionCounter<C> {
  private readonly byUser = new Map<string, Set<C>>();

  constructor(private readonly max: number) {}

  /** Registers `conn` for `userId` unless the user is already at the limit. */
  tryAdd(userId: string, conn: C): boolean {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    if (set.size >= this.max) return false;
    set.add(conn);
    return true;
  }

  remove(userId: string, conn: C): void {
    const set = this.byUser.get(userId);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byUser.delete(userId);
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }
}
