/** Public surface of the sync server, for tests and embedding. */
export { buildApp, SERVICE_NAME } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
