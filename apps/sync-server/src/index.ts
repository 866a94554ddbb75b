/** Public surface of the sync server, for the web app (tickets), tests and embedding. */
export { buildApp, SERVICE_NAME, SYNC_PATH, type AppOptions } from './app.js';
export { loadConfig, ConfigError, type Config, type LogLevel } from './config.js';
export {
  issueTicket,
  verifyTicket,
  CAPABILITIES,
  TICKET_TTL_SECONDS,
  MAX_TICKET_TTL_SECONDS,
  TICKET_PROBLEM_TEXT,
  type Capability,
  type Ticket,
  type TicketProblem,
  type IssueTicketInput,
} from './auth.js';
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
export {
  CLOSE,
  MESSAGE_SYNC,
  MESSAGE_AWARENESS,
  MESSAGE_AUTH,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  decodeSaved,
  type CloseCode,
} from './protocol.js';
