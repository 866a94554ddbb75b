/**
 * DocumentStore over SQL, for PGlite and PostgreSQL alike (through the SqlRunner seam). The rules
 * are in store.ts; this file is how they are kept:
 *
 * - Seqs come from documents.head_seq, locked FOR UPDATE and moved in the same transaction:
 *   appenders of one document queue on its row and a rolled-back batch leaves the counter where
 *   it was, so seqs are gap-free even with several processes. Rows are locked in id order, so two
 *   batches touching the same documents cannot deadlock.
 * - append, the common case: one statement locks the documents, numbers the updates, inserts
 *   them (one multi-row INSERT; the database computes the SHA-256) and moves the heads. With
 *   BEGIN and COMMIT that is three round trips per batch, whatever its size. The insert skips an
 *   update whose hash is already stored (ON CONFLICT DO NOTHING on the unique key, which also
 *   sees rows committed concurrently); a skipped row would leave a gap, so then the transaction
 *   is rolled back and the batch is redone the careful way: lock, look the hashes up (a fresh
 *   snapshot, after the lock), insert only the new updates.
 * - load and stateAt read checkpoint and updates in one statement (one snapshot), so a compaction
 *   committing in between cannot make them miss updates.
 * - compact serialises per document on a transaction-level advisory lock; it never blocks
 *   appends, which only add rows above the seq being compacted.
 */
import { createHash } from 'node:crypto';
import {
  DocumentNotFoundError,
  HistoryUnavailableError,
  InvalidInputError,
  SeqOutOfRangeError,
  StoreIntegrityError,
} from './errors.js';
import type { DbHandle } from './create-db.js';
import { mergeUpdates, squashUpdates } from './merge.js';
import type { VersionKind } from './schema/enums.js';
import type { Row, SqlRunner, SqlSession, Statement } from './sql-runner.js';
import {
  IdSchema,
  parseBatch,
  parseInput,
  SeqSchema,
  VersionInputSchema,
  type AppendEntry,
  type AppendResult,
  type CompactOptions,
  type CompactResult,
  type DocumentStore,
  type LoadedState,
  type Version,
  type VersionInput,
  type ValidEntry,
} from './store.js';

/** Advisory lock class for compaction (the second key is a hash of the document id). */
const COMPACT_LOCK_CLASS = 0x636d7074; // "cmpt"

const sql = (name: string, text: string): Statement => ({ name: `concord_${name}`, text });

/** Reasons the fast append refuses a batch (migration 0002's concord_refuse_append). */
const REFUSED_MISSING = 'missing-document';
const REFUSED_DUPLICATE = 'duplicate';
const REFUSED_PREFIX = 'concord: append refused: ';

/** See appendFast. `with ordinality` keeps batch order, so seqs follow it per document. */
const APPEND_FAST = sql(
  'append_fast',
  `with input as (
     select * from unnest($1::uuid[], $2::bytea[], $3::uuid[])
       with ordinality as i(document_id, update, author_id, ord)
   ),
   locked as (
     select id, head_seq from documents
     where id in (select document_id from input) order by id for update
   ),
   numbered as (
     select i.document_id, i.update, i.author_id,
       l.head_seq + row_number() over (partition by i.document_id order by i.ord) as seq
     from input i join locked l on l.id = i.document_id
   ),
   inserted as (
     insert into document_updates (document_id, seq, update, update_hash, author_id)
     select document_id, seq, update, sha256(update), author_id from numbered
     on conflict (document_id, update_hash) do nothing
     returning document_id, seq
   ),
   heads as (
     update documents d set head_seq = m.seq
     from (select document_id, max(seq) as seq from inserted group by document_id) m
     where d.id = m.document_id
   )
   select l.id::text as id, l.head_seq,
     case
       when (select count(*) from locked) <> (select count(distinct document_id) from input)
         then concord_refuse_append('${REFUSED_MISSING}')
       when (select count(*) from inserted) <> (select count(*) from input)
         then concord_refuse_append('${REFUSED_DUPLICATE}')
     end as refused
   from locked l`,
);

const EXISTING_DOCUMENTS = sql(
  'existing_documents',
  'select id::text as id from documents where id = any($1::uuid[])',
);

const LOCK_DOCUMENTS = sql(
  'lock_documents',
  `select id::text as id, head_seq from documents
   where id = any($1::uuid[]) order by id for update`,
);

