/**
 * One client's WebSocket: what it may do (its ticket's capabilities narrowed by the member's role,
 * and narrowed again when access changes while it is open), the per-connection limits
 * (message size, rate), holding its messages until its room has loaded, sending with a bound on
 * what may queue up, "saved" acknowledgements in order, and closing with a logged code. What a
 * message means for the document is room.ts's business.
 */
import type { DocumentShape } from '@concord/documents/shapes';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { CAPABILITIES, type Capability, type Ticket } from '@concord/sync-protocol/ticket';
import { TokenBucket, type Limits } from './limits.js';
import { CLOSE, closeReason, encodeSaved, KEEPALIVE_FRAME, type CloseCode } from './protocol.js';
import { WireFrame } from './wire-frame.js';

/** What a connection needs from its room. */
export interface RoomPort {
  receive(conn: Connection, frame: Uint8Array): void;
  leave(conn: Connection): void;
  dropAwarenessOf(conn: Connection): void;
}

export interface ConnectionOptions {
  id: number;
  socket: WebSocket;
  /** The TCP socket under `socket`, for frames built once for many connections (sendFrame). */
  transport: { write(bytes: Uint8Array): unknown };
  ticket: Ticket;
  /** What it may do now: the ticket's capabilities ∩ what the role allows (access.ts). */
  capabilities: readonly Capability[];
  /** The document's workspace, for rechecks when access in it changes (null: unknown). */
  workspaceId: string | null;
  /** The shape of the document's kind, every update checked against it (null: no kind known,
   * a test server trusting tickets). */
  shape: DocumentShape | null;
  /** The client asked for SAVED messages (?ack=1). */
  wantsAck: boolean;
  limits: Limits;
  log: FastifyBaseLogger;
  /** True while the server shuts down: messages are ignored (not acknowledged, so the client
   * sends them again after reconnecting). */
  draining: () => boolean;
  /** Called once, when the connection closes for any reason. */
  onClosed: (conn: Connection) => void;
  /** Counts frames in and out (metrics.ts). */
  metrics?: { frameIn(frame: Uint8Array): void; frameOut(frame: Uint8Array): void };
}

/** The keepalive is the same frame for every connection. */
const KEEPALIVE = new WireFrame(KEEPALIVE_FRAME);

/** Close codes that mean the client did something wrong or hit a limit: logged as warnings. */
const ENFORCEMENT_CODES = new Set<number>([
  CLOSE.MALFORMED_MESSAGE,
  CLOSE.UNAUTHORIZED,
  CLOSE.MESSAGE_TOO_LARGE,
  CLOSE.DOCUMENT_TOO_LARGE,
  CLOSE.RATE_LIMITED,
  CLOSE.TOO_MANY_CONNECTIONS,
  CLOSE.SLOW_CONSUMER,
]);

interface AckSlot {
  /** null while the write is in flight; then the document's stored seq, or 'failed'. */
  seq: number | null | 'failed';
}

export class Connection {
  readonly id: number;
  readonly userId: string;
  /** The person's display name, from the ticket (written into their presence). */
  readonly name: string | undefined;
  readonly documentId: string;
  readonly workspaceId: string | null;
  readonly shape: DocumentShape | null;
  readonly wantsAck: boolean;
  readonly log: FastifyBaseLogger;
  /** Awareness client ids this connection has published, removed when it closes. */
  readonly awarenessClients = new Set<number>();
  /** Updates held until the edits they build on arrive (room.ts hold): the bytes as sent, and
   * how to settle the acknowledgement waiting for each. */
  readonly heldUpdates: {
    update: Uint8Array;
    frame: Uint8Array | null;
    settle: (stored: Promise<number | null>) => void;
  }[] = [];
  private capabilities: Set<Capability>;
  private room: RoomPort | null = null;
  /** True once the room has loaded and sent its sync step 1: messages are handled directly. */
  private ready = false;
  private closed = false;
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private readonly bucket: TokenBucket;
  private readonly acks: AckSlot[] = [];
  private ackedCount = 0;
  private ackedSeq = 0;
  private ackScheduled = false;
  /** performance.now() of the last frame sent (see keepAlive). */
  private lastSentAt = performance.now();

