/**
 * WebSocket close codes: every code a sync connection can end with, in one list, so the server's
 * codes and the ones the web client reports itself cannot collide. 4400-4499: the stock
 * y-websocket client (3.x) does not reconnect, since reconnecting cannot help (HTTP 4xx-like);
 * 4500-4599 and 1012: it reconnects with backoff. Documented in apps/sync-server/README.md; the
 * server logs every close with one of these.
 */
export const CLOSE = {
  /** Server restarting (SIGTERM): reconnect. Standard code "Service Restart". */
  SERVICE_RESTART: 1012,
  /** A frame that is not the protocol: text frame, bad varint, unknown message type, trailing
   * bytes, an update or awareness update that does not decode or would not apply. */
  MALFORMED_MESSAGE: 4400,
  /** Authentication failed after the upgrade. Tickets are checked before the upgrade (HTTP 401),
   * so this is only sent if a connection somehow reaches the room without a valid ticket. */
  UNAUTHORIZED: 4401,
  /** Access revoked while connected (revoke()). */
  ACCESS_REVOKED: 4403,
  /** The document does not exist (never created, or deleted). */
  DOCUMENT_NOT_FOUND: 4404,
  /** A message over maxMessageBytes (or an awareness update over maxAwarenessBytes). */
  MESSAGE_TOO_LARGE: 4413,
  /** An update would push the document past maxDocumentBytes. */
  DOCUMENT_TOO_LARGE: 4420,
  /** The server failed handling a message, or reset the room after an update failed to apply
   * despite the checks; reconnecting resyncs (the client still holds its own edits). */
  INTERNAL_ERROR: 4500,
  /** The document could not be loaded (database unavailable); reconnect later. */
  STORE_UNAVAILABLE: 4503,
  /** The database is unreachable and this instance already holds its limit of unstored updates
   * (maxPendingWrites / maxPendingWriteBytes): the update was refused, not applied; the client
   * keeps it and sends it again when it reconnects. */
  WRITE_QUEUE_FULL: 4507,
  /** More than messagesPerSecond (beyond the burst) from one connection. */
  RATE_LIMITED: 4529,
  /** The user already holds maxConnectionsPerUser connections. */
  TOO_MANY_CONNECTIONS: 4530,
  /** The client does not read what we send (send buffer over maxSendBufferBytes). */
  SLOW_CONSUMER: 4531,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/**
 * Codes the web client's ticketed socket reports to the provider itself, when it cannot open a
 * connection at all; the server never sends them. The same ranges apply.
 */
export const CLIENT_CLOSE = {
  /** The web app refused a ticket (signed out, not a member, no read): final, like a revoke. */
  TICKET_REFUSED: CLOSE.ACCESS_REVOKED,
  /** No ticket because the web app is unreachable: the provider backs off and retries. */
  TICKET_UNREACHABLE: 4599,
} as const;

/** The standard code a browser reports for a connection that ended without a close frame,
 * which is how a refused upgrade (401/403/404 before the WebSocket opens) arrives. */
export const CLOSE_ABNORMAL = 1006;