const FIND_DUPLICATES = sql(
  'find_duplicates',
  `select u.document_id::text as document_id, u.update_hash, u.seq
   from unnest($1::uuid[], $2::bytea[]) as k(document_id, update_hash)
   join document_updates u on u.document_id = k.document_id and u.update_hash = k.update_hash`,
);

const INSERT_UPDATES = sql(
  'insert_updates',
  `with inserted as (
     insert into document_updates (document_id, seq, update, update_hash, author_id)
     select * from unnest($1::uuid[], $2::bigint[], $3::bytea[], $4::bytea[], $5::uuid[])
   )
   update documents d set head_seq = h.head_seq
   from unnest($6::uuid[], $7::bigint[]) as h(id, head_seq)
   where d.id = h.id`,
);

/** part 0: the document's head; 1: the newest checkpoint at or before $2; 2: updates after it. */
const READ_STATE = sql(
  'read_state',
  `with c as (
     select seq, state from document_checkpoints
     where document_id = $1::uuid and seq <= $2::bigint order by seq desc limit 1
   )
   select 0 as part, head_seq as seq, null::bytea as bytes from documents where id = $1::uuid
   union all
   select 1, seq, state from c
   union all
   select 2, u.seq, u.update from document_updates u
   where u.document_id = $1::uuid and u.seq > coalesce((select seq from c), 0) and u.seq <= $2::bigint`,
);

/** READ_STATE for the range being compacted, plus (part 3) the version seqs inside it. */
const READ_COMPACTION = sql(
  'read_compaction',
  `with c as (
     select seq, state from document_checkpoints
     where document_id = $1::uuid and seq <= $2::bigint order by seq desc limit 1
   )
   select 1 as part, seq, state as bytes from c
   union all
   select 2, u.seq, u.update from document_updates u
   where u.document_id = $1::uuid and u.seq > coalesce((select seq from c), 0) and u.seq <= $2::bigint
   union all
   select distinct 3, v.seq, null::bytea from document_versions v
   where v.document_id = $1::uuid and v.seq > coalesce((select seq from c), 0) and v.seq < $2::bigint`,
);

const LOCK_COMPACTION = sql(
  'lock_compaction',
  `select pg_advisory_xact_lock($1::int, hashtext($2::text))`,
);

const READ_HEAD = sql(
  'read_head',
  `select head_seq,
     (select max(seq) from document_checkpoints where document_id = $1::uuid) as checkpoint_seq
   from documents where id = $1::uuid`,
);

const INSERT_CHECKPOINTS = sql(
  'insert_checkpoints',
  `insert into document_checkpoints (document_id, seq, state)
   select $1::uuid, s.seq, s.state from unnest($2::bigint[], $3::bytea[]) as s(seq, state)`,
);

const DELETE_UPDATES = sql(
  'delete_updates',
  `with deleted as (
     delete from document_updates
     where document_id = $1::uuid and seq > $2::bigint and seq <= $3::bigint
     returning 1
   )
   select count(*)::int as n from deleted`,
);

/** Checkpoints older than the new one are only kept where a version needs them. */
const DELETE_OLD_CHECKPOINTS = sql(
  'delete_old_checkpoints',
  `delete from document_checkpoints c
   where c.document_id = $1::uuid and c.seq < $2::bigint
     and not exists (
       select 1 from document_versions v where v.document_id = c.document_id and v.seq = c.seq
     )`,
);

const MARK_VERSION = sql(
  'mark_version',
  `insert into document_versions (document_id, seq, label, kind, author_id)
   select id, head_seq, $2::text, $3::text, $4::uuid from documents where id = $1::uuid
   returning id::text as id, document_id::text as document_id, seq, label, kind,
     author_id::text as author_id, created_at`,
);

/** A left join so "no versions" (one row of nulls) and "no document" (no row) differ. */
const LIST_VERSIONS = sql(
  'list_versions',
  `select v.id::text as id, d.id::text as document_id, v.seq, v.label, v.kind,
     v.author_id::text as author_id, v.created_at
   from documents d left join document_versions v on v.document_id = d.id
   where d.id = $1::uuid order by v.seq, v.created_at, v.id`,
);

interface PartRow extends Row {
  part: number | string;
  seq: number | string | null;
  bytes: Uint8Array | null;
}

interface VersionRow extends Row {
  id: string;
  document_id: string;
  seq: number | string;
  label: string | null;
  kind: VersionKind;
  author_id: string | null;
  created_at: Date;
}

