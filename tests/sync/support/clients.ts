/**
 * Clients of the sync server as the tests drive them: the stock y-websocket `WebsocketProvider`
 * (unchanged, over `ws`, no BroadcastChannel) that takes a fresh ticket before every connect, a
 * hand-made raw protocol client that only sends updates and reads SAVED acknowledgements, and
 * the small waiting helpers both need.
 */
import { decodeSaved } from '@concord/sync-server';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// Each stock WebsocketProvider adds a process 'exit' listener in Node; the fuzz opens 20 at once.
process.setMaxListeners(200);

/** y-protocols: message type sync, subtype update. */
const MESSAGE_SYNC = 0;
const SYNC_UPDATE = 2;
/** y-protocols: message type auth, subtype permission denied (a refused update). */
const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;

/** Backoff ceiling for the stock client's reconnects: a restarted server is back in ~0.3 s. */
export const RECONNECT_MAX_BACKOFF_MS = 250;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StockClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Connected and synced with the server right now. */
  readonly live: boolean;
  /** The reasons of the server's permission-denied messages (each a refused update), which
   * the stock client only logs: the tests write only what a plan's shape allows, so any entry
   * here is a failure. */
  readonly denials: string[];
  destroy(): void;
}

/**
 * The stock provider. `ticket()` is called before each connection attempt (the first one and
 * every automatic reconnect), the way a browser would fetch one from the web app.
 */
export function stockClient(
  serverUrl: string,
  documentId: string,
  ticket: () => string,
  clientID?: number,
): StockClient {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const provider = new WebsocketProvider(serverUrl, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { ticket: ticket() },
    maxBackoffTime: RECONNECT_MAX_BACKOFF_MS,
  });
  // The provider builds the URL (with params) when it opens the next socket.
  provider.on('connection-close', () => {
    provider.params.ticket = ticket();
  });
  const denials: string[] = [];
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) === PERMISSION_DENIED) {
      denials.push(decoding.readVarString(decoder));
    }
  };
  return {
    doc,
    provider,
    get live() {
      return provider.wsconnected && provider.synced;
    },
    denials,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface AckingClient {
  /** Sends one Yjs update as a sync update message (this connection's next update message). */
  sendUpdate(update: Uint8Array): void;
  /** Update messages sent on this connection. */
  readonly sent: number;
  /** The highest SAVED `count`: this many of the first update messages are durably stored. */
  readonly acked: number;
  /** The highest SAVED `seq` received. */
  readonly ackedSeq: number;
  /** The reasons of the server's permission-denied messages (each a refused update). */
  readonly denials: string[];
  readonly open: boolean;
  /** Resolves when the socket is closed (by either side, or because the server died). */
  closed: Promise<void>;
  terminate(): void;
}

/** A hand-made client with `?ack=1` that never reconnects. Resolves once the socket is open. */
export function ackingClient(
  serverUrl: string,
  documentId: string,
  ticket: string,
): Promise<AckingClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      `${serverUrl}/${documentId}?ticket=${encodeURIComponent(ticket)}&ack=1`,
    );
    let sent = 0;
    let acked = 0;
    let ackedSeq = 0;
    const denials: string[] = [];
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('message', (data: Buffer) => {
      const message = new Uint8Array(data);
      const decoder = decoding.createDecoder(message);
      if (
        decoding.readVarUint(decoder) === MESSAGE_AUTH &&
        decoding.readVarUint(decoder) === PERMISSION_DENIED
      ) {
        denials.push(decoding.readVarString(decoder));
        return;
      }
      const saved = decodeSaved(message);
      if (!saved) return;
      acked = Math.max(acked, saved.count);
      ackedSeq = Math.max(ackedSeq, saved.seq);
    });
    // After a kill the socket errors (ECONNRESET); that is the point of the test, not a failure.
    socket.on('error', (e) => {
      if (socket.readyState === WebSocket.CONNECTING) reject(e);
    });
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`the upgrade was refused: HTTP ${res.statusCode}`)),
    );
    socket.once('open', () =>
      resolve({
        sendUpdate(update) {
          const e = encoding.createEncoder();
          encoding.writeVarUint(e, MESSAGE_SYNC);
          encoding.writeVarUint(e, SYNC_UPDATE);
          encoding.writeVarUint8Array(e, update);
          socket.send(encoding.toUint8Array(e));
          sent++;
        },
        get sent() {
          return sent;
        },
        get acked() {
          return acked;
        },
        get ackedSeq() {
          return ackedSeq;
        },
        denials,
        get open() {
          return socket.readyState === WebSocket.OPEN;
        },
        closed,
        terminate: () => socket.terminate(),
      }),
    );
  });
}
