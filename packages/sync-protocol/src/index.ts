/**
 * @concord/sync-protocol: what the web app and the sync server must agree on. This entry is
 * plain constants, safe in the browser; the signed ticket format (node:crypto) is its own entry,
 * `@concord/sync-protocol/ticket`, for the servers.
 */
export * from './messages.js';
export { CLOSE, CLIENT_CLOSE, CLOSE_ABNORMAL, type CloseCode } from './close-codes.js';
export { SYNC_PATH, DEFAULT_SYNC_PORT } from './endpoint.js';
