/**
 * The archive format without a database: the spec covers the whole schema (a new table or column
 * cannot be forgotten), writing and reading round-trip, and a reader's refusals name the line and
 * field. The database side (export, import, refusals writing nothing) is
 * workspace-archive.contract.ts.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_SPEC,
  ARCHIVE_TABLES,
  EXCLUDED_COLUMNS,
  EXCLUDED_TABLES,
  type ArchiveTables,
} from './archive-spec.js';
import {
  emptyTables,
  parentsFirst,
  readWorkspaceArchive,
  writeWorkspaceArchive,
} from './archive.js';
import {
  ArchiveForeignError,
  ArchiveInvalidError,
  ArchiveTooLargeError,
  ArchiveVersionError,
} from './archive-errors.js';
import * as schema from './schema/index.js';
import { Editor } from './test-fixtures.js';

const D = '3f2b9c1e-0000-4000-8000-00000000000d';
const U = '3f2b9c1e-0000-4000-8000-00000000000a';
const W = '3f2b9c1e-0000-4000-8000-00000000000e';
const DOC = '3f2b9c1e-0000-4000-8000-000000000001';
const TS = '2026-09-01T12:00:00.123456Z';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The smallest valid workspace: a district, a user, the workspace, a document with 2 updates. */
function minimal(): ArchiveTables {
  const tables = emptyTables();
  const updates = new Editor(1).edit(2);
  tables.districts = [{ id: D, name: 'Revere', state: 'MA', created_at: TS }];
  tables.users = [{ id: U, email: 'ana@example.org', display_name: 'Ana', created_at: TS }];
  tables.workspaces = [
    {
      id: W,
      district_id: D,
      name: 'PL 2026-27',
      school_year: '2026-27',
      created_by: U,
      created_at: TS,
    },
  ];
  tables.documents = [
    {
      id: DOC,
      workspace_id: W,
      kind: 'plan',
      parent_id: null,
      template_id: null,
      template_version: null,
      title: 'Plan',
      school_id: null,
      owner_id: null,
      revealed_at: null,
      head_seq: 2,
      created_by: U,
      created_at: TS,
    },
  ];
  tables.document_updates = updates.map((u, i) => ({
    document_id: DOC,
    seq: i + 1,
    update: b64(u),
    author_id: U,
    created_at: TS,
  }));
  return tables;
}

const write = (tables: ArchiveTables) => writeWorkspaceArchive({ workspaceId: W, tables });

async function problemsOf(bytes: Uint8Array): Promise<string[]> {
  const error = await readWorkspaceArchive(bytes).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ArchiveInvalidError);
  return (error as ArchiveInvalidError).problems;
}

