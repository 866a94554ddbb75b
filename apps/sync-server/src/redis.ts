/**
 * Fan-out between sync-server instances through Redis pub/sub, one channel per document
 * (`<prefix>doc:<documentId>`), subscribed while the document's room is open. Every message
 * carries the publishing instance's id, so an instance ignores its own (Redis delivers a
 * publisher's messages to its own subscription too).
 *
 * Pub/sub is at-most-once: while a connection is down, messages are lost, not queued (the
 * publisher's offline queue is off, so nothing stale floods in later). The database log stays
 * the source of truth; when both connections are back, every listener (room) is told to resync:
 * it re-reads the store and asks the other instances, over the channel, for what they hold that
 * it lacks (sync-request / sync-reply below, the y-protocols two-step between instances).
 * Meanwhile each instance keeps serving its own clients.
 *
 * Message (binary): varUint kind, varString instance id, then by kind
 *   0 update        varBytes(Yjs update)            a client's update, as accepted
 *   1 awareness     varBytes(awareness update)      presence changes of local clients
 *   2 sync-request  varBytes(state vector)          "send me what I lack" (room loaded, resync)
 *   3 sync-reply    varBytes(update) varBytes(sv)   what the requester lacked, and our state
 *                                                   vector so the requester answers in kind
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  DEFAULT_REDIS_CHANNEL_PREFIX,
  REDIS_RETRY_FIRST_MS,
  REDIS_RETRY_MAX_MS,
  REDIS_SUBSCRIBE_TIMEOUT_MS,
} from './limits.js';
import type { SyncMetrics } from './metrics.js';

/** ioredis, loaded on first use: an instance without REDIS_URL never pays for it (measured:
 * ~10 MB RSS per process). It is CommonJS, so `require` keeps construction synchronous. */
let redisClass: typeof Redis | undefined;
function loadRedis(): typeof Redis {
  redisClass ??= (createRequire(import.meta.url)('ioredis') as typeof IORedis).Redis;
  return redisClass;
}

export const FANOUT_KINDS = ['update', 'awareness', 'sync-request', 'sync-reply'] as const;
export type FanoutKind = (typeof FANOUT_KINDS)[number];

export type FanoutMessage =
  | { kind: 'update'; from: string; update: Uint8Array }
  | { kind: 'awareness'; from: string; update: Uint8Array }
  | { kind: 'sync-request'; from: string; stateVector: Uint8Array }
  | { kind: 'sync-reply'; from: string; update: Uint8Array; stateVector: Uint8Array };

/** A message as published (the fan-out adds the instance id). */
export type Outgoing = FanoutMessage extends infer M
  ? M extends FanoutMessage
    ? Omit<M, 'from'>
    : never
  : never;

/** What a room gives the fan-out when it opens. */
export interface FanoutListener {
  /** A message from another instance on this document's channel. */
  message(message: FanoutMessage): void;
  /** Messages may have been missed (Redis was unreachable): catch up. */
  resync(): void;
}

export type FanoutStatus = 'connected' | 'down';

/** The seam rooms use; RedisFanout is the one implementation. */
export interface Fanout {
  readonly instanceId: string;
  readonly status: FanoutStatus;
  /** Subscribes to the document's channel; resolves once subscribed, or (Redis down, or slow)
   * after REDIS_SUBSCRIBE_TIMEOUT_MS: the listener is then resynced when Redis is back. */
  join(documentId: string, listener: FanoutListener): Promise<void>;
  leave(documentId: string, listener: FanoutListener): void;
  /** Fire and forget; a message that cannot be sent is counted and dropped (see resync). */
  publish(documentId: string, message: Outgoing): void;
  close(): Promise<void>;
}

export interface RedisFanoutOptions {
  url: string;
  log: FastifyBaseLogger;
  metrics?: Pick<SyncMetrics, 'redisPublished' | 'redisReceived' | 'redisFailed'>;
  /** Channel name prefix (default DEFAULT_REDIS_CHANNEL_PREFIX); tests use their own. */
  channelPrefix?: string;
  instanceId?: string;
}

export class RedisFanout implements Fanout {
  readonly instanceId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly log: FastifyBaseLogger;
  private readonly metrics: RedisFanoutOptions['metrics'];
  private readonly listeners = new Map<string, FanoutListener>();
  /** True once the subscriber has (re)subscribed every channel after its last connect. */
  private subscribed = false;
  /** Something may have been missed since the last resync. */
  private owed = false;
  private lost = false;
  private closed = false;

  constructor(options: RedisFanoutOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.prefix = options.channelPrefix ?? DEFAULT_REDIS_CHANNEL_PREFIX;
    this.log = options.log;
    this.metrics = options.metrics;
    const connection = {
      // Missed messages are recovered by resync, never replayed from a queue.
      enableOfflineQueue: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      retryStrategy: (times: number) =>
        Math.min(REDIS_RETRY_FIRST_MS * 2 ** Math.min(times - 1, 16), REDIS_RETRY_MAX_MS),
    };
    const RedisClient = loadRedis();
    this.pub = new RedisClient(options.url, { ...connection, connectionName: 'concord-sync-pub' });
    this.sub = new RedisClient(options.url, { ...connection, connectionName: 'concord-sync-sub' });
    for (const [name, client] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      // Without an 'error' listener a lost connection would crash the process.
      client.on('error', (error: Error) => {
        if (!this.lost) this.log.debug({ err: error, connection: name }, 'redis error');
      });
      client.on('close', () => this.connectionLost(name));
    }
    this.pub.on('ready', () => this.maybeResync());
    this.sub.on('ready', () => void this.resubscribe());
    this.sub.on('messageBuffer', (channel: Buffer, payload: Buffer) =>
      this.onMessage(channel.toString(), payload),
    );
  }

