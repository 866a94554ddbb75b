/**
 * The sync server's Prometheus metrics, served at GET /metrics. Each app has its own prom-client
 * Registry (never the global one), so two apps in one process (tests, embedding) do not clash.
 * Counters are moved by the code that does the work (connection frames, persistence, Redis,
 * compaction); gauges (connections, rooms, queued writes) are read from their owners at scrape
 * time, so they cannot drift.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from './protocol.js';

/** Counts read at scrape time. */
export interface MetricSources {
  connections(): number;
  rooms(): number;
  /** Accepted updates not yet stored (in flight or queued). */
  pendingWrites(): number;
  pendingWriteBytes(): number;
  /** 1 while the database is unreachable (writes queued), else 0. */
  databaseDegraded(): number;
  /** 1 connected, 0 down; absent when Redis is not configured (no gauge then). */
  redisConnected?: () => number;
  /** The compaction worker thread's V8 heap in bytes (0 when it is not running): the default
   * nodejs_heap_* metrics cover the main thread only. */
  mergeWorkerHeapBytes?: () => number;
}

/** The message kinds a frame is labelled with (bounded: anything else is "other"). */
export const FRAME_KINDS = [
  'sync-step1',
  'sync-step2',
  'sync-update',
  'awareness',
  'auth',
  'query-awareness',
  'saved',
  'other',
] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

const DIRECTIONS = ['in', 'out'] as const;

/** A count per frame kind, indexed as FRAME_KINDS. */
function newTally(): number[] {
  return FRAME_KINDS.map(() => 0);
}

/** The frame's kind as an index into FRAME_KINDS. */
function frameKindIndex(frame: Uint8Array): number {
  return FRAME_KINDS.indexOf(frameKind(frame));
}

