/**
 * The workspace archive (R10): one file holding one workspace (its district and schools, the
 * people it names, its documents with their full history, the dashboard rows and the audit log),
 * to move it to another Concord or keep it, and to import it giving identical documents and
 * history. This module is the file: its header, writing and reading the bytes, and the rules
 * across rows; archive-spec.ts says what is in it (tables, columns, the zod rule of each row).
 * export.ts and import.ts move the rows to and from a database.
 *
 * The file is gzip over UTF-8 JSON lines:
 *   line 1   the header: { format: "concord-workspace", formatVersion: 1, exportedAt, workspaceId,
 *            counts: { <table>: rows }, bodyBytes, bodySha256 }
 *   line 2…  one row per line, { "table": "documents", "row": { … } }, tables in foreign-key order
 * `bodySha256` is the SHA-256 (hex) of every byte after the header line, so a damaged or edited
 * body is caught even where gzip's own CRC was recomputed. Rows use the database's column names;
 * timestamps are UTC ISO 8601 with microseconds (PostgreSQL's precision, more than a JS Date);
 * bytes are base64; a double precision NaN or ±Infinity is the string "NaN", "Infinity",
 * "-Infinity". Two columns are not in the file: `document_updates.update_hash` (recomputed from the
 * bytes on import) and `audit_log.id` (a database-local serial; the target numbers the rows anew,
 * in the same order). What is left out and why: EXCLUDED_TABLES.
 *
 * A reader refuses, in this order: a file that is not ours (ArchiveForeignError), a damaged one
 * (ArchiveCorruptError: bad gzip, checksum), a newer format (ArchiveVersionError), then anything
 * the rules reject (ArchiveInvalidError, each problem naming its line and field).
 */
import { MAX_ARCHIVE_BODY_BYTES } from './limits.js';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import {
  ArchiveCorruptError,
  ArchiveForeignError,
  ArchiveInvalidError,
  ArchiveTooLargeError,
  ArchiveVersionError,
} from './archive-errors.js';
import {
  ARCHIVE_SPEC,
  ADDED_TABLES,
  ARCHIVE_TABLES,
  RETIRED_TABLES,
  C,
  int,
  isSet,
  ROW_SCHEMAS,
  TEXT,
  type ArchiveCounts,
  type ArchiveRow,
  type ArchiveTable,
  type ArchiveTables,
} from './archive-spec.js';

export const ARCHIVE_FORMAT = 'concord-workspace';
export const ARCHIVE_FORMAT_VERSION = 1;

export { MAX_ARCHIVE_BODY_BYTES };

/** Longest header line a reader looks for (a real one is a few hundred bytes). */
const MAX_HEADER_BYTES = 64 * 1024;

/** Most problems one ArchiveInvalidError lists; the rest are counted. */
const MAX_PROBLEMS = 50;

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  /** When the export's snapshot was taken (ISO 8601, UTC). */
  exportedAt: string;
  workspaceId: string;
  counts: ArchiveCounts;
  bodyBytes: number;
  bodySha256: string;
}

export interface WorkspaceArchive {
  header: ArchiveHeader;
  tables: ArchiveTables;
  /** The file line of each row (tables[t][i] is on lines[t][i]; the header is line 1). */
  lines: Record<ArchiveTable, number[]>;
}

const LineSchema = z.strictObject({
  table: z.enum([...ARCHIVE_TABLES, ...RETIRED_TABLES], {
    error: `must be one of ${ARCHIVE_TABLES.join(', ')}`,
  }),
  row: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
});

const HeaderSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  exportedAt: z.iso.datetime({ error: 'must be a UTC timestamp' }),
  workspaceId: C.uuid.schema as z.ZodString,
  counts: z
    .strictObject({
      ...(Object.fromEntries(
        ARCHIVE_TABLES.map((t) => [
          t,
          (ADDED_TABLES as readonly string[]).includes(t)
            ? int(0, Number.MAX_SAFE_INTEGER).default(0)
            : int(0, Number.MAX_SAFE_INTEGER),
        ]),
      ) as Record<ArchiveTable, ReturnType<typeof int>>),
      ...(Object.fromEntries(
        RETIRED_TABLES.map((t) => [t, int(0, Number.MAX_SAFE_INTEGER).optional()]),
      ) as unknown as Record<(typeof RETIRED_TABLES)[number], ReturnType<typeof int>>),
    })
    .transform((counts) => {
      const out = { ...counts };
      for (const t of RETIRED_TABLES) delete (out as Record<string, unknown>)[t];
      return out as Record<ArchiveTable, number>;
    }),
  bodyBytes: int(0, Number.MAX_SAFE_INTEGER),
  bodySha256: TEXT.regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in hex' }),
});

// ---- Writing ----