  constructor(private readonly options: ConnectionOptions) {
    this.id = options.id;
    this.userId = options.ticket.userId;
    this.name = options.ticket.name;
    this.documentId = options.ticket.documentId;
    this.workspaceId = options.workspaceId;
    this.shape = options.shape;
    this.capabilities = new Set(options.capabilities);
    this.wantsAck = options.wantsAck;
    this.log = options.log;
    this.bucket = new TokenBucket(options.limits.messagesPerSecond, options.limits.messageBurst);
    // Listeners go on at once: frames can arrive right after the upgrade.
    options.socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    options.socket.on('close', () => this.detach());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  can(capability: Capability): boolean {
    return this.capabilities.has(capability);
  }

  /** The current capabilities, in the table's order. */
  get currentCapabilities(): Capability[] {
    return CAPABILITIES.filter((c) => this.capabilities.has(c));
  }

  /** Replaces the capabilities (revoke with a downgrade, or an access recheck); dropping
   * 'awareness' removes the presence this connection published. */
  setCapabilities(capabilities: readonly Capability[]): void {
    const hadAwareness = this.can('awareness');
    this.capabilities = new Set(capabilities);
    if (hadAwareness && !this.can('awareness')) this.room?.dropAwarenessOf(this);
  }

  attach(room: RoomPort): void {
    this.room = room;
  }

  /** The room has loaded and greeted the client: handle what arrived meanwhile, in order. */
  markReady(): void {
    if (this.closed || this.ready) return;
    this.ready = true;
    const held = this.buffered;
    this.buffered = [];
    this.bufferedBytes = 0;
    for (const frame of held) {
      if (this.closed) return;
      this.dispatch(frame);
    }
  }

  send(message: Uint8Array): void {
    if (!this.mayWrite()) return;
    this.options.socket.send(message, { binary: true });
    this.wrote(message);
  }

  /** Sends a message framed once for many connections (see broadcast). */
  sendFrame(frame: WireFrame): void {
    if (!this.mayWrite()) return;
    this.options.transport.write(frame.bytes);
    this.wrote(frame.message);
  }

  /** Whether a frame may be written now; a client that lets too much queue up is closed. */
  private mayWrite(): boolean {
    const { socket } = this.options;
    if (this.closed || socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > this.options.limits.maxSendBufferBytes) {
      this.close(CLOSE.SLOW_CONSUMER, 'not reading: send buffer full');
      return false;
    }
    return true;
  }

  private wrote(message: Uint8Array): void {
    this.lastSentAt = performance.now();
    this.options.metrics?.frameOut(message);
  }

  /** Sends a KEEPALIVE frame if nothing was sent since `idleSince` (performance.now() time):
   * the stock client drops a socket that stays silent for 30 s. */
  keepAlive(idleSince: number): void {
    if (this.ready && this.lastSentAt < idleSince) this.sendFrame(KEEPALIVE);
  }

  /**
   * Tracks one accepted update message for acknowledgement: `stored` resolves with the
   * document's stored seq once the update (or, for an update that changed nothing, everything
   * before it) is durable, or with null if it never will be. SAVED messages go out in the order
   * the updates came in, so "count" always means "your first count update messages".
   */
  trackWrite(stored: Promise<number | null>): void {
    if (!this.wantsAck) return;
    const slot: AckSlot = { seq: null };
    this.acks.push(slot);
    void stored.then((seq) => {
      slot.seq = seq ?? 'failed';
      this.scheduleAck();
    });
  }

  /** Closes with a documented code; logged (as a warning when the client broke a rule). */
  close(code: CloseCode, reason: string): void {
    if (this.closed) return;
    const fields = {
      code,
      reason,
      connection: this.id,
      documentId: this.documentId,
      userId: this.userId,
    };
    if (ENFORCEMENT_CODES.has(code)) this.log.warn(fields, 'closing sync connection');
    else this.log.info(fields, 'closing sync connection');
    this.detach();
    const { socket } = this.options;
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) {
      socket.close(code, closeReason(reason));
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closed || this.options.draining()) return;
    if (!isBinary) {
      this.close(CLOSE.MALFORMED_MESSAGE, 'text frames are not part of the protocol');
      return;
    }
    const frame = toBytes(data);
    this.options.metrics?.frameIn(frame);
    const { limits } = this.options;
    if (frame.byteLength > limits.maxMessageBytes) {
      this.close(
        CLOSE.MESSAGE_TOO_LARGE,
        `message of ${frame.byteLength} bytes; the limit is ${limits.maxMessageBytes}`,
      );
      return;
    }
    if (!this.bucket.take()) {
      this.close(CLOSE.RATE_LIMITED, `more than ${limits.messagesPerSecond} messages per second`);
      return;
    }
    if (!this.ready) {
      this.buffered.push(frame);
      this.bufferedBytes += frame.byteLength;
      if (
        this.buffered.length > limits.maxMessagesBeforeLoad ||
        this.bufferedBytes > limits.maxBufferedBytesBeforeLoad
      ) {
        this.close(CLOSE.RATE_LIMITED, 'too much sent before the document loaded');
      }
      return;
    }
    this.dispatch(frame);
  }

  private dispatch(frame: Uint8Array): void {
    try {
      this.room?.receive(this, frame);
    } catch (error) {
      // A bug, not the client's fault as far as we know; the room stays as it was.
      this.log.error(
        { err: error, connection: this.id, documentId: this.documentId },
        'handling a sync message failed',
      );
      this.close(CLOSE.INTERNAL_ERROR, 'internal error; reconnect to resync');
    }
  }

  private scheduleAck(): void {
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    // One SAVED for everything a commit resolved, not one per update.
    queueMicrotask(() => {
      this.ackScheduled = false;
      let advanced = false;
      while (this.acks.length > 0) {
        const head = this.acks[0]!;
        // A failed write stops acknowledgements for good: the ones after it are stored, but
        // "count" could no longer mean "your first count messages". The connection is being
        // closed in that case anyway.
        if (head.seq === null || head.seq === 'failed') break;
        this.acks.shift();
        this.ackedCount++;
        this.ackedSeq = Math.max(this.ackedSeq, head.seq);
        advanced = true;
      }
      if (advanced) this.send(encodeSaved(this.ackedSeq, this.ackedCount));
    });
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffered = [];
    this.room?.leave(this);
    this.options.onClosed(this);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/**
 * Sends `message` to every ready connection but `except`, framed once for all of them
 * (wire-frame.ts): how a room relays updates and presence.
 */
export function broadcast(
  connections: Iterable<Connection>,
  message: Uint8Array,
  except: Connection | null = null,
): void {
  let frame: WireFrame | undefined;
  for (const conn of connections) {
    if (conn === except || !conn.isReady) continue;
    frame ??= new WireFrame(message);
    conn.sendFrame(frame);
  }
}