/** The document store on an open database (PGlite or PostgreSQL). */
export function createDocumentStore(handle: Pick<DbHandle, 'sql'>): DocumentStore {
  return new SqlDocumentStore(handle.sql);
}

export class SqlDocumentStore implements DocumentStore {
  constructor(private readonly sql: SqlRunner) {}

  async append(batch: readonly AppendEntry[]): Promise<AppendResult[]> {
    const entries = parseBatch(batch);
    if (entries.length === 0) return [];
    try {
      // One statement, so no transaction around it: it is atomic by itself, and it refuses
      // (raising, which undoes all of it) anything it cannot store whole.
      return await appendFast(this.sql, entries);
    } catch (error) {
      const refused = refusalOf(error);
      if (refused === REFUSED_MISSING) throw await this.missingDocuments(entries);
      if (refused !== REFUSED_DUPLICATE) throw translate(error);
    }
    // Some update was already stored, or is twice in the batch: the fast attempt wrote
    // nothing; redo the batch the careful way, which finds the existing seqs.
    const hashes = entries.map((e) => sha256(e.update));
    try {
      return await this.sql.transaction((tx) => appendCareful(tx, entries, hashes));
    } catch (error) {
      throw translate(error);
    }
  }

  /** The error for a batch naming documents that do not exist (read after the refusal). */
  private async missingDocuments(entries: readonly ValidEntry[]): Promise<DocumentNotFoundError> {
    const ids = [...new Set(entries.map((e) => e.documentId))];
    const found = new Set(
      (await this.sql.query<{ id: string }>(EXISTING_DOCUMENTS, [ids])).map((r) => r.id),
    );
    return new DocumentNotFoundError(ids.filter((id) => !found.has(id)));
  }

  async load(documentId: string): Promise<LoadedState> {
    const id = parseInput(IdSchema, documentId, 'documentId');
    const parts = await this.readState(this.sql, id, Number.MAX_SAFE_INTEGER);
    return { state: mergeUpdates(parts.updates), seq: parts.head };
  }

  async stateAt(documentId: string, seq: number): Promise<Uint8Array> {
    const id = parseInput(IdSchema, documentId, 'documentId');
    const at = parseInput(SeqSchema, seq, 'seq');
    const parts = await this.readState(this.sql, id, at);
    if (at > parts.head) throw new SeqOutOfRangeError(id, at, parts.head);
    return mergeUpdates(parts.updates);
  }

  async compact(documentId: string, options: CompactOptions = {}): Promise<CompactResult> {
    const id = parseInput(IdSchema, documentId, 'documentId');
    const upTo =
      options.upTo === undefined ? undefined : parseInput(SeqSchema, options.upTo, 'upTo');
    return this.sql.transaction(async (tx) => {
      await tx.query(LOCK_COMPACTION, [COMPACT_LOCK_CLASS, id]);
      const [headRow] = await tx.query<{
        head_seq: number | string;
        checkpoint_seq: number | string | null;
      }>(READ_HEAD, [id]);
      if (!headRow) throw new DocumentNotFoundError([id]);
      const head = Number(headRow.head_seq);
      const newest = Number(headRow.checkpoint_seq ?? 0);
      const target = upTo ?? head;
      if (target > head) throw new SeqOutOfRangeError(id, target, head);
      // Already folded into a checkpoint at or after the target: nothing to do.
      if (target <= newest) return { merged: 0, checkpointSeq: newest };

      const rows = await tx.query<PartRow>(READ_COMPACTION, [id, target]);
      let base: { seq: number; state: Uint8Array } | undefined;
      const updates: { seq: number; update: Uint8Array }[] = [];
      const versionSeqs: number[] = [];
      for (const row of rows) {
        const part = Number(row.part);
        const seq = Number(row.seq);
        if (part === 1) base = { seq, state: bytesOf(row.bytes) };
        else if (part === 2) updates.push({ seq, update: bytesOf(row.bytes) });
        else versionSeqs.push(seq);
      }
      const baseSeq = base?.seq ?? 0;
      updates.sort((a, b) => a.seq - b.seq);
      versionSeqs.sort((a, b) => a - b);
      checkContiguous(id, baseSeq, target, updates);

      const merge =
        options.merge ?? ((parts: Uint8Array[]) => Promise.resolve(squashUpdates(parts)));
      const checkpoints = await planCheckpoints(base, updates, [...versionSeqs, target], merge);
      await tx.query(INSERT_CHECKPOINTS, [
        id,
        checkpoints.map((c) => c.seq),
        checkpoints.map((c) => c.state),
      ]);
      const [deleted] = await tx.query<{ n: number | string }>(DELETE_UPDATES, [
        id,
        baseSeq,
        target,
      ]);
      await tx.query(DELETE_OLD_CHECKPOINTS, [id, target]);
      return { merged: Number(deleted?.n ?? 0), checkpointSeq: target };
    });
  }

