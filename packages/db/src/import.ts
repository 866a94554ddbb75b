/**
 * importWorkspace: an archive file (archive.ts) into a database, giving the same workspace with
 * the same ids, documents, seqs, head_seq counters, history and timestamps, so the store carries
 * on appending where the source left off.
 *
 * Order of work: the whole file is read and validated first (readWorkspaceArchive: gzip, header,
 * checksum, every row with zod, the rules across rows); then one transaction checks that nothing
 * in the archive exists in the target (workspace, district, schools, users by id or email,
 * documents, versions; a custom template may exist if it is identical, and is then reused),
 * inserts every table in foreign-key order and records a `workspace.import` audit row. Any
 * failure rolls the transaction back: nothing is written.
 *
 * Rows go in through json_to_record, so PostgreSQL parses the archive's JSON values itself (UTC
 * timestamps with microseconds, base64 bytes via decode, arrays, jsonb): the inverse of export's
 * json_build_object. Update hashes are recomputed with sha256(); audit rows get new ids from the
 * target's identity sequence, in the archive's order.
 */
import { ARCHIVE_INSERT_CHUNK_BYTES } from './limits.js';
import { z } from 'zod';
import { countsOf, parentsFirst, readWorkspaceArchive, type WorkspaceArchive } from './archive.js';
import {
  ARCHIVE_SPEC,
  ARCHIVE_TABLES,
  type ArchiveCounts,
  type ArchiveRow,
  type ArchiveTable,
} from './archive-spec.js';
import {
  ArchiveConflictError,
  ArchiveInvalidError,
  type ArchiveConflict,
} from './archive-errors.js';
import type { DbHandle } from './create-db.js';
import { InvalidInputError } from './errors.js';
import type { SqlSession, Statement } from './sql-runner.js';
import { IdSchema, parseInput } from './store.js';

export interface ImportOptions {
  /** Who imports, for the `workspace.import` audit row: a user of the target database or of the
   * archive. Default: none (the system). */
  actorId?: string | null | undefined;
}

export interface ImportResult {
  workspaceId: string;
  /** Rows per table now in the target from the archive (custom_templates: those inserted). */
  counts: ArchiveCounts;
  /** Custom templates the target already had, identical, and that were reused. */
  templatesReused: number;
  exportedAt: string;
}

const ImportOptionsSchema = z.strictObject({ actorId: IdSchema.nullish() });

const INSERT = Object.fromEntries(
  Object.entries(ARCHIVE_SPEC).map(([table, spec]) => {
    const columns = Object.entries(spec.columns);
    const names = columns.map(([n]) => `"${n}"`);
    const values = columns.map(([n, c]) =>
      c.type === 'bytea' ? `decode(r."${n}", 'base64')` : `r."${n}"`,
    );
    const types = columns.map(([n, c]) => `"${n}" ${c.type === 'bytea' ? 'text' : c.type}`);
    if (table === 'document_updates') {
      names.push('"update_hash"');
      values.push(`sha256(decode(r."update", 'base64'))`);
    }
    const text =
      `insert into ${table} (${names.join(', ')}) select ${values.join(', ')} ` +
      `from json_array_elements($1::json) with ordinality as e(value, ord), ` +
      `lateral json_to_record(e.value) as r(${types.join(', ')}) order by e.ord`;
    return [table, { name: `concord_archive_insert_${table}`, text }];
  }),
) as Record<ArchiveTable, Statement>;

/** Rows of the target that the archive would create again. */
const FIND_CONFLICTS: Statement = {
  name: 'concord_archive_conflicts',
  text: `select 'workspaces' as t, id::text as key, null::text as detail from workspaces where id = any($1::uuid[])
   union all select 'districts', id::text, null from districts where id = any($2::uuid[])
   union all select 'schools', id::text, null from schools where id = any($3::uuid[])
   union all select 'users', id::text, null from users where id = any($4::uuid[])
   union all select 'users', 'email ' || u.email, 'the email of user ' || u.id::text
     from users u where lower(u.email) in (select lower(e) from unnest($5::text[]) e)
       and not u.id = any($4::uuid[])
   union all select 'documents', id::text, null from documents where id = any($6::uuid[])
   union all select 'document_versions', id::text, null from document_versions where id = any($7::uuid[])`,
};

const FIND_TEMPLATES: Statement = {
  name: 'concord_archive_templates',
  text: `select id, version, template::text as template from custom_templates
   where (id, version) in (select * from unnest($1::text[], $2::int[]))`,
};

const USER_EXISTS: Statement = {
  name: 'concord_archive_user_exists',
  text: 'select 1 as found from users where id = $1::uuid',
};

const AUDIT_IMPORT: Statement = {
  name: 'concord_archive_audit_import',
  text: `insert into audit_log (workspace_id, actor_id, action, target, data)
   values ($1::uuid, $2::uuid, 'workspace.import', 'workspace:' || $1::text, $3::jsonb)`,
};