export interface ArchiveContent {
  workspaceId: string;
  /** Default: now. */
  exportedAt?: string | undefined;
  /** Rows per table, in the file's JSON form; written in ARCHIVE_TABLES order, each in the order
   * given. Documents should come parents first (readers sort them anyway). */
  tables: ArchiveTables;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The archive file for `content`: the header with counts and checksum, the rows, gzip. Does not
 * validate the rows (exportWorkspace checks them first; tests write broken files on purpose).
 */
export async function writeWorkspaceArchive(
  content: ArchiveContent,
  maxBodyBytes = MAX_ARCHIVE_BODY_BYTES,
): Promise<Uint8Array> {
  const lines: Buffer[] = [];
  let bodyBytes = 0;
  const hash = createHash('sha256');
  for (const table of ARCHIVE_TABLES) {
    for (const row of content.tables[table]) {
      const line = Buffer.from(`${JSON.stringify({ table, row })}\n`, 'utf8');
      bodyBytes += line.byteLength;
      if (bodyBytes > maxBodyBytes) throw new ArchiveTooLargeError(maxBodyBytes);
      hash.update(line);
      lines.push(line);
    }
  }
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    exportedAt: content.exportedAt ?? new Date().toISOString(),
    workspaceId: content.workspaceId,
    counts: countsOf(content.tables),
    bodyBytes,
    bodySha256: hash.digest('hex'),
  };
  const file = Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...lines]);
  const gz = await gzipAsync(file);
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

export function countsOf(tables: ArchiveTables): ArchiveCounts {
  return Object.fromEntries(ARCHIVE_TABLES.map((t) => [t, tables[t].length])) as ArchiveCounts;
}

export function emptyTables(): ArchiveTables {
  return Object.fromEntries(ARCHIVE_TABLES.map((t) => [t, []])) as unknown as ArchiveTables;
}

// ---- Reading ----

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Reads and fully validates an archive without touching a database: gzip, header, checksum,
 * every row's fields, then the rules across rows (one workspace, unique keys, every reference
 * inside the archive, each document's log loadable). Throws an ArchiveError saying what is wrong.
 */
export async function readWorkspaceArchive(
  bytes: Uint8Array,
  maxBodyBytes = MAX_ARCHIVE_BODY_BYTES,
): Promise<WorkspaceArchive> {
  if (!(bytes instanceof Uint8Array)) {
    throw new ArchiveForeignError('expected the bytes of a file (a Uint8Array)');
  }
  if (bytes.byteLength < 2 || bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) {
    throw new ArchiveForeignError(
      `it is not gzip-compressed (it starts with ${describeStart(bytes)}; an archive starts with 1f 8b)`,
    );
  }
  let file: Buffer;
  try {
    // Room for the header line on top of the body limit.
    file = await gunzipAsync(bytes, { maxOutputLength: maxBodyBytes + MAX_HEADER_BYTES });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ArchiveTooLargeError(maxBodyBytes);
    throw new ArchiveCorruptError(
      `the gzip data does not decompress (${(error as Error).message})`,
    );
  }

  const headerEnd = file.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a);
  if (headerEnd === -1 && file.length >= MAX_HEADER_BYTES) {
    throw new ArchiveForeignError('its first line is not a JSON header');
  }
  const header = readHeader(file.toString('utf8', 0, headerEnd === -1 ? file.length : headerEnd));
  if (headerEnd === -1) throw new ArchiveCorruptError('the file ends inside the header line');
  const body = file.subarray(headerEnd + 1);
  if (body.byteLength > maxBodyBytes) throw new ArchiveTooLargeError(maxBodyBytes);
  const sha = createHash('sha256').update(body).digest('hex');
  if (body.byteLength !== header.bodyBytes || sha !== header.bodySha256) {
    throw new ArchiveCorruptError(
      `the body (${body.byteLength} bytes, SHA-256 ${sha}) is not what the header recorded ` +
        `(${header.bodyBytes} bytes, SHA-256 ${header.bodySha256}); it was changed or damaged after export`,
    );
  }

  const problems = new Problems();
  const tables = emptyTables();
  const lines = Object.fromEntries(ARCHIVE_TABLES.map((t) => [t, []])) as unknown as Record<
    ArchiveTable,
    number[]
  >;
  let start = 0;
  let lineNo = 1;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    lineNo++;
    const text = body.toString('utf8', start, end);
    start = end + 1;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.add(`line ${lineNo}: is not JSON`);
      continue;
    }
    const line = LineSchema.safeParse(json);
    if (!line.success) {
      problems.addIssues(`line ${lineNo}`, line.error.issues);
      continue;
    }
    const { table: named, row } = line.data;
    if ((RETIRED_TABLES as readonly string[]).includes(named)) continue;
    const table = named as ArchiveTable;
    const parsed = ROW_SCHEMAS[table].safeParse(row);
    if (!parsed.success) {
      problems.addIssues(`line ${lineNo} (${table})`, parsed.error.issues);
      continue;
    }
    tables[table].push(parsed.data);
    lines[table].push(lineNo);
  }
  problems.throwIfAny();
  for (const table of ARCHIVE_TABLES) {
    if (tables[table].length !== header.counts[table]) {
      problems.add(
        `header.counts.${table}: says ${header.counts[table]} rows, the archive has ${tables[table].length}`,
      );
    }
  }
  problems.throwIfAny();
  const archive = { header, tables, lines };
  checkArchiveRows(archive, problems);
  problems.throwIfAny();
  return archive;
}

