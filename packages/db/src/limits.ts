/**
 * Every limit and tuning number of the database layer in one place, so a reviewer can see them
 * together and a change to one is a one-line diff.
 */

/** Largest single Yjs update the store accepts. An offline client merging a day of work sends
 * one large update; anything bigger than this is far more likely a bug or an attack. */
export const MAX_UPDATE_BYTES = 8 * 1024 * 1024;

/** Most entries `DocumentStore.append` takes in one call (one transaction). */
export const MAX_APPEND_BATCH = 1_000;

/** Most entries the group committer puts in one transaction. Bounded so one transaction stays
 * short (its latency is every caller's "saved" latency) and its parameters stay small. */
export const GROUP_COMMIT_MAX_BATCH = 500;

/** How long the group committer waits for company before starting a transaction when none is in
 * flight. 0 = start on the next microtask: under load, batches form by themselves while the
 * previous transaction is in flight, so waiting only adds latency. */
export const GROUP_COMMIT_MAX_DELAY_MS = 0;

/** Most entries waiting in the group committer. Beyond this, `append` fails at once with
 * `StoreOverloadedError` instead of letting memory grow while the database is slow or down. */
export const GROUP_COMMIT_MAX_PENDING = 20_000;

/** Updates since the last checkpoint after which a document is worth compacting. The store never
 * compacts by itself; this is the policy hint for whoever calls `compact` (the sync server). */
export const COMPACT_AFTER_UPDATES = 500;

/** PostgreSQL connections in the pool. The group committer needs one; loads and compactions use
 * the others. */
export const POSTGRES_POOL_MAX = 10;

/** How long to wait for a PostgreSQL connection before failing. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** Longest a single statement may run on PostgreSQL before the server cancels it. */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 30_000;

/** Largest workspace archive body (uncompressed) written or read. Bounds memory: export and
 * import hold the whole workspace in memory, and a reader must not inflate a small "gzip bomb"
 * without end. */
export const MAX_ARCHIVE_BODY_BYTES = 1024 * 1024 * 1024;

/** Rows per INSERT during an import are capped by the size of their JSON, so one statement stays
 * moderate. */
export const ARCHIVE_INSERT_CHUNK_BYTES = 4 * 1024 * 1024;