  async markVersion(documentId: string, version: VersionInput): Promise<Version> {
    const id = parseInput(IdSchema, documentId, 'documentId');
    const input = parseInput(VersionInputSchema, version, 'version');
    try {
      const [row] = await this.sql.query<VersionRow>(MARK_VERSION, [
        id,
        input.label,
        input.kind,
        input.author ?? null,
      ]);
      if (!row) throw new DocumentNotFoundError([id]);
      return versionOf(row);
    } catch (error) {
      throw translate(error);
    }
  }

  async listVersions(documentId: string): Promise<Version[]> {
    const id = parseInput(IdSchema, documentId, 'documentId');
    const rows = await this.sql.query<VersionRow>(LIST_VERSIONS, [id]);
    if (rows.length === 0) throw new DocumentNotFoundError([id]);
    return rows.filter((r) => r.id !== null).map(versionOf);
  }

  /** The head, and the updates to merge for the state at `upTo` (checkpoint first). */
  private async readState(q: SqlSession, id: string, upTo: number) {
    const rows = await q.query<PartRow>(READ_STATE, [id, upTo]);
    let head: number | undefined;
    let base: { seq: number; state: Uint8Array } | undefined;
    const updates: { seq: number; update: Uint8Array }[] = [];
    for (const row of rows) {
      const part = Number(row.part);
      if (part === 0) head = Number(row.seq);
      else if (part === 1) base = { seq: Number(row.seq), state: bytesOf(row.bytes) };
      else updates.push({ seq: Number(row.seq), update: bytesOf(row.bytes) });
    }
    if (head === undefined) throw new DocumentNotFoundError([id]);
    updates.sort((a, b) => a.seq - b.seq);
    const end = Math.min(upTo, head);
    const baseSeq = base?.seq ?? 0;
    if (updates.length !== end - baseSeq || updates.some((u, i) => u.seq !== baseSeq + i + 1)) {
      // Updates missing between the checkpoint and `end`: compacted away, unless `end` is the head
      // (load), where every update after the newest checkpoint must still be there.
      if (end === head) checkContiguous(id, baseSeq, end, updates);
      throw new HistoryUnavailableError(id, end);
    }
    const parts = base
      ? [base.state, ...updates.map((u) => u.update)]
      : updates.map((u) => u.update);
    return { head, updates: parts };
  }
}

/** The reason the fast append gave for refusing a batch, or null for any other error. */
function refusalOf(error: unknown): string | null {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith(REFUSED_PREFIX)
    ? message.slice(REFUSED_PREFIX.length)
    : null;
}

/**
 * The common case, no duplicates, in one statement: lock the documents, number the updates from
 * each head, insert them (hash computed by the database), move the heads. A duplicate makes the
 * insert skip a row, which would leave a gap, and a missing document would store the rest of
 * the batch without it: in both cases the statement raises, which undoes all of it, and the
 * caller goes the careful way or reports the missing documents.
 */
async function appendFast(db: SqlSession, entries: ValidEntry[]): Promise<AppendResult[]> {
  const rows = await db.query<{ id: string; head_seq: number | string }>(APPEND_FAST, [
    entries.map((e) => e.documentId),
    entries.map((e) => e.update),
    entries.map((e) => e.author ?? null),
  ]);
  const heads = new Map(rows.map((r) => [r.id, Number(r.head_seq)]));
  // No row at all: none of the documents exists (nothing was written).
  const missing = [...new Set(entries.map((e) => e.documentId))].filter((id) => !heads.has(id));
  if (missing.length > 0) throw new DocumentNotFoundError(missing);
  // The same numbering as the statement's row_number(): batch order within each document.
  return entries.map((e) => {
    const seq = heads.get(e.documentId)! + 1;
    heads.set(e.documentId, seq);
    return { seq, duplicate: false };
  });
}