export class SyncMetrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'direction' | 'type'>;
  private readonly bytes: Counter<'direction'>;
  private readonly closes: Counter<'code'>;
  private readonly persistSeconds: Histogram;
  private readonly persistFailures: Counter;
  private readonly redisMessages: Counter<'direction' | 'kind'>;
  private readonly redisFailures: Counter<'operation'>;
  private readonly compactions: Counter<'result'>;
  private readonly catchUps: Counter<'result'>;
  /**
   * Frames and bytes, counted here as plain numbers and moved into `messages` and `bytes` when
   * they are scraped: they change for every frame in and every frame relayed, and prom-client's
   * `inc(labels)` (a labelled child's too) hashes the label object and allocates on every call.
   */
  private readonly frames = { in: newTally(), out: newTally() };
  private readonly frameBytes = { in: 0, out: 0 };

  constructor(sources: MetricSources, prefix = 'concord_sync_') {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // What each counter has already been given from the tallies, so a scrape adds the rest.
    const published = { in: newTally(), out: newTally() };
    const publishedBytes = { in: 0, out: 0 };
    const frames = this.frames;
    const frameBytes = this.frameBytes;
    this.messages = new Counter({
      name: `${prefix}messages_total`,
      help: 'WebSocket messages, by direction (in: from clients, out: to clients) and type.',
      labelNames: ['direction', 'type'],
      registers,
      collect() {
        for (const direction of DIRECTIONS) {
          FRAME_KINDS.forEach((type, i) => {
            const delta = frames[direction][i]! - published[direction][i]!;
            if (delta > 0) this.inc({ direction, type }, delta);
            published[direction][i] = frames[direction][i]!;
          });
        }
      },
    });
    this.bytes = new Counter({
      name: `${prefix}bytes_total`,
      help: 'WebSocket message bytes, by direction.',
      labelNames: ['direction'],
      registers,
      collect() {
        for (const direction of DIRECTIONS) {
          const delta = frameBytes[direction] - publishedBytes[direction];
          if (delta > 0) this.inc({ direction }, delta);
          publishedBytes[direction] = frameBytes[direction];
        }
      },
    });
    this.closes = new Counter({
      name: `${prefix}connection_closes_total`,
      help: 'Closed sync connections, by close code (see README: Close codes).',
      labelNames: ['code'],
      registers,
    });
    this.persistSeconds = new Histogram({
      name: `${prefix}persist_seconds`,
      help: 'From accepting an update to its COMMIT (what a "saved" acknowledgement waits for).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers,
    });
    this.persistFailures = new Counter({
      name: `${prefix}persist_failures_total`,
      help: 'Failed attempts to store an update (each is retried; see pending_writes).',
      registers,
    });
    this.redisMessages = new Counter({
      name: `${prefix}redis_messages_total`,
      help: 'Fan-out messages published to and received from other instances, by kind.',
      labelNames: ['direction', 'kind'],
      registers,
    });
    this.redisFailures = new Counter({
      name: `${prefix}redis_failures_total`,
      help: 'Redis operations that failed (publish while disconnected, subscribe, bad message).',
      labelNames: ['operation'],
      registers,
    });
    this.compactions = new Counter({
      name: `${prefix}compactions_total`,
      help: 'Background compactions, by result.',
      labelNames: ['result'],
      registers,
    });
    this.catchUps = new Counter({
      name: `${prefix}catch_ups_total`,
      help: 'Rooms re-read from the store after a Redis reconnect, by result.',
      labelNames: ['result'],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name: `${prefix}${name}`,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('connections', 'Open sync connections.', sources.connections);
    gauge('rooms', 'Open rooms (documents in memory).', sources.rooms);
    gauge('pending_writes', 'Accepted updates not yet stored.', sources.pendingWrites);
    gauge('pending_write_bytes', 'Bytes of updates not yet stored.', sources.pendingWriteBytes);
    gauge(
      'database_degraded',
      '1 while the database is unreachable and writes are queued.',
      sources.databaseDegraded,
    );
    if (sources.mergeWorkerHeapBytes) {
      gauge(
        'merge_worker_heap_bytes',
        "The compaction worker thread's V8 heap (0 while it is stopped); not in nodejs_heap_*.",
        sources.mergeWorkerHeapBytes,
      );
    }
    if (sources.redisConnected) {
      gauge(
        'redis_connected',
        '1 when connected to Redis, 0 when not (absent without REDIS_URL).',
        sources.redisConnected,
      );
    }
  }

  frameIn(frame: Uint8Array): void {
    this.frames.in[frameKindIndex(frame)]!++;
    this.frameBytes.in += frame.byteLength;
  }

  frameOut(frame: Uint8Array): void {
    this.frames.out[frameKindIndex(frame)]!++;
    this.frameBytes.out += frame.byteLength;
  }

  connectionClosed(code: number): void {
    this.closes.inc({ code: String(code) });
  }

  persisted(seconds: number): void {
    this.persistSeconds.observe(seconds);
  }

  persistFailed(): void {
    this.persistFailures.inc();
  }

  redisPublished(kind: string): void {
    this.redisMessages.inc({ direction: 'out', kind });
  }

  redisReceived(kind: string): void {
    this.redisMessages.inc({ direction: 'in', kind });
  }

  redisFailed(operation: 'publish' | 'subscribe' | 'message'): void {
    this.redisFailures.inc({ operation });
  }

  compacted(result: 'ok' | 'failed'): void {
    this.compactions.inc({ result });
  }

  caughtUp(result: 'ok' | 'failed'): void {
    this.catchUps.inc({ result });
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The label for a frame: message type, and the sync step for sync messages. */
export function frameKind(frame: Uint8Array): FrameKind {
  // Every type and step we use is below 128, so its varUint is one byte.
  switch (frame[0]) {
    case MESSAGE_SYNC:
      switch (frame[1]) {
        case SYNC_STEP1:
          return 'sync-step1';
        case SYNC_STEP2:
          return 'sync-step2';
        case SYNC_UPDATE:
          return 'sync-update';
        default:
          return 'other';
      }
    case MESSAGE_AWARENESS:
      return 'awareness';
    case MESSAGE_AUTH:
      return 'auth';
    case MESSAGE_QUERY_AWARENESS:
      return 'query-awareness';
    case MESSAGE_SAVED:
      return 'saved';
    default:
      return 'other';
  }
}
