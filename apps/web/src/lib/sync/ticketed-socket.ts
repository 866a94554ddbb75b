/**
 * A WebSocket for the stock y-websocket provider (its `WebSocketPolyfill` option) that fetches a
 * fresh sync ticket before every connection attempt. The provider builds its URL once and
 * reconnects synchronously; tickets expire after minutes, so the ticket cannot live in the
 * provider's params. This socket ignores the provider's URL, awaits the TicketSource, then opens
 * `<sync url>/<document>?ticket=…&ack=1` and forwards the real socket's events.
 *
 * A refused ticket closes with a 44xx code, which the provider treats as final (no reconnect);
 * an unreachable ticket route closes like a dropped network (the provider backs off and retries):
 * CLIENT_CLOSE in @concord/sync-protocol, beside the server's own codes.
 * Every frame sent over an open socket is reported, so the saved state can count update messages
 * against the server's SAVED acknowledgements.
 */
import { CLIENT_CLOSE, CLOSE, CLOSE_ABNORMAL } from '@concord/sync-protocol';
import type { SyncTicket, TicketResult, TicketSource } from './ticket.js';

export interface SocketHooks {
  tickets: TicketSource;
  documentId: string;
  /** A connection opened with this ticket (its capabilities say whether writes are counted). */
  onOpen?: (ticket: SyncTicket) => void;
  /** Called for every frame before it is sent on an open connection. */
  onSend?: (frame: Uint8Array) => void;
  /** The ticket route refused (or could not be reached). */
  onTicketProblem?: (problem: Exclude<TicketResult, { ok: true }>) => void;
}

type Listener = ((event: never) => void) | null;

/** A WebSocket-compatible class bound to one document's tickets. */
export function ticketedSocket(hooks: SocketHooks) {
  return class TicketedSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;

    readyState = 0;
    binaryType: BinaryType = 'arraybuffer';
    onopen: Listener = null;
    onmessage: Listener = null;
    onerror: Listener = null;
    onclose: Listener = null;
    private socket: WebSocket | null = null;
    private abandoned = false;

    constructor() {
      void this.start();
    }

    private async start(): Promise<void> {
      const result = await hooks.tickets.get();
      if (this.abandoned) return;
      if (!result.ok) {
        hooks.onTicketProblem?.(result);
        const code =
          result.kind === 'refused' ? CLIENT_CLOSE.TICKET_REFUSED : CLIENT_CLOSE.TICKET_UNREACHABLE;
        this.finish({ code, reason: result.message, wasClean: false });
        return;
      }
      const { ticket } = result;
      const url = `${ticket.url.replace(/\/$/, '')}/${encodeURIComponent(hooks.documentId)}?ticket=${encodeURIComponent(ticket.ticket)}&ack=1`;
      const socket = new WebSocket(url);
      socket.binaryType = this.binaryType;
      this.socket = socket;
      socket.onopen = (event) => {
        this.readyState = 1;
        hooks.onOpen?.(ticket);
        this.emit('onopen', event);
      };
      socket.onmessage = (event) => this.emit('onmessage', event);
      socket.onerror = (event) => this.emit('onerror', event);
      socket.onclose = (event) => {
        // A refused upgrade (an expired or revoked ticket) arrives as an abnormal close: the
        // next attempt asks for a new ticket rather than presenting this one again.
        if (event.code === CLOSE_ABNORMAL || event.code === CLOSE.UNAUTHORIZED) {
          hooks.tickets.invalidate();
        }
        this.finish(event);
      };
    }

    private emit(name: 'onopen' | 'onmessage' | 'onerror' | 'onclose', event: unknown): void {
      const listener = this[name] as ((e: unknown) => void) | null;
      listener?.(event);
    }

    private finish(event: { code: number; reason: string; wasClean: boolean }): void {
      this.readyState = 3;
      this.emit('onclose', event);
    }

    send(data: Uint8Array | ArrayBuffer): void {
      const socket = this.socket;
      if (!socket || socket.readyState !== 1) return;
      const frame = data instanceof Uint8Array ? data : new Uint8Array(data);
      hooks.onSend?.(frame);
      socket.send(frame as Uint8Array<ArrayBuffer>);
    }

    close(): void {
      this.abandoned = true;
      if (this.readyState === 3) return;
      this.readyState = 2;
      if (this.socket) this.socket.close();
      else this.readyState = 3;
    }
  };
}
