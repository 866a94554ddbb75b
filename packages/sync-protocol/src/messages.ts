/**
 * Wire message type numbers: the first varUint of every binary frame between a client and the
 * sync server. The standard y-websocket protocol (y-protocols sync, awareness and auth messages,
 * one message per frame), plus one Concord message (SAVED) sent only to clients that ask for it.
 * Decoding and encoding live in the sync server (apps/sync-server/src/protocol.ts); the web
 * client registers handlers for these numbers on the stock provider.
 *
 *   [0 SYNC] [0 step 1]  varBytes(state vector)     client -> server and server -> client
 *   [0 SYNC] [1 step 2]  varBytes(update)           both ways
 *   [0 SYNC] [2 update]  varBytes(update)           both ways
 *   [1 AWARENESS]        varBytes(awareness update) both ways
 *   [2 AUTH] [0 denied]  varString(reason)          server -> client only
 *   [3 QUERY_AWARENESS]                             client -> server (answered with AWARENESS)
 *   [100 SAVED] varUint(seq) varUint(count)         server -> client, only with ?ack=1
 *   [101 ROUND] varString(JSON command)             client -> server (a facilitator's page)
 *   [102 ROUND_RESULT] varString(JSON result)       server -> client, the answer to a ROUND
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * "Saved": everything up to `seq` of this document is durably stored, and so are the first
 * `count` update messages (sync step 2 and update) this connection sent. Sent only to clients
 * that connected with `?ack=1`: the stock y-websocket client logs an error for a type it does
 * not know. 100 is far from the y-protocols numbers (0-3) and from common extensions.
 */
export const MESSAGE_SAVED = 100;
/**
 * A rating-round command (open, reveal, close, nudge) from a facilitator's page, on its
 * connection to the checklist or assessment; answered with ROUND_RESULT. Only clients that
 * know it send it; the change it makes reaches everyone as an ordinary document update.
 */
export const MESSAGE_ROUND = 101;
export const MESSAGE_ROUND_RESULT = 102;

/** y-protocols sync message subtypes (the second varUint of a SYNC frame). */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** y-protocols auth message subtype. */
export const AUTH_PERMISSION_DENIED = 0;
