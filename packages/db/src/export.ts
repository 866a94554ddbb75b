/**
 * exportWorkspace: one workspace as one archive file (the format is archive.ts). Every row is
 * read in one REPEATABLE READ, READ ONLY transaction, so the file is one consistent snapshot
 * even while people keep editing, and nothing is written. PostgreSQL renders each row as JSON
 * (json_build_object), so timestamps keep their microseconds and both databases give the same
 * text.
 *
 * What is in it: the workspace row, its workspace_schools and memberships, its documents with
 * every update, checkpoint and version, the dashboard rows and the audit log; every user any of
 * those rows names (members, authors, raters, owners, actors: profile rows only, see
 * EXCLUDED_TABLES); the custom templates its documents use; the district with all its schools
 * (plus any other school a row names, and that school's district).
 *
 * Before writing, the rows are checked by the same cross-row rules an import applies, so an
 * export never hands out a file that import would refuse.
 */
import { checkArchiveRows, emptyTables, parentsFirst, writeWorkspaceArchive } from './archive.js';
import {
  ARCHIVE_SPEC,
  type ArchiveTable,
  type ArchiveTables,
  type ColumnType,
} from './archive-spec.js';
import { WorkspaceNotFoundError } from './archive-errors.js';
import type { DbHandle } from './create-db.js';
import { StoreIntegrityError } from './errors.js';
import type { SqlSession, Statement } from './sql-runner.js';
import { IdSchema, parseInput } from './store.js';

/** Which rows of each table belong to the workspace; $1 is the workspace id unless noted. */
const WHERE: Record<ArchiveTable, string> = {
  workspaces: 't.id = $1::uuid',
  workspace_schools: 't.workspace_id = $1::uuid',
  memberships: 't.workspace_id = $1::uuid',
  documents: 't.workspace_id = $1::uuid',
  document_updates: 't.document_id in (select id from documents where workspace_id = $1::uuid)',
  document_checkpoints: 't.document_id in (select id from documents where workspace_id = $1::uuid)',
  document_versions: 't.document_id in (select id from documents where workspace_id = $1::uuid)',
  consensus: 't.workspace_id = $1::uuid',
  goals: 't.workspace_id = $1::uuid',
  goal_owners: 't.workspace_id = $1::uuid',
  action_steps: 't.workspace_id = $1::uuid',
  metrics: 't.workspace_id = $1::uuid',
  metric_values: 't.workspace_id = $1::uuid',
  audit_log: 't.workspace_id = $1::uuid',
  // $1, $2: the (template_id, template_version) pairs the documents use.
  custom_templates: '(t.id, t.version) in (select * from unnest($1::text[], $2::int[]))',
  // $1: every user id the rows above name.
  users: 't.id = any($1::uuid[])',
  // $1: the workspace's district; $2: every school id the rows above name.
  schools: 't.district_id = $1::uuid or t.id = any($2::uuid[])',
  // $1: the workspace's district and the districts of the schools.
  districts: 't.id = any($1::uuid[])',
};

/** Tables read with the workspace id alone, after the workspace row itself. */
const WORKSPACE_TABLES = [
  'workspace_schools',
  'memberships',
  'documents',
  'document_updates',
  'document_checkpoints',
  'document_versions',
  'consensus',
  'goals',
  'goal_owners',
  'action_steps',
  'metrics',
  'metric_values',
  'audit_log',
] as const satisfies readonly ArchiveTable[];

const SNAPSHOT: Statement = {
  name: 'concord_archive_snapshot',
  text: 'set transaction isolation level repeatable read, read only',
};

/** Floats as the shortest text that reads back exactly, whatever the server's default. */
const EXACT_FLOATS: Statement = {
  name: 'concord_archive_exact_floats',
  text: 'set local extra_float_digits = 3',
};

/** The snapshot's time (the transaction's start), in the archive's timestamp form. */
const NOW: Statement = {
  name: 'concord_archive_now',
  text: `select ${valueSql('now()', 'timestamptz')} as now`,
};