function readHeader(text: string): ArchiveHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArchiveForeignError('its first line is not a JSON header');
  }
  const raw = (json ?? {}) as { format?: unknown; formatVersion?: unknown };
  if (typeof json !== 'object' || raw.format !== ARCHIVE_FORMAT) {
    throw new ArchiveForeignError(
      `its header does not say format "${ARCHIVE_FORMAT}" (it says ${JSON.stringify(raw.format ?? null)})`,
    );
  }
  // A newer format may change anything else in the header, so the version is checked first.
  if (
    typeof raw.formatVersion === 'number' &&
    Number.isInteger(raw.formatVersion) &&
    raw.formatVersion > ARCHIVE_FORMAT_VERSION
  ) {
    throw new ArchiveVersionError(raw.formatVersion, ARCHIVE_FORMAT_VERSION);
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) {
    const problems = new Problems();
    problems.addIssues('header', parsed.error.issues);
    problems.throwIfAny();
  }
  return parsed.data as ArchiveHeader;
}

/**
 * The rules across rows, for a read archive and for an export before it is written: one
 * workspace (the header's), every workspace_id that one, unique keys and emails, every reference
 * inside the archive, documents' parents acyclic, and each document's log loadable.
 */
export function checkArchiveRows(
  archive: Pick<WorkspaceArchive, 'tables'> & {
    header: Pick<ArchiveHeader, 'workspaceId'>;
    lines?: WorkspaceArchive['lines'];
  },
  problems = new Problems(),
): string[] {
  const { tables, header } = archive;
  const at = (table: ArchiveTable, i: number) =>
    archive.lines ? `line ${archive.lines[table][i]} (${table})` : `${table}[${i}]`;

  if (tables.workspaces.length !== 1 || tables.workspaces[0]!.id !== header.workspaceId) {
    problems.add(
      `workspaces: must hold exactly the workspace ${header.workspaceId} of the header ` +
        `(it holds ${tables.workspaces.map((w) => String(w.id)).join(', ') || 'none'})`,
    );
  }

  // Keys of every table (for uniqueness and as targets of references).
  const keys = new Map<string, Set<string>>();
  const keySet = (table: ArchiveTable, columns: readonly string[]) => {
    const name = `${table}(${columns.join(',')})`;
    let set = keys.get(name);
    if (!set) {
      set = new Set(tables[table].map((r) => keyOf(r, columns)));
      keys.set(name, set);
    }
    return set;
  };

  for (const table of ARCHIVE_TABLES) {
    const spec = ARCHIVE_SPEC[table];
    const rows = tables[table];
    if (spec.key.length > 0) {
      const seen = new Map<string, number>();
      rows.forEach((row, i) => {
        const k = keyOf(row, spec.key);
        const first = seen.get(k);
        if (first === undefined) seen.set(k, i);
        else problems.add(`${at(table, i)}.${spec.key.join(',')}: repeats ${at(table, first)}`);
      });
    }
    rows.forEach((row, i) => {
      if ('workspace_id' in spec.columns && row.workspace_id !== header.workspaceId) {
        problems.add(`${at(table, i)}.workspace_id: is not the archive's workspace`);
      }
      for (const r of spec.refs) {
        const values = r.columns.map((c) => row[c]);
        if (values.some((v) => !isSet(v))) continue;
        if (!keySet(r.table, r.key).has(keyOf(row, r.columns))) {
          problems.add(
            `${at(table, i)}.${r.columns.join(',')}: ${values.join(', ')} is not in the archive's ${r.table}`,
          );
        }
      }
    });
  }

  unique(tables.users, (u) => String(u.email).toLowerCase(), 'email (ignoring case)', 'users');
  unique(tables.schools, (s) => `${String(s.district_id)} ${String(s.name)}`, 'name', 'schools');
  unique(
    tables.documents.filter((d) => d.kind === 'ratings'),
    (d) => `${String(d.parent_id)} ${String(d.owner_id)}`,
    'owner_id (one ratings document per rater and parent)',
    'documents',
  );

  try {
    parentsFirst(tables.documents);
  } catch (error) {
    problems.add(`documents.parent_id: ${(error as Error).message}`);
  }
  checkLogs(tables, problems);
  return problems.list;

  function unique(
    rows: ArchiveRow[],
    keyFn: (row: ArchiveRow) => string,
    what: string,
    table: ArchiveTable,
  ) {
    const seen = new Set<string>();
    for (const row of rows) {
      const k = keyFn(row);
      if (seen.has(k)) {
        const i = tables[table].indexOf(row);
        problems.add(`${at(table, i)}: another row has the same ${what}`);
      }
      seen.add(k);
    }
  }
}

