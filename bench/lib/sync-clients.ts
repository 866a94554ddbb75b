/**
 * The clients the sync benchmarks drive, each exactly as it ships: the stock `y-websocket`
 * WebsocketProvider (Concord and the floor) and `@hocuspocus/provider` (Hocuspocus 2+ speaks its
 * own framing; the stock client cannot talk to it). Awareness stays on, with a user name set as
 * an editor would. Each client gets its own socket (a `ws` subclass that only observes it) so the
 * benchmarks can time "socket open" and count connections that dropped.
 */
import { performance } from 'node:perf_hooks';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// Each stock WebsocketProvider adds a process 'exit' listener in Node; P2 opens 2,000.
process.setMaxListeners(0);

export interface BenchClient {
  doc: Y.Doc;
  /** performance.now() when the socket last opened; null before. */
  openedAt(): number | null;
  /** performance.now() when the socket last received a message, before the provider handled
   * it; null before. */
  lastMessageAt(): number | null;
  /** Resolves when the socket has opened. */
  opened: Promise<void>;
  /** Resolves the first time the provider reports `synced`. */
  synced: Promise<void>;
  isSynced(): boolean;
  /** Sockets closed without being asked to (dropped connections), with their close codes. */
  drops: number[];
  destroy(): void;
}

export interface StockBenchClient extends BenchClient {
  provider: WebsocketProvider;
}

export interface HocuspocusBenchClient extends BenchClient {
  provider: HocuspocusProvider;
}

/** A `ws` WebSocket that records its opening time and unexpected closes. */
function observedSocket(state: {
  openedAt: number | null;
  lastMessageAt: number | null;
  onOpen: () => void;
  drops: number[];
  destroyed: boolean;
}): new (url: string, protocols?: string | string[]) => WebSocket {
  return class ObservedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('open', () => {
        state.openedAt = performance.now();
        state.onOpen();
      });
      // Registered before the provider's own listener, so it runs first.
      this.on('message', () => {
        state.lastMessageAt = performance.now();
      });
      this.on('close', (code: number) => {
        if (!state.destroyed) state.drops.push(code);
      });
    }
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A new document holding `state` (a client that has the document already), if given. */
function newDoc(state: Uint8Array | undefined): Y.Doc {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  return doc;
}

/**
 * The stock y-websocket client. `serverUrl` is the provider's base URL (the room is appended as
 * a path segment); `params` become the query string (Concord's `ticket`, `ack`); `state` is in
 * the client's document before it connects.
 */
export function stockClient(
  serverUrl: string,
  room: string,
  options: { params?: Record<string, string>; name?: string; state?: Uint8Array } = {},
): StockBenchClient {
  const doc = newDoc(options.state);
  const opened = deferred();
  const synced = deferred();
  const state = {
    openedAt: null as number | null,
    lastMessageAt: null as number | null,
    onOpen: opened.resolve,
    drops: [] as number[],
    destroyed: false,
  };
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: observedSocket(state) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
  });
  provider.awareness.setLocalStateField('user', { name: options.name ?? 'bench' });
  provider.on('sync', (isSynced: boolean) => {
    if (isSynced) synced.resolve();
  });
  return {
    doc,
    provider,
    openedAt: () => state.openedAt,
    lastMessageAt: () => state.lastMessageAt,
    opened: opened.promise,
    synced: synced.promise,
    isSynced: () => provider.synced,
    drops: state.drops,
    destroy() {
      state.destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
}

/** `@hocuspocus/provider` with its own socket. `url`: the server's ws:// URL; `state` is in the
 * client's document before it connects. */
export function hocuspocusClient(
  url: string,
  room: string,
  options: { name?: string; state?: Uint8Array } = {},
): HocuspocusBenchClient {
  const doc = newDoc(options.state);
  const opened = deferred();
  const synced = deferred();
  const state = {
    openedAt: null as number | null,
    lastMessageAt: null as number | null,
    onOpen: opened.resolve,
    drops: [] as number[],
    destroyed: false,
  };
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: observedSocket(state),
    autoConnect: false,
  });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc });
  provider.setAwarenessField('user', { name: options.name ?? 'bench' });
  provider.on('synced', () => synced.resolve());
  provider.attach();
  void socket.connect();
  return {
    doc,
    provider,
    openedAt: () => state.openedAt,
    lastMessageAt: () => state.lastMessageAt,
    opened: opened.promise,
    synced: synced.promise,
    isSynced: () => provider.isSynced,
    drops: state.drops,
    destroy() {
      state.destroyed = true;
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}
