/**
 * Storing updates: every accepted client update goes to the store through the one process-wide
 * GroupCommitter (one COMMIT for everything that arrived meanwhile, across all documents), and
 * the caller learns its seq only once that COMMIT is done; that is what a "saved"
 * acknowledgement promises.
 *
 * A failed append is retried until it is stored, because the update is already in the room's
 * document and relayed: dropping it would lose an edit clients believe in. Retrying is safe
 * (appends are idempotent: the same bytes get the same seq). The group committer fails a whole
 * batch when one entry is bad, so an entry also retries when the fault was a batch-mate's:
 * - DocumentNotFoundError naming another document: retried at once;
 * - DocumentNotFoundError naming ours: permanent (the document was deleted);
 * - InvalidInputError: retried once without the author (the one input we cannot check before:
 *   a user deleted since the ticket was issued), then permanent;
 * - StoreClosedError, or close() called: given up (shutdown; the update was not acknowledged,
 *   so its client still holds it and sends it again after reconnecting);
 * - anything else (database down or slow, overloaded): retried with exponential backoff.
 */
import {
  DocumentNotFoundError,
  InvalidInputError,
  StoreClosedError,
  type GroupCommitter,
} from '@concord/db';
import type { FastifyBaseLogger } from 'fastify';
import { APPEND_RETRY_FIRST_MS, APPEND_RETRY_MAX_MS } from './limits.js';
import { err, ok, type Result } from './result.js';

export type SaveFailure = 'document-not-found' | 'invalid' | 'closed';

export interface PersistenceOptions {
  committer: Pick<GroupCommitter, 'append'>;
  log: FastifyBaseLogger;
  retryFirstMs?: number;
  retryMaxMs?: number;
}

export class Persistence {
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private closed = false;
  private readonly wakeups = new Set<() => void>();
  private readonly committer: Pick<GroupCommitter, 'append'>;
  private readonly log: FastifyBaseLogger;
  private readonly retryFirstMs: number;
  private readonly retryMaxMs: number;

  constructor(options: PersistenceOptions) {
    this.committer = options.committer;
    this.log = options.log;
    this.retryFirstMs = options.retryFirstMs ?? APPEND_RETRY_FIRST_MS;
    this.retryMaxMs = options.retryMaxMs ?? APPEND_RETRY_MAX_MS;
  }

  /** Updates accepted but not yet stored (waiting, in a transaction, or retrying). */
  get pending(): number {
    return this.inFlight;
  }

  /** Stores one update; resolves with its seq once committed, or with why it never will be. */
  async save(
    documentId: string,
    update: Uint8Array,
    author: string | null,
  ): Promise<Result<number, SaveFailure>> {
    this.inFlight++;
    try {
      let delay = this.retryFirstMs;
      let failures = 0;
      for (;;) {
        if (this.closed) return err('closed');
        try {
          const result = await this.committer.append({ documentId, update, author });
          if (failures > 0) this.log.info({ documentId, failures }, 'update stored after retrying');
          return ok(result.seq);
        } catch (error) {
          failures++;
          if (error instanceof DocumentNotFoundError) {
            if (error.documentIds.includes(documentId)) return err('document-not-found');
            continue;
          }
          if (error instanceof InvalidInputError) {
            if (author !== null) {
              this.log.warn(
                { documentId, author, problems: error.problems },
                'update refused; retrying without its author',
              );
              author = null;
              continue;
            }
            this.log.error({ documentId, problems: error.problems }, 'update refused by the store');
            return err('invalid');
          }
          if (error instanceof StoreClosedError) return err('closed');
          // Log the first failure of a streak and then every tenth, not every retry.
          if (failures === 1 || failures % 10 === 0) {
            this.log.warn(
              { documentId, failures, err: error },
              'storing an update failed; retrying',
            );
          }
          await this.sleep(delay);
          delay = Math.min(delay * 2, this.retryMaxMs);
        }
      }
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Resolves when nothing is in flight (everything saved so far is stored or given up). */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops retrying: saves still waiting to retry resolve with 'closed'. */
  close(): void {
    this.closed = true;
    for (const wake of this.wakeups) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }
}
