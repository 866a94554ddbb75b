/**
 * Public surface of the sync server, for the one-process host (apps/web/host), tests and
 * embedding. What the web app shares with it (message numbers, close codes, tickets) is
 * @concord/sync-protocol.
 */
export { buildApp, SERVICE_NAME, SYNC_PATH, type AppOptions } from './app.js';
export { loadConfig, ConfigError, type Config, type LogLevel } from './config.js';
export {
  SyncHub,
  type Grant,
  type RecheckTarget,
  type RecheckResult,
  type RevokeTarget,
  type RevokeOptions,
} from './hub.js';
export { startSyncServer, type SyncServer } from './server.js';
export {
  databaseAccess,
  trustTicket,
  type Access,
  type AccessPolicy,
  type AccessProblem,
} from './access.js';
export { AccessWatcher, ACCESS_RECHECK_MS, type AccessChangeSource } from './access-watcher.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export { decodeSaved } from './protocol.js';