const SELECT = Object.fromEntries(
  Object.entries(ARCHIVE_SPEC).map(([table, spec]) => {
    const fields = Object.entries(spec.columns)
      .map(([name, column]) => `'${name}', ${valueSql(`t."${name}"`, column.type)}`)
      .join(', ');
    const text =
      `select json_build_object(${fields})::text as row from ${table} t ` +
      `where ${WHERE[table as ArchiveTable]} order by ${spec.orderBy}`;
    return [table, { name: `concord_archive_export_${table}`, text }];
  }),
) as Record<ArchiveTable, Statement>;

/** A column as the archive writes it: UTC timestamps with microseconds, base64 bytes. */
function valueSql(expression: string, type: ColumnType): string {
  if (type === 'timestamptz') {
    return `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  }
  // encode() breaks base64 into lines of 76 characters; the archive wants one string.
  if (type === 'bytea') return `translate(encode(${expression}, 'base64'), chr(10), '')`;
  return expression;
}

/**
 * The workspace `workspaceId` as an archive file (gzip'd JSON lines, see archive.ts), read in one
 * snapshot. Throws InvalidInputError for a malformed id, WorkspaceNotFoundError for an unknown
 * one, StoreIntegrityError if the stored rows break the archive's rules (e.g. a document whose
 * parent is in another workspace), ArchiveTooLargeError past MAX_ARCHIVE_BODY_BYTES.
 */
export async function exportWorkspace(
  handle: Pick<DbHandle, 'sql'>,
  workspaceId: string,
): Promise<Uint8Array> {
  const id = parseInput(IdSchema, workspaceId, 'workspaceId');
  const { tables, exportedAt } = await handle.sql.transaction((tx) => readWorkspace(tx, id));
  tables.documents = parentsFirst(tables.documents);
  const problems = checkArchiveRows({ header: { workspaceId: id }, tables });
  if (problems.length > 0) {
    throw new StoreIntegrityError(
      `Workspace ${id} cannot be exported: its stored rows break the archive's rules ` +
        `(a hand edit or a bug):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return writeWorkspaceArchive({ workspaceId: id, exportedAt, tables });
}

async function readWorkspace(
  tx: SqlSession,
  id: string,
): Promise<{ tables: ArchiveTables; exportedAt: string }> {
  await tx.query(SNAPSHOT);
  await tx.query(EXACT_FLOATS);
  const [clock] = await tx.query<{ now: string }>(NOW);
  const tables = emptyTables();
  const read = async (table: ArchiveTable, params: unknown[]) => {
    const rows = await tx.query<{ row: string }>(SELECT[table], params);
    tables[table] = rows.map((r) => JSON.parse(r.row) as Record<string, unknown>);
  };

  await read('workspaces', [id]);
  const workspace = tables.workspaces[0];
  if (!workspace) throw new WorkspaceNotFoundError(id);
  for (const table of WORKSPACE_TABLES) await read(table, [id]);

  const templates = new Map<string, [string, number]>();
  for (const d of tables.documents) {
    if (d.template_id === null || d.template_version === null) continue;
    const pair: [string, number] = [String(d.template_id), Number(d.template_version)];
    templates.set(JSON.stringify(pair), pair);
  }
  const pairs = [...templates.values()];
  await read('custom_templates', [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
  await read('users', [referenced(tables, 'users')]);
  await read('schools', [workspace.district_id, referenced(tables, 'schools')]);
  await read('districts', [
    [...new Set([String(workspace.district_id), ...referenced(tables, 'districts')])],
  ]);
  return { tables, exportedAt: clock!.now };
}

/** Every id of `target` that a row read so far names (single-column references). */
function referenced(tables: ArchiveTables, target: ArchiveTable): string[] {
  const ids = new Set<string>();
  for (const [table, spec] of Object.entries(ARCHIVE_SPEC)) {
    for (const ref of spec.refs) {
      if (ref.table !== target || ref.columns.length !== 1) continue;
      for (const row of tables[table as ArchiveTable]) {
        const value = row[ref.columns[0]!];
        if (value !== null && value !== undefined) ids.add(String(value));
      }
    }
  }
  return [...ids];
}