async function appendCareful(
  tx: SqlSession,
  entries: ValidEntry[],
  hashes: Uint8Array[],
): Promise<AppendResult[]> {
  const documentIds = [...new Set(entries.map((e) => e.documentId))];
  const locked = await tx.query<{ id: string; head_seq: number | string }>(LOCK_DOCUMENTS, [
    documentIds,
  ]);
  const heads = new Map(locked.map((r) => [r.id, Number(r.head_seq)]));
  const missing = documentIds.filter((id) => !heads.has(id));
  if (missing.length > 0) throw new DocumentNotFoundError(missing);

  const existing = new Map<string, number>();
  const found = await tx.query<{
    document_id: string;
    update_hash: Uint8Array;
    seq: number | string;
  }>(FIND_DUPLICATES, [entries.map((e) => e.documentId), hashes]);
  for (const row of found) {
    existing.set(key(row.document_id, bytesOf(row.update_hash)), Number(row.seq));
  }

  const results: AppendResult[] = [];
  const rows = {
    documentIds: [] as string[],
    seqs: [] as number[],
    updates: [] as Uint8Array[],
    hashes: [] as Uint8Array[],
    authors: [] as (string | null)[],
  };
  entries.forEach((entry, i) => {
    const hash = hashes[i]!;
    const k = key(entry.documentId, hash);
    const seen = existing.get(k);
    if (seen !== undefined) {
      results.push({ seq: seen, duplicate: true });
      return;
    }
    const seq = heads.get(entry.documentId)! + 1;
    heads.set(entry.documentId, seq);
    existing.set(k, seq); // the same update twice in one batch is stored once
    rows.documentIds.push(entry.documentId);
    rows.seqs.push(seq);
    rows.updates.push(entry.update);
    rows.hashes.push(hash);
    rows.authors.push(entry.author ?? null);
    results.push({ seq, duplicate: false });
  });
  if (rows.seqs.length > 0) {
    const touched = [...new Set(rows.documentIds)];
    await tx.query(INSERT_UPDATES, [
      rows.documentIds,
      rows.seqs,
      rows.updates,
      rows.hashes,
      rows.authors,
      touched,
      touched.map((id) => heads.get(id)!),
    ]);
  }
  return results;
}

/**
 * The checkpoints compaction writes: the state at each stop (every version inside the range, then
 * the target), each folded from the previous one and the updates up to it.
 */
async function planCheckpoints(
  base: { state: Uint8Array } | undefined,
  updates: readonly { seq: number; update: Uint8Array }[],
  stops: readonly number[],
  merge: (parts: Uint8Array[]) => Promise<Uint8Array>,
): Promise<{ seq: number; state: Uint8Array }[]> {
  const checkpoints: { seq: number; state: Uint8Array }[] = [];
  let state = base?.state;
  let next = 0;
  for (const stop of stops) {
    const folded: Uint8Array[] = state ? [state] : [];
    while (next < updates.length && updates[next]!.seq <= stop) {
      folded.push(updates[next]!.update);
      next++;
    }
    // Nothing to fold, or only the previous state: the merger is only asked for real work.
    state = folded.length <= 1 ? mergeUpdates(folded) : await merge(folded);
    checkpoints.push({ seq: stop, state });
  }
  return checkpoints;
}

function checkContiguous(
  id: string,
  after: number,
  upTo: number,
  updates: readonly { seq: number }[],
) {
  if (updates.length === upTo - after && updates.every((u, i) => u.seq === after + i + 1)) return;
  throw new StoreIntegrityError(
    `Document ${id} is missing updates between seq ${after + 1} and ${upTo} ` +
      `(found ${updates.length} of ${upTo - after}); the log was changed outside the store.`,
  );
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function key(documentId: string, hash: Uint8Array): string {
  return `${documentId}:${Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64')}`;
}

/** A plain Uint8Array view (node-postgres returns Buffers; equality checks want one type). */
function bytesOf(value: Uint8Array | null): Uint8Array {
  if (value === null) throw new StoreIntegrityError('A stored update or checkpoint is null.');
  return value.constructor === Uint8Array
    ? value
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function versionOf(row: VersionRow): Version {
  return {
    id: row.id,
    documentId: row.document_id,
    seq: Number(row.seq),
    label: row.label,
    kind: row.kind,
    authorId: row.author_id,
    createdAt: row.created_at,
  };
}

/** Constraint names whose violation is the caller's mistake, turned into a message they can act on. */
function translate(error: unknown): unknown {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  if (constraint === 'document_updates_author_id_users_id_fk') {
    return new InvalidInputError(['author: is not the id of a user; nothing was written']);
  }
  if (constraint === 'document_versions_author_id_users_id_fk') {
    return new InvalidInputError(['version.author: is not the id of a user']);
  }
  return error;
}