/**
 * Each document's log must load after import, as the store requires: no update, checkpoint or
 * version beyond head_seq, the updates after the newest checkpoint exactly seqs checkpoint+1 …
 * head_seq, and no update stored twice (the store keeps one row per distinct update).
 */
function checkLogs(tables: ArchiveTables, problems: Problems) {
  interface Log {
    head: number;
    checkpoint: number;
    updates: number[];
    hashes: Set<string>;
  }
  const logs = new Map<string, Log>();
  for (const d of tables.documents) {
    logs.set(String(d.id), {
      head: Number(d.head_seq),
      checkpoint: 0,
      updates: [],
      hashes: new Set(),
    });
  }
  const beyond = (table: ArchiveTable, row: ArchiveRow, log: Log) =>
    problems.add(
      `${table}: document ${String(row.document_id)} seq ${String(row.seq)} is beyond its head_seq ${log.head}`,
    );
  for (const c of tables.document_checkpoints) {
    const log = logs.get(String(c.document_id));
    if (!log) continue; // reported as a bad reference
    if (Number(c.seq) > log.head) beyond('document_checkpoints', c, log);
    log.checkpoint = Math.max(log.checkpoint, Number(c.seq));
  }
  for (const v of tables.document_versions) {
    const log = logs.get(String(v.document_id));
    if (log && Number(v.seq) > log.head) beyond('document_versions', v, log);
  }
  for (const u of tables.document_updates) {
    const log = logs.get(String(u.document_id));
    if (!log) continue;
    if (Number(u.seq) > log.head) beyond('document_updates', u, log);
    log.updates.push(Number(u.seq));
    const hash = createHash('sha256')
      .update(Buffer.from(String(u.update), 'base64'))
      .digest('hex');
    if (log.hashes.has(hash)) {
      problems.add(
        `document_updates: document ${String(u.document_id)} seq ${String(u.seq)} repeats an earlier update's bytes`,
      );
    }
    log.hashes.add(hash);
  }
  for (const [id, log] of logs) {
    const after = log.updates.filter((s) => s > log.checkpoint).sort((a, b) => a - b);
    const expected = log.head - log.checkpoint;
    if (after.length !== expected || after.some((s, i) => s !== log.checkpoint + i + 1)) {
      problems.add(
        `document_updates: document ${id} needs updates ${log.checkpoint + 1}…${log.head} after its ` +
          `newest checkpoint (seq ${log.checkpoint}) to load; the archive has ${after.length} of them`,
      );
    }
  }
}

/** Documents with every parent before its children (stable otherwise); throws on a cycle. */
export function parentsFirst(documents: ArchiveRow[]): ArchiveRow[] {
  const ids = new Set(documents.map((d) => String(d.id)));
  const placed = new Set<string>();
  const ordered: ArchiveRow[] = [];
  let pending = documents;
  while (pending.length > 0) {
    const next: ArchiveRow[] = [];
    for (const d of pending) {
      const parent = d.parent_id;
      // A parent outside the archive is reported as a bad reference, not here.
      if (!isSet(parent) || placed.has(String(parent)) || !ids.has(String(parent))) {
        ordered.push(d);
        placed.add(String(d.id));
      } else next.push(d);
    }
    if (next.length === pending.length) {
      throw new Error(
        `documents ${next.map((d) => String(d.id)).join(', ')} are their own ancestors`,
      );
    }
    pending = next;
  }
  return ordered;
}

function keyOf(row: ArchiveRow, columns: readonly string[]): string {
  return columns.map((c) => String(row[c])).join('\u0000');
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'nothing (the file is empty)';
  return Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Problems found so far, capped at MAX_PROBLEMS listed. */
export class Problems {
  readonly list: string[] = [];
  private more = 0;

  add(problem: string) {
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
    else this.more++;
  }

  addIssues(where: string, issues: readonly z.core.$ZodIssue[]) {
    for (const issue of issues) {
      const path = issue.path.map(String).join('.');
      this.add(`${where}${path ? `.${path}` : ''}: ${issue.message}`);
    }
  }

  throwIfAny() {
    if (this.list.length === 0) return;
    const list = this.more > 0 ? [...this.list, `… and ${this.more} more`] : [...this.list];
    throw new ArchiveInvalidError(list);
  }
}