/**
 * Imports the archive `bytes` into the database, all or nothing. Throws ArchiveForeignError,
 * ArchiveCorruptError, ArchiveVersionError, ArchiveInvalidError or ArchiveTooLargeError for the
 * file, ArchiveConflictError naming what already exists, InvalidInputError for bad options.
 */
export async function importWorkspace(
  handle: Pick<DbHandle, 'sql'>,
  bytes: Uint8Array,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { actorId } = parseInput(ImportOptionsSchema, options, 'options');
  const archive = await readWorkspaceArchive(bytes);
  const { header, tables } = archive;
  const actorInArchive = tables.users.some((u) => u.id === actorId);

  return handle.sql.transaction(async (tx) => {
    const reused = await refuseConflicts(tx, archive);
    if (actorId && !actorInArchive) {
      const found = await tx.query(USER_EXISTS, [actorId]);
      if (found.length === 0) {
        throw new InvalidInputError([
          'options.actorId: is not the id of a user in the target database or in the archive',
        ]);
      }
    }
    const inserted = { ...tables, documents: parentsFirst(tables.documents) };
    inserted.custom_templates = tables.custom_templates.filter((t) => !reused.has(templateKey(t)));
    for (const table of ARCHIVE_TABLES) {
      try {
        await insertRows(tx, table, inserted[table]);
      } catch (error) {
        throw translate(error, table);
      }
    }
    await tx.query(AUDIT_IMPORT, [
      header.workspaceId,
      actorId ?? null,
      JSON.stringify({
        format: header.format,
        formatVersion: header.formatVersion,
        exportedAt: header.exportedAt,
        bodySha256: header.bodySha256,
        counts: header.counts,
      }),
    ]);
    return {
      workspaceId: header.workspaceId,
      counts: countsOf(inserted),
      templatesReused: reused.size,
      exportedAt: header.exportedAt,
    };
  });
}

/** Throws ArchiveConflictError for anything that exists already; returns the keys of the custom
 * templates the target has, identical, to reuse. */
async function refuseConflicts(tx: SqlSession, archive: WorkspaceArchive): Promise<Set<string>> {
  const { tables } = archive;
  const ids = (table: ArchiveTable) => tables[table].map((r) => String(r.id));
  const rows = await tx.query<{ t: string; key: string; detail: string | null }>(FIND_CONFLICTS, [
    ids('workspaces'),
    ids('districts'),
    ids('schools'),
    ids('users'),
    tables.users.map((u) => String(u.email)),
    ids('documents'),
    ids('document_versions'),
  ]);
  const conflicts: ArchiveConflict[] = rows.map((r) => ({
    table: r.t,
    key: r.key,
    detail: r.detail ?? undefined,
  }));
  const existing = await tx.query<{ id: string; version: number | string; template: string }>(
    FIND_TEMPLATES,
    templateParams(tables.custom_templates),
  );
  const wanted = new Map(tables.custom_templates.map((t) => [templateKey(t), t]));
  const reused = new Set<string>();
  for (const row of existing) {
    const mine = wanted.get(templateKey(row));
    if (!mine) continue;
    if (canonical(JSON.parse(row.template)) === canonical(mine.template)) {
      reused.add(templateKey(row));
    } else {
      conflicts.push({
        table: 'custom_templates',
        key: `${row.id} v${Number(row.version)}`,
        detail: 'with different content',
      });
    }
  }
  if (conflicts.length > 0) throw new ArchiveConflictError(conflicts);
  return reused;
}

async function insertRows(tx: SqlSession, table: ArchiveTable, rows: ArchiveRow[]) {
  let chunk: string[] = [];
  let size = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await tx.query(INSERT[table], [`[${chunk.join(',')}]`]);
    chunk = [];
    size = 0;
  };
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (size + json.length > ARCHIVE_INSERT_CHUNK_BYTES) await flush();
    chunk.push(json);
    size += json.length;
  }
  await flush();
}

/**
 * The database refused a row although the archive passed validation: a concurrent writer took an
 * id (unique violation), or the target's schema has a rule this code does not know. Constraint
 * violations become archive errors naming table and constraint; anything else (a lost
 * connection) is passed on. Either way the transaction rolls back.
 */
function translate(error: unknown, table: ArchiveTable): unknown {
  const e = error as { code?: unknown; constraint?: unknown; detail?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const constraint = typeof e?.constraint === 'string' ? e.constraint : 'a constraint';
  const detail = typeof e?.detail === 'string' ? e.detail : undefined;
  if (code === '23505') return new ArchiveConflictError([{ table, key: constraint, detail }]);
  if (code.startsWith('23')) {
    return new ArchiveInvalidError([
      `${table}: the database refused a row (${constraint}${detail ? `: ${detail}` : ''})`,
    ]);
  }
  return error;
}

function templateParams(templates: readonly ArchiveRow[]): [string[], number[]] {
  return [templates.map((t) => String(t.id)), templates.map((t) => Number(t.version))];
}

function templateKey(t: { id?: unknown; version?: unknown }): string {
  return `${String(t.id)} v${Number(t.version)}`;
}

/** JSON with object keys sorted (jsonb does not keep key order), to compare templates. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
