/**
 * The errors this package throws on purpose. Each has a stable `code` to branch on and a message
 * that says what happened and what to do; anything else that escapes is a driver error (a lost
 * connection, a timeout) and is safe to retry, because appends are idempotent.
 */

export type StoreErrorCode =
  | 'invalid-input'
  | 'document-not-found'
  | 'seq-out-of-range'
  | 'history-unavailable'
  | 'store-integrity'
  | 'store-overloaded'
  | 'store-closed'
  | 'database-unavailable';

export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
}

/** The request itself is wrong (bad id, empty or oversized update...); nothing was written. */
export class InvalidInputError extends StoreError {
  readonly code = 'invalid-input';
  constructor(readonly problems: string[]) {
    super(`Invalid input, nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidInputError';
  }
}

/** One or more documents do not exist (never created, or deleted); the whole batch was rejected. */
export class DocumentNotFoundError extends StoreError {
  readonly code = 'document-not-found';
  constructor(readonly documentIds: string[]) {
    super(
      `No document with id ${documentIds.join(', ')}; nothing in this batch was written. ` +
        'Create the document first, or drop updates for documents that were deleted.',
    );
    this.name = 'DocumentNotFoundError';
  }
}

/** Asked for a seq the document has not reached. */
export class SeqOutOfRangeError extends StoreError {
  readonly code = 'seq-out-of-range';
  constructor(
    readonly documentId: string,
    readonly seq: number,
    readonly headSeq: number,
  ) {
    super(
      `Document ${documentId} has updates up to seq ${headSeq}; seq ${seq} does not exist yet.`,
    );
    this.name = 'SeqOutOfRangeError';
  }
}

/** The state at this seq was folded into a later checkpoint; only versions' states are kept. */
export class HistoryUnavailableError extends StoreError {
  readonly code = 'history-unavailable';
  constructor(
    readonly documentId: string,
    readonly seq: number,
  ) {
    super(
      `The state of document ${documentId} at seq ${seq} was compacted away. ` +
        'States are kept at every version (markVersion) and after the last compaction.',
    );
    this.name = 'HistoryUnavailableError';
  }
}

/** Stored rows contradict the store's rules (a missing seq): a bug or a hand edit, not a user error. */
export class StoreIntegrityError extends StoreError {
  readonly code = 'store-integrity';
  constructor(message: string) {
    super(message);
    this.name = 'StoreIntegrityError';
  }
}

/** Too many appends are waiting (the database is slow or down); retry later. */
export class StoreOverloadedError extends StoreError {
  readonly code = 'store-overloaded';
  constructor(readonly pending: number) {
    super(`${pending} updates are already waiting to be saved; try again shortly.`);
    this.name = 'StoreOverloadedError';
  }
}

/** The group committer was closed; nothing more is accepted. */
export class StoreClosedError extends StoreError {
  readonly code = 'store-closed';
  constructor() {
    super('The document store is shutting down; this update was not saved.');
    this.name = 'StoreClosedError';
  }
}

/** The database could not be reached at start. */
export class DatabaseUnavailableError extends StoreError {
  readonly code = 'database-unavailable';
  constructor(where: string, cause: unknown) {
    super(
      `Could not reach ${where}: ${describeCause(cause)}. Is the server running and is DATABASE_URL right? ` +
        'Unset DATABASE_URL to use the embedded database instead.',
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** node-postgres reports a refused connection as an AggregateError with an empty message. */
function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return [...new Set(cause.errors.map(describeCause))].join('; ');
  }
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return cause.message || (typeof code === 'string' ? code : cause.name);
  }
  return String(cause);
}
