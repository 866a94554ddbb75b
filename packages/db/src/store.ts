/**
 * The document store: the durable log of Yjs updates behind every co-edited document, and the
 * rules it keeps. The interface is the seam the sync server and the history view depend on;
 * sql-store.ts implements it once over PGlite or PostgreSQL, and store.contract.ts checks every
 * rule on both.
 *
 * Rules:
 * - append: one transaction for the whole batch (any number of documents). Each new update gets
 *   the next seq of its document: 1, 2, 3... with no gaps, in batch order. An update already
 *   stored for that document (same bytes, found by SHA-256) is not stored again: its existing seq
 *   comes back with duplicate: true, so a retry after an unclear failure is always safe. If
 *   anything in the batch is wrong (a document that does not exist), nothing is written.
 * - load: the latest checkpoint merged with every update after it, as one Yjs update, and the
 *   seq it is current to.
 * - compact: folds the updates up to a seq into checkpoints and deletes those update rows. A
 *   checkpoint is kept at every version's seq, so stateAt(version.seq) still works afterwards.
 * - markVersion: marks the document as it is now (head seq); versions are never removed.
 * - stateAt: the document as of any seq that is a version, a checkpoint, or not yet compacted.
 */
import { z } from 'zod';
import { InvalidInputError } from './errors.js';
import { MAX_APPEND_BATCH, MAX_UPDATE_BYTES } from './limits.js';
import { isYjsUpdate } from './merge.js';
import { VERSION_KINDS, type VersionKind } from './schema/enums.js';

export interface AppendEntry {
  documentId: string;
  /** One Yjs update (v1 encoding). */
  update: Uint8Array;
  /** The user who made the change, for attribution in history. */
  author?: string | null | undefined;
}

export interface AppendResult {
  seq: number;
  /** True when this exact update was already stored (re-delivery); `seq` is the stored one. */
  duplicate: boolean;
}

export interface LoadedState {
  /** A single Yjs update holding the whole document. */
  state: Uint8Array;
  /** The seq the state is current to (0 for a document with no updates). */
  seq: number;
}

export interface CompactOptions {
  /** Fold updates up to and including this seq (default: every update so far). */
  upTo?: number | undefined;
  /** Folds updates into one checkpoint, as `squashUpdates` does; by default `squashUpdates` in
   * this thread.
   * A server passes one that runs on a worker thread: folding hundreds of updates into a large
   * checkpoint takes tens to hundreds of ms of CPU, which must not stall its event loop. */
  merge?: ((updates: Uint8Array[]) => Promise<Uint8Array>) | undefined;
}

export interface CompactResult {
  /** Update rows folded into checkpoints and deleted. */
  merged: number;
  /** The seq of the newest checkpoint after compaction (0 if the document has none). */
  checkpointSeq: number;
}

export interface VersionInput {
  label?: string | null | undefined;
  kind: VersionKind;
  author?: string | null | undefined;
}

export interface Version {
  id: string;
  documentId: string;
  seq: number;
  label: string | null;
  kind: VersionKind;
  authorId: string | null;
  createdAt: Date;
}

export interface DocumentStore {
  append(batch: readonly AppendEntry[]): Promise<AppendResult[]>;
  load(documentId: string): Promise<LoadedState>;
  compact(documentId: string, options?: CompactOptions): Promise<CompactResult>;
  markVersion(documentId: string, version: VersionInput): Promise<Version>;
  listVersions(documentId: string): Promise<Version[]>;
  stateAt(documentId: string, seq: number): Promise<Uint8Array>;
}

// ---- Validation at the edge: every public method checks its input before touching SQL. ----

/** Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type accepts; lower-cased as PostgreSQL returns. */
export const IdSchema = z
  .string({ error: 'must be a UUID string' })
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    error: 'must be a UUID like 3f2b9c1e-…',
  })
  .transform((s) => s.toLowerCase());

const UpdateSchema = z
  .instanceof(Uint8Array, { error: 'must be a Uint8Array holding a Yjs update' })
  .refine((u) => u.byteLength > 0, { error: 'is empty', abort: true })
  .refine((u) => u.byteLength <= MAX_UPDATE_BYTES, {
    error: `is larger than the ${MAX_UPDATE_BYTES / 1024 / 1024} MiB limit (MAX_UPDATE_BYTES)`,
    abort: true,
  })
  .refine(isYjsUpdate, { error: 'is not a Yjs update (it does not decode)' });

export const AppendEntrySchema = z.object({
  documentId: IdSchema,
  update: UpdateSchema,
  author: IdSchema.nullish(),
});

export const SeqSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const VersionInputSchema = z
  .object({
    label: z
      .string()
      .trim()
      .max(200, 'must be at most 200 characters')
      .nullish()
      .transform((s) => (s ? s : null)),
    kind: z.enum(VERSION_KINDS, { error: `must be one of ${VERSION_KINDS.join(', ')}` }),
    author: IdSchema.nullish(),
  })
  .refine((v) => v.kind !== 'named' || v.label !== null, {
    path: ['label'],
    error: 'a named version needs a label',
  });

export type ValidEntry = z.output<typeof AppendEntrySchema>;

/** Parses `value` or throws InvalidInputError naming each bad field under `where`. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    parsed.error.issues.map((i) => {
      const path = [where, ...i.path.map(String)].filter(Boolean).join('.');
      return `${path}: ${i.message}`;
    }),
  );
}

/**
 * Entries this module has validated. The group committer validates each entry as it arrives (so
 * a bad one fails alone); the store then recognises those objects and does not decode the same
 * bytes twice. Only parseEntry adds to it, and what it adds is frozen.
 */
const validated = new WeakSet<object>();

/** Validates one entry (throws InvalidInputError naming the field under `where`). */
export function parseEntry(entry: AppendEntry, where: string): ValidEntry {
  if (validated.has(entry)) return entry as ValidEntry;
  const valid = Object.freeze(parseInput(AppendEntrySchema, entry, where));
  validated.add(valid);
  return valid;
}

export function parseBatch(batch: readonly AppendEntry[]): ValidEntry[] {
  if (!Array.isArray(batch)) throw new InvalidInputError(['batch: must be an array of entries']);
  if (batch.length > MAX_APPEND_BATCH) {
    throw new InvalidInputError([
      `batch: has ${batch.length} entries; at most ${MAX_APPEND_BATCH} (MAX_APPEND_BATCH) per call`,
    ]);
  }
  const entries: ValidEntry[] = [];
  const problems: string[] = [];
  batch.forEach((entry, i) => {
    try {
      entries.push(parseEntry(entry, `batch[${i}]`));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return entries;
}