  get status(): FanoutStatus {
    return this.pub.status === 'ready' && this.sub.status === 'ready' && this.subscribed
      ? 'connected'
      : 'down';
  }

  channel(documentId: string): string {
    return `${this.prefix}doc:${documentId}`;
  }

  async join(documentId: string, listener: FanoutListener): Promise<void> {
    const channel = this.channel(documentId);
    this.listeners.set(channel, listener);
    if (this.sub.status !== 'ready') {
      this.owed = true;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.sub.subscribe(channel),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('subscribe timed out')),
            REDIS_SUBSCRIBE_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      this.metrics?.redisFailed('subscribe');
      this.log.warn({ err: error, documentId }, 'redis subscribe failed; resync when back');
      this.owed = true;
    } finally {
      clearTimeout(timer);
    }
  }

  leave(documentId: string, listener: FanoutListener): void {
    const channel = this.channel(documentId);
    if (this.listeners.get(channel) !== listener) return;
    this.listeners.delete(channel);
    if (this.sub.status === 'ready') this.sub.unsubscribe(channel).catch(() => {});
  }

  publish(documentId: string, message: Outgoing): void {
    if (this.pub.status !== 'ready') {
      this.metrics?.redisFailed('publish');
      return;
    }
    const bytes = encodeFanoutMessage({ ...message, from: this.instanceId } as FanoutMessage);
    this.pub.publish(this.channel(documentId), Buffer.from(bytes)).then(
      () => this.metrics?.redisPublished(message.kind),
      () => this.metrics?.redisFailed('publish'),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private connectionLost(name: string): void {
    if (name === 'subscriber') this.subscribed = false;
    this.owed = true;
    if (this.closed || this.lost) return;
    this.lost = true;
    this.log.warn(
      { connection: name },
      'redis connection lost: serving local clients only, reconnecting with backoff',
    );
  }

  private async resubscribe(): Promise<void> {
    const channels = [...this.listeners.keys()];
    try {
      if (channels.length > 0) await this.sub.subscribe(...channels);
      this.subscribed = true;
    } catch (error) {
      // The connection dropped again; its next 'ready' tries again.
      this.metrics?.redisFailed('subscribe');
      this.log.debug({ err: error }, 'redis resubscribe failed');
      return;
    }
    this.maybeResync();
  }

  /** Once both connections are up and subscribed, tells every room to catch up. */
  private maybeResync(): void {
    if (this.closed || this.status !== 'connected') return;
    if (this.lost) {
      this.lost = false;
      this.log.info({ rooms: this.listeners.size }, 'redis reconnected: rooms catching up');
    }
    if (!this.owed) return;
    this.owed = false;
    for (const listener of [...this.listeners.values()]) listener.resync();
  }

  private onMessage(channel: string, payload: Buffer): void {
    const listener = this.listeners.get(channel);
    if (!listener) return;
    const message = decodeFanoutMessage(payload);
    if (!message) {
      this.metrics?.redisFailed('message');
      this.log.warn({ channel, bytes: payload.byteLength }, 'undecodable fan-out message dropped');
      return;
    }
    if (message.from === this.instanceId) return; // our own, echoed by Redis
    this.metrics?.redisReceived(message.kind);
    listener.message(message);
  }
}

export function encodeFanoutMessage(message: FanoutMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, FANOUT_KINDS.indexOf(message.kind));
  encoding.writeVarString(e, message.from);
  switch (message.kind) {
    case 'update':
    case 'awareness':
      encoding.writeVarUint8Array(e, message.update);
      break;
    case 'sync-request':
      encoding.writeVarUint8Array(e, message.stateVector);
      break;
    case 'sync-reply':
      encoding.writeVarUint8Array(e, message.update);
      encoding.writeVarUint8Array(e, message.stateVector);
      break;
  }
  return encoding.toUint8Array(e);
}

/** The message, or null when the bytes are not one (wrong kind, truncated, trailing bytes). */
export function decodeFanoutMessage(bytes: Uint8Array): FanoutMessage | null {
  try {
    const d = decoding.createDecoder(bytes);
    const kind = FANOUT_KINDS[decoding.readVarUint(d)];
    const from = decoding.readVarString(d);
    let message: FanoutMessage;
    switch (kind) {
      case 'update':
      case 'awareness':
        message = { kind, from, update: decoding.readVarUint8Array(d) };
        break;
      case 'sync-request':
        message = { kind, from, stateVector: decoding.readVarUint8Array(d) };
        break;
      case 'sync-reply':
        message = {
          kind,
          from,
          update: decoding.readVarUint8Array(d),
          stateVector: decoding.readVarUint8Array(d),
        };
        break;
      default:
        return null;
    }
    return decoding.hasContent(d) ? null : message;
  } catch {
    return null;
  }
}
