/**
 * @concord/db: Concord's database. One drizzle schema for PGlite and PostgreSQL with committed
 * migrations, `createDb` to open either, and the durable Yjs document store with group commit.
 *
 * A scratch-PostgreSQL helper for other packages' tests is a separate entry point
 * (`@concord/db/testing`), so production code never loads it.
 */
export * as schema from './schema/index.js';
export * from './schema/enums.js';
export {
  createDb,
  type CreateDbOptions,
  type DbHandle,
  type PgliteHandle,
  type PostgresHandle,
  type Schema,
} from './create-db.js';
export {
  configFromEnv,
  parseDbConfig,
  describeDbConfig,
  DbConfigError,
  PGLITE_MEMORY,
  type DbConfig,
  type DbConfigInput,
} from './config.js';
export { migrate, MIGRATIONS_FOLDER } from './migrate.js';
export {
  migrateStoredDocuments,
  DOCUMENTS_SCHEMA_2,
  type StoredDocumentsMigration,
} from './document-migration.js';
export type {
  DocumentStore,
  AppendEntry,
  AppendResult,
  LoadedState,
  CompactOptions,
  CompactResult,
  Version,
  VersionInput,
} from './store.js';
export { createDocumentStore } from './sql-store.js';
export { savepointRunner } from './sql-runner.js';
export { readAccessFacts, type AccessFacts, type DocumentFacts } from './access.js';
export { GroupCommitter, type GroupCommitOptions, type GroupCommitStats } from './group-commit.js';
export { mergeUpdates, squashUpdates, EMPTY_UPDATE } from './merge.js';
export * from './errors.js';
export * as limits from './limits.js';
export { exportWorkspace } from './export.js';
export { importWorkspace, type ImportOptions, type ImportResult } from './import.js';
export {
  readWorkspaceArchive,
  writeWorkspaceArchive,
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  MAX_ARCHIVE_BODY_BYTES,
  type ArchiveContent,
  type ArchiveHeader,
  type WorkspaceArchive,
} from './archive.js';
export {
  ARCHIVE_TABLES,
  EXCLUDED_TABLES,
  type ArchiveCounts,
  type ArchiveRow,
  type ArchiveTable,
  type ArchiveTables,
} from './archive-spec.js';
export * from './archive-errors.js';
