/**
 * One live document in the browser: a Y.Doc kept in IndexedDB (so a reload or an offline start
 * shows the last state at once), connected to the sync server by the stock y-websocket provider
 * through ticketed sockets, with the saved state and presence. Pages open one per document they
 * show (the instrument, my ratings, its comments) and destroy it when they leave.
 */
import { MESSAGE_AUTH, MESSAGE_SAVED } from '@concord/sync-protocol';
import { readAuthMessage } from 'y-protocols/auth';
import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Presence, type PresenceUser } from './presence.svelte.js';
import { itemKeysOf, SaveTracker } from './saved-state.svelte.js';
import { TicketSource, type SyncTicket } from './ticket.js';
import { ticketedSocket } from './ticketed-socket.js';

export interface LiveDocumentOptions {
  workspaceId: string;
  documentId: string;
  me: PresenceUser;
  /** Whether this person may change the document (from the page's load; the server checks). */
  canWrite: boolean;
  /** The one line shown instead of a saved state when the person may not change it. */
  readOnlyReason?: string;
  /** A ticket given with the page, for the first connection if still fresh (see TicketSource). */
  initialTicket?: SyncTicket | null;
}

/** IndexedDB database per person and document: two accounts in one browser never share. */
export function localDatabaseName(userId: string, documentId: string): string {
  return `concord:${userId}:${documentId}`;
}

export class LiveDocument {
  readonly doc = new Y.Doc();
  readonly saved: SaveTracker;
  readonly presence: Presence;
  readonly provider: WebsocketProvider;
  /** The copy kept in this browser has been loaded (true at once on a second visit). */
  loaded = $state(false);
  /** The server's copy has arrived on the current connection. */
  synced = $state(false);
  private readonly local: IndexeddbPersistence;
  private readonly cleanups: (() => void)[] = [];

  constructor(options: LiveDocumentOptions) {
    const { documentId } = options;
    this.saved = new SaveTracker(documentId);
    if (!options.canWrite) this.saved.readOnly = options.readOnlyReason ?? 'Read only';
    this.local = new IndexeddbPersistence(localDatabaseName(options.me.id, documentId), this.doc);
    void this.local.whenSynced.then(() => (this.loaded = true));

    const saved = this.saved;
    // Counted before the provider sees the change: the provider sends its update frame from its
    // own 'update' listener, and that frame must be marked with this change included. Listeners
    // run in the order they were added, so this one is added first.
    const onUpdate = (_update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      if (origin !== this.provider && origin !== this.local)
        saved.localChange(itemKeysOf(tr.changed));
    };
    this.doc.on('update', onUpdate);
    this.cleanups.push(() => this.doc.off('update', onUpdate));

    const tickets = new TicketSource(
      options.workspaceId,
      documentId,
      fetch,
      Date.now,
      options.initialTicket ?? null,
    );
    this.provider = new WebsocketProvider('ws://ticketed', documentId, this.doc, {
      WebSocketPolyfill: ticketedSocket({
        tickets,
        documentId,
        onOpen: (ticket) => saved.opened(ticket.capabilities.includes('write')),
        onSend: (frame) => saved.frameSent(frame),
        onTicketProblem: (problem) => {
          if (problem.kind === 'refused') saved.refused(problem.message);
        },
      }) as unknown as typeof WebSocket,
      // Peers in other tabs reach us through the server, where access is checked.
      disableBc: true,
    });
    const provider = this.provider;

    // SAVED: the durable acknowledgement behind "Saved".
    provider.messageHandlers[MESSAGE_SAVED] = (
      _encoder: encoding.Encoder,
      decoder: decoding.Decoder,
    ) => {
      decoding.readVarUint(decoder); // seq: the document's stored position, not needed here
      saved.saved(decoding.readVarUint(decoder));
    };
    // Permission denied: the change was refused and will never be stored; say so.
    provider.messageHandlers[MESSAGE_AUTH] = (
      _encoder: encoding.Encoder,
      decoder: decoding.Decoder,
    ) => {
      readAuthMessage(decoder, this.doc, (_doc, reason) => saved.refused(reason));
    };

    const onSync = (isSynced: boolean) => (this.synced = isSynced);
    const onClosed = (event: { code: number; reason: string }) => {
      saved.refused(event.reason || `the server closed the connection (${event.code})`);
    };
    // A dropped connection is "Connecting" while the provider retries; "Offline" once the
    // browser says so or the retries keep failing (the count is raised after this event).
    const onConnectionClose = () => {
      this.synced = false;
      saved.closed(
        globalThis.navigator?.onLine === false || provider.wsUnsuccessfulReconnects >= 1,
      );
    };
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    provider.on('connection-close', onConnectionClose);

    // The browser says the network is gone: close the socket ourselves, so the saved state and
    // the provider agree (a socket the browser has not noticed is dead would otherwise take the
    // provider's 30-second watchdog to drop). Back online: connect now, not after the backoff.
    const offline = () => {
      provider.disconnect();
      saved.closed(true);
    };
    const online = () => {
      if (!provider.wsconnected && !provider.wsconnecting) provider.connect();
    };
    globalThis.addEventListener?.('online', online);
    globalThis.addEventListener?.('offline', offline);
    this.cleanups.push(() => {
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      provider.off('connection-close', onConnectionClose);
      globalThis.removeEventListener?.('online', online);
      globalThis.removeEventListener?.('offline', offline);
    });

    this.presence = new Presence(provider.awareness, options.me);
  }

  destroy(): void {
    for (const c of this.cleanups) c();
    this.presence.destroy();
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
  }
}