describe('workspace archive format', () => {
  it('covers every table and column of the schema, with the same types', () => {
    const tables = (Object.values(schema) as unknown[])
      .filter((v): v is PgTable => is(v, PgTable))
      .map((t) => getTableConfig(t));
    const archived = new Set<string>(ARCHIVE_TABLES);
    for (const table of tables) {
      const excluded = table.name in EXCLUDED_TABLES;
      expect(archived.has(table.name) !== excluded, `${table.name}: archived xor excluded`).toBe(
        true,
      );
      if (excluded) continue;
      const spec = ARCHIVE_SPEC[table.name as keyof typeof ARCHIVE_SPEC];
      const skipped = EXCLUDED_COLUMNS[table.name as keyof typeof EXCLUDED_COLUMNS] ?? [];
      const sqlTypes = Object.fromEntries(
        table.columns.filter((c) => !skipped.includes(c.name)).map((c) => [c.name, c.getSQLType()]),
      );
      const specTypes = Object.fromEntries(
        Object.entries(spec.columns).map(([n, c]) => [
          n,
          c.type === 'timestamptz' ? 'timestamp with time zone' : c.type,
        ]),
      );
      expect(specTypes, table.name).toEqual(sqlTypes);
    }
    expect(tables.map((t) => t.name).sort()).toEqual(
      [...ARCHIVE_TABLES, ...Object.keys(EXCLUDED_TABLES)].sort(),
    );
  });

  it('reads back exactly what it writes', async () => {
    const tables = minimal();
    const bytes = await writeWorkspaceArchive({ workspaceId: W, exportedAt: TS, tables });
    const read = await readWorkspaceArchive(bytes);
    expect(read.tables).toEqual(tables);
    expect(read.header).toMatchObject({
      format: 'concord-workspace',
      formatVersion: 1,
      exportedAt: TS,
      workspaceId: W,
      counts: { districts: 1, users: 1, workspaces: 1, documents: 1, document_updates: 2 },
    });
    expect(read.lines.document_updates).toEqual([6, 7]);
  });

  it('names the line and field of each bad value, and refuses unknown columns', async () => {
    const tables = minimal();
    tables.users[0]!.password_hash = '$argon2id$…';
    tables.users[0]!.created_at = '2026-09-01 12:00';
    tables.documents[0]!.kind = 'spreadsheet';
    tables.document_updates[1]!.seq = 0;
    expect(await problemsOf(await write(tables))).toEqual([
      'line 3 (users).created_at: must be a UTC timestamp like 2026-09-01T12:00:00.000000Z',
      'line 3 (users): Unrecognized key: "password_hash"',
      'line 5 (documents).kind: must be one of prerequisites, assessment, ratings, plan, comments',
      'line 7 (document_updates).seq: must be at least 1',
    ]);
  });

  it('checks the rules across columns and rows', async () => {
    const tables = minimal();
    tables.documents.push({
      ...tables.documents[0]!,
      id: '3f2b9c1e-0000-4000-8000-000000000002',
      kind: 'ratings',
      head_seq: 0,
    });
    tables.users.push({
      ...tables.users[0]!,
      id: '3f2b9c1e-0000-4000-8000-00000000000b',
      email: 'ANA@example.org',
    });
    tables.audit_log.push({
      workspace_id: '3f2b9c1e-0000-4000-8000-0000000000ff',
      actor_id: null,
      action: 'workspace.export',
      target: null,
      data: {},
      created_at: TS,
    });
    expect(await problemsOf(await write(tables))).toEqual([
      'line 7 (documents).owner_id: must be set exactly when kind is "ratings" (a private document)',
      'line 7 (documents).parent_id: must be set exactly when kind is ratings or comments',
    ]);
    tables.documents.pop();
    expect(await problemsOf(await write(tables))).toEqual([
      "line 9 (audit_log).workspace_id: is not the archive's workspace",
      "line 9 (audit_log).workspace_id: 3f2b9c1e-0000-4000-8000-0000000000ff is not in the archive's workspaces",
      'line 4 (users): another row has the same email (ignoring case)',
    ]);
  });

  it('lists at most 50 problems', async () => {
    const tables = minimal();
    tables.districts = Array.from({ length: 60 }, () => ({
      id: 'x',
      name: '',
      state: null,
      created_at: TS,
    }));
    const problems = await problemsOf(await write(tables));
    expect(problems).toHaveLength(51);
    expect(problems[50]).toBe('… and 70 more');
  });

  it('checks the header: its fields, its counts, its version before the rest', async () => {
    const file = (await promisify(gunzip)(await write(minimal()))).toString('utf8');
    const [header, ...body] = file.split('\n');
    const edit = async (change: (h: Record<string, unknown>) => void) => {
      const h = JSON.parse(header!) as Record<string, unknown>;
      change(h);
      return promisify(gzip)(Buffer.from([JSON.stringify(h), ...body].join('\n')));
    };
    expect(
      await problemsOf(
        await edit((h) => {
          delete h.exportedAt;
          (h.counts as Record<string, number>).users = 5;
        }),
      ),
    ).toEqual(['header.exportedAt: must be a UTC timestamp']);
    expect(
      await problemsOf(await edit((h) => ((h.counts as Record<string, number>).users = 5))),
    ).toEqual(['header.counts.users: says 5 rows, the archive has 1']);
    const newer = await readWorkspaceArchive(
      await edit((h) => {
        h.formatVersion = 3;
        h.counts = 'a new shape';
      }),
    ).catch((e: unknown) => e);
    expect(newer).toBeInstanceOf(ArchiveVersionError);
    expect(
      await readWorkspaceArchive(await edit((h) => (h.format = 'x'))).catch((e) => e),
    ).toBeInstanceOf(ArchiveForeignError);
  });

  it('reads an archive exported before goal_owners and metric_values: no count is 0 rows', async () => {
    const file = (await promisify(gunzip)(await write(minimal()))).toString('utf8');
    const [header, ...body] = file.split('\n');
    const h = JSON.parse(header!) as { counts: Record<string, number> };
    delete h.counts.goal_owners;
    delete h.counts.metric_values;
    const older = await promisify(gzip)(Buffer.from([JSON.stringify(h), ...body].join('\n')));
    const read = await readWorkspaceArchive(older);
    expect(read.header.counts).toMatchObject({ goal_owners: 0, metric_values: 0 });
    expect(read.tables.documents).toHaveLength(1);
  });

  it('refuses to inflate or write more than the limit (a gzip bomb)', async () => {
    const bomb = await writeWorkspaceArchive({
      workspaceId: W,
      tables: { ...minimal(), audit_log: [] },
    });
    await expect(readWorkspaceArchive(bomb, 100)).rejects.toBeInstanceOf(ArchiveTooLargeError);
    const zeros = await promisify(gzip)(Buffer.alloc(10 * 1024 * 1024));
    await expect(readWorkspaceArchive(zeros, 1024 * 1024)).rejects.toMatchObject({
      code: 'archive-too-large',
    });
    await expect(
      writeWorkspaceArchive({ workspaceId: W, tables: minimal() }, 100),
    ).rejects.toBeInstanceOf(ArchiveTooLargeError);
  });

  it('orders documents parents first, and refuses a cycle', () => {
    const doc = (id: string, parent: string | null) => ({ id, parent_id: parent });
    expect(
      parentsFirst([doc('c', 'b'), doc('b', 'a'), doc('a', null), doc('x', 'elsewhere')]).map(
        (d) => d.id,
      ),
    ).toEqual(['a', 'x', 'b', 'c']);
    expect(() => parentsFirst([doc('a', 'b'), doc('b', 'a')])).toThrow(/their own ancestors/);
  });
});
