/**
 * What a workspace archive holds (archive.ts is the file around it): the archived tables in
 * insertion order, the tables and columns deliberately left out and why, and per table its
 * columns (PostgreSQL type and zod rule), key, references inside the archive, the rules across
 * its columns, and the export's row order. The zod rules mirror the schema's check constraints
 * (src/schema/*), no stricter: every row the database can hold must pass, so every export can
 * be imported. archive.test.ts checks that this covers every table and column of the schema.
 */
import { z } from 'zod';
import { MAX_UPDATE_BYTES } from './limits.js';
import { isYjsUpdate } from './merge.js';
import {
  ACTION_STEP_STATUSES,
  AUDIT_ACTIONS,
  CHILD_DOCUMENT_KINDS,
  CONSENSUS_STATUSES,
  DOCUMENT_KINDS,
  GOAL_CONFIDENCE,
  MEMBERSHIP_ROLES,
  REPRESENTS,
  VERSION_KINDS,
} from './schema/enums.js';

/** The archived tables, in the order they are written and inserted (foreign keys first). */
export const ARCHIVE_TABLES = [
  'districts',
  'schools',
  'users',
  'workspaces',
  'workspace_schools',
  'memberships',
  'custom_templates',
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
] as const;
export type ArchiveTable = (typeof ARCHIVE_TABLES)[number];

/** Archived tables added after format version 1 was first written (migration 0008): an archive
 * exported before them has no count for them in its header, which reads as 0 rows, so it still
 * imports (the importing server projects its plans again on start, which fills them). */
export const ADDED_TABLES = [
  'goal_owners',
  'metric_values',
] as const satisfies readonly ArchiveTable[];

/** Tables older archives held that are no longer written: their lines are read and dropped, so
 * an archive exported before still imports. */
export const RETIRED_TABLES = ['ratings'] as const;

/** Tables never archived, and why. A new table must be added to one list or the other (a test
 * checks every table of the schema is in exactly one). */
export const EXCLUDED_TABLES = {
  password_credentials:
    'password hashes are credentials: a file that travels by email or USB stick must not let ' +
    'anyone crack passwords offline; imported people sign in by resetting their password or ' +
    'through an external provider',
  external_accounts:
    'links to identity providers are set up per Concord deployment; people link again on first ' +
    'sign-in',
  sessions: 'sign-in sessions belong to the database that issued them',
  invitations: 'invitation token hashes are credentials; pending invitations are sent again',
  round_raters:
    'which person an anonymised rater key stands for: an archive travels by email or USB stick, ' +
    'and an anonymised round stays anonymous in it (the rounds themselves, in the documents, ' +
    'are archived; a named round names its raters there)',
  ratings:
    'revealed ratings by person, projected from the documents: in an anonymised round they ' +
    'would say who gave which rating, which the archive must not (the revealed ratings ' +
    'themselves are in the documents); the importing server projects them again, named rounds ' +
    'by person',
  instrument_states:
    'a projection of the documents (round figures, readiness, scores) that the importing ' +
    'server computes again',
  plan_states:
    'how far the projection of each plan has come (projected_seq): the importing server has ' +
    'none, so it projects the plans again on start',
  data_migrations:
    'records which one-time migrations of stored data this database has run; the database ' +
    'importing an archive has its own',
} as const;

/** Columns of archived tables left out of the file (see the module comment). */
export const EXCLUDED_COLUMNS: Partial<Record<ArchiveTable, readonly string[]>> = {
  document_updates: ['update_hash'],
  audit_log: ['id'],
};

/** One row as it is in the file (and as the database renders it): plain JSON values. */
export type ArchiveRow = Record<string, unknown>;
export type ArchiveTables = Record<ArchiveTable, ArchiveRow[]>;
export type ArchiveCounts = Record<ArchiveTable, number>;

// ---- Column types and the zod rule for each value ----

export type ColumnType =
  | 'uuid'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'timestamptz'
  | 'date'
  | 'jsonb'
  | 'text[]'
  | 'bytea';

export interface Column {
  type: ColumnType;
  schema: z.ZodType;
}

const col = (type: ColumnType, schema: z.ZodType): Column => ({ type, schema });
const nullable = (c: Column): Column => ({ type: c.type, schema: c.schema.nullable() });

export const TEXT = z.string({ error: 'must be a string' });
/** PostgreSQL's btrim() trims spaces only, so "not blank" is "has a character other than space". */
const NOT_BLANK = TEXT.regex(/[^ ]/, { error: 'must not be blank' });
const SLUG = TEXT.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, {
  error: 'must be a slug (letters, digits, . _ : -)',
});
const INT4_MAX = 2_147_483_647;
export const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** Bytes as base64, decoded and checked by `check` (which returns a problem or undefined). */
const base64 = (check: (bytes: Uint8Array) => string | undefined) =>
  z.base64({ error: 'must be base64' }).superRefine((value, ctx) => {
    const problem = check(Buffer.from(value, 'base64'));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const yjs = (maxBytes?: number) =>
  base64((b) => {
    if (b.byteLength === 0) return 'is empty';
    if (maxBytes !== undefined && b.byteLength > maxBytes) {
      return `is larger than the ${maxBytes / 1024 / 1024} MiB limit (MAX_UPDATE_BYTES)`;
    }
    return isYjsUpdate(b) ? undefined : 'is not a Yjs update (it does not decode)';
  });

const oneOf = (values: readonly [string, ...string[]]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const C = {
  uuid: col(
    'uuid',
    TEXT.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
      error: 'must be a lower-case UUID like 3f2b9c1e-…',
    }),
  ),
  text: col('text', TEXT),
  notBlank: col('text', NOT_BLANK),
  slug: col('text', SLUG),
  timestamp: col(
    'timestamptz',
    z.iso.datetime({ error: 'must be a UTC timestamp like 2026-09-01T12:00:00.000000Z' }),
  ),
  date: col('date', z.iso.date({ error: 'must be a date like 2026-06-30' })),
  seq: (min: 0 | 1) => col('bigint', int(min, Number.MAX_SAFE_INTEGER)),
  int: (min: number, max: number) => col('integer', int(min, max)),
  float: col(
    'double precision',
    z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])], {
      error: 'must be a number, "NaN", "Infinity" or "-Infinity"',
    }),
  ),
  enum: (values: readonly [string, ...string[]]) => col('text', oneOf(values)),
  object: col(
    'jsonb',
    z.record(z.string(), z.json(), { error: 'must be a JSON object' }) as z.ZodType,
  ),
} as const;

/** A foreign key inside the archive: `columns` of a row name `key` of a row of `table`. */
interface Ref {
  columns: readonly string[];
  table: ArchiveTable;
  key: readonly string[];
}

/** A rule across the columns of one row (a check constraint over several columns). */
interface Rule {
  path: string;
  message: string;
  ok(row: ArchiveRow): boolean;
}

export interface TableSpec {
  /** The archived columns, in file order, with their PostgreSQL types and zod rules. */
  columns: Record<string, Column>;
  /** Columns unique within the archive (the primary key); empty for audit_log. */
  key: readonly string[];
  refs: readonly Ref[];
  rules: readonly Rule[];
  /** ORDER BY of the export (rows are written in a stable order). */
  orderBy: string;
}

const ref = (columns: readonly string[], table: ArchiveTable, key: readonly string[] = ['id']) => ({
  columns,
  table,
  key,
});
const toWorkspace = ref(['workspace_id'], 'workspaces');
const toUser = (column: string) => ref([column], 'users');
const toDocumentOfWorkspace = ref(['document_id', 'workspace_id'], 'documents', [
  'id',
  'workspace_id',
]);
export const isSet = (v: unknown) => v !== null && v !== undefined;
const isSchoolRepresentative: Rule = {
  path: 'school_id',
  message: 'must be set exactly when represents is "school"',
  ok: (r) => (r.represents === 'school') === isSet(r.school_id),
};

export const ARCHIVE_SPEC: Record<ArchiveTable, TableSpec> = {
  districts: {
    columns: {
      id: C.uuid,
      name: C.notBlank,
      state: nullable(col('text', TEXT.regex(/^[A-Z]{2}$/, { error: 'must be like MA' }))),
      created_at: C.timestamp,
    },
    key: ['id'],
    refs: [],
    rules: [],
    orderBy: 't.id',
  },
  schools: {
    columns: { id: C.uuid, district_id: C.uuid, name: C.notBlank, created_at: C.timestamp },
    key: ['id'],
    refs: [ref(['district_id'], 'districts')],
    rules: [],
    orderBy: 't.id',
  },
  users: {
    columns: {
      id: C.uuid,
      email: col(
        'text',
        TEXT.regex(/^[^@ \t\n\v\f\r]+@[^@ \t\n\v\f\r]+$/, { error: 'must be an email address' }),
      ),
      display_name: C.notBlank,
      created_at: C.timestamp,
    },
    key: ['id'],
    refs: [],
    rules: [],
    orderBy: 't.id',
  },
  workspaces: {
    columns: {
      id: C.uuid,
      district_id: C.uuid,
      name: C.notBlank,
      school_year: col(
        'text',
        TEXT.regex(/^[0-9]{4}-[0-9]{2}$/, { error: 'must be like 2026-27' }),
      ),
      created_by: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['id'],
    refs: [ref(['district_id'], 'districts'), toUser('created_by')],
    rules: [],
    orderBy: 't.id',
  },
  workspace_schools: {
    columns: { workspace_id: C.uuid, school_id: C.uuid },
    key: ['workspace_id', 'school_id'],
    refs: [toWorkspace, ref(['school_id'], 'schools')],
    rules: [],
    orderBy: 't.school_id',
  },
  memberships: {
    columns: {
      workspace_id: C.uuid,
      user_id: C.uuid,
      role: C.enum(MEMBERSHIP_ROLES),
      represents: nullable(C.enum(REPRESENTS)),
      school_id: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['workspace_id', 'user_id'],
    refs: [toWorkspace, toUser('user_id'), ref(['school_id'], 'schools')],
    rules: [isSchoolRepresentative],
    orderBy: 't.user_id',
  },
  custom_templates: {
    columns: {
      id: C.text,
      version: C.int(1, INT4_MAX),
      template: C.object,
      imported_by: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['id', 'version'],
    refs: [toUser('imported_by')],
    rules: [
      {
        path: 'template',
        message: "must have the row's id and version",
        ok: (r) => {
          const t = (r.template ?? {}) as { id?: unknown; version?: unknown };
          return t.id === r.id && String(t.version) === String(r.version);
        },
      },
    ],
    orderBy: 't.id, t.version',
  },
  documents: {
    columns: {
      id: C.uuid,
      workspace_id: C.uuid,
      kind: C.enum(DOCUMENT_KINDS),
      parent_id: nullable(C.uuid),
      template_id: nullable(C.text),
      template_version: nullable(C.int(1, INT4_MAX)),
      title: C.notBlank,
      school_id: nullable(C.uuid),
      owner_id: nullable(C.uuid),
      revealed_at: nullable(C.timestamp),
      head_seq: C.seq(0),
      created_by: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['id'],
    refs: [
      toWorkspace,
      ref(['parent_id'], 'documents'),
      ref(['school_id'], 'schools'),
      toUser('owner_id'),
      toUser('created_by'),
    ],
    rules: [
      {
        path: 'template_version',
        message: 'must be set exactly when template_id is',
        ok: (r) => isSet(r.template_id) === isSet(r.template_version),
      },
      {
        path: 'owner_id',
        message: 'must be set exactly when kind is "ratings" (a private document)',
        ok: (r) => (r.kind === 'ratings') === isSet(r.owner_id),
      },
      {
        path: 'parent_id',
        message: `must be set exactly when kind is ${CHILD_DOCUMENT_KINDS.join(' or ')}`,
        ok: (r) =>
          (CHILD_DOCUMENT_KINDS as readonly unknown[]).includes(r.kind) === isSet(r.parent_id),
      },
    ],
    orderBy: 't.created_at, t.id',
  },
  document_updates: {
    columns: {
      document_id: C.uuid,
      seq: C.seq(1),
      update: col('bytea', yjs(MAX_UPDATE_BYTES)),
      author_id: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['document_id', 'seq'],
    refs: [ref(['document_id'], 'documents'), toUser('author_id')],
    rules: [],
    orderBy: 't.document_id, t.seq',
  },
  document_checkpoints: {
    columns: {
      document_id: C.uuid,
      seq: C.seq(1),
      state: col('bytea', yjs()),
      created_at: C.timestamp,
    },
    key: ['document_id', 'seq'],
    refs: [ref(['document_id'], 'documents')],
    rules: [],
    orderBy: 't.document_id, t.seq',
  },
  document_versions: {
    columns: {
      id: C.uuid,
      document_id: C.uuid,
      seq: C.seq(0),
      label: nullable(C.text),
      kind: C.enum(VERSION_KINDS),
      author_id: nullable(C.uuid),
      created_at: C.timestamp,
    },
    key: ['id'],
    refs: [ref(['document_id'], 'documents'), toUser('author_id')],
    rules: [
      {
        path: 'label',
        message: 'a named version needs a label',
        ok: (r) => r.kind !== 'named' || (typeof r.label === 'string' && /[^ ]/.test(r.label)),
      },
    ],
    orderBy: 't.document_id, t.seq, t.created_at, t.id',
  },
  consensus: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      indicator_id: C.slug,
      value: nullable(C.int(0, 100)),
      rationale: nullable(C.text),
      status: C.enum(CONSENSUS_STATUSES),
      decided_by: nullable(C.uuid),
      decided_at: nullable(C.timestamp),
      updated_at: C.timestamp,
    },
    key: ['document_id', 'indicator_id'],
    refs: [toWorkspace, toDocumentOfWorkspace, toUser('decided_by')],
    rules: [
      {
        path: 'status',
        message: 'an agreed indicator needs value and decided_at',
        ok: (r) => r.status !== 'agreed' || (isSet(r.value) && isSet(r.decided_at)),
      },
    ],
    orderBy: 't.document_id, t.indicator_id',
  },
  goals: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      goal_id: C.text,
      area_id: C.text,
      title: C.notBlank,
      owner_id: nullable(C.uuid),
      owner_name: nullable(C.text),
      phase_year: nullable(C.int(1, 20)),
      start_date: nullable(C.date),
      due_date: nullable(C.date),
      status: C.slug,
      confidence: nullable(C.enum(GOAL_CONFIDENCE)),
      indicator_ids: col('text[]', z.array(TEXT.nullable(), { error: 'must be an array' })),
      updated_at: C.timestamp,
    },
    key: ['document_id', 'goal_id'],
    refs: [toWorkspace, toDocumentOfWorkspace, toUser('owner_id')],
    rules: [
      {
        path: 'due_date',
        message: 'must not be before start_date',
        ok: (r) =>
          !isSet(r.start_date) || !isSet(r.due_date) || String(r.start_date) <= String(r.due_date),
      },
    ],
    orderBy: 't.document_id, t.goal_id',
  },
  goal_owners: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      goal_id: C.text,
      position: C.int(0, INT4_MAX),
      user_id: nullable(C.uuid),
      name: nullable(C.notBlank),
      updated_at: C.timestamp,
    },
    key: ['document_id', 'goal_id', 'position'],
    refs: [
      toWorkspace,
      toDocumentOfWorkspace,
      ref(['document_id', 'goal_id'], 'goals', ['document_id', 'goal_id']),
      toUser('user_id'),
    ],
    rules: [
      {
        path: 'user_id',
        message: 'an owner is a user_id or a name, exactly one of them',
        ok: (r) => isSet(r.user_id) !== isSet(r.name),
      },
    ],
    orderBy: 't.document_id, t.goal_id, t.position',
  },
  action_steps: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      step_id: C.text,
      goal_id: C.text,
      title: C.notBlank,
      owner_id: nullable(C.uuid),
      owner_name: nullable(C.text),
      due_date: nullable(C.date),
      status: C.enum(ACTION_STEP_STATUSES),
      updated_at: C.timestamp,
    },
    key: ['document_id', 'step_id'],
    refs: [
      toWorkspace,
      toDocumentOfWorkspace,
      ref(['document_id', 'goal_id'], 'goals', ['document_id', 'goal_id']),
      toUser('owner_id'),
    ],
    rules: [],
    orderBy: 't.document_id, t.step_id',
  },
  metrics: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      metric_id: C.text,
      subgroup: C.slug,
      goal_id: nullable(C.text),
      name: C.notBlank,
      source: nullable(C.text),
      unit: nullable(C.text),
      baseline: nullable(C.float),
      target: nullable(C.float),
      current: nullable(C.float),
      updated_at: C.timestamp,
    },
    key: ['document_id', 'metric_id', 'subgroup'],
    refs: [
      toWorkspace,
      toDocumentOfWorkspace,
      ref(['document_id', 'goal_id'], 'goals', ['document_id', 'goal_id']),
    ],
    rules: [],
    orderBy: 't.document_id, t.metric_id, t.subgroup',
  },
  metric_values: {
    columns: {
      workspace_id: C.uuid,
      document_id: C.uuid,
      metric_id: C.text,
      subgroup: C.text,
      measured_on: C.date,
      value: C.float,
      updated_at: C.timestamp,
    },
    key: ['document_id', 'metric_id', 'subgroup', 'measured_on'],
    refs: [
      toWorkspace,
      toDocumentOfWorkspace,
      ref(['document_id', 'metric_id', 'subgroup'], 'metrics', [
        'document_id',
        'metric_id',
        'subgroup',
      ]),
    ],
    rules: [],
    orderBy: 't.document_id, t.metric_id, t.subgroup, t.measured_on',
  },
  audit_log: {
    columns: {
      workspace_id: C.uuid,
      actor_id: nullable(C.uuid),
      action: C.enum(AUDIT_ACTIONS),
      target: nullable(C.text),
      data: C.object,
      created_at: C.timestamp,
    },
    key: [],
    refs: [toWorkspace, toUser('actor_id')],
    rules: [],
    orderBy: 't.id',
  },
};

/** The zod schema of each table's rows: the columns (no others), then the rules across them. */
export const ROW_SCHEMAS = {} as Record<ArchiveTable, z.ZodType<ArchiveRow>>;
for (const table of ARCHIVE_TABLES) {
  const spec = ARCHIVE_SPEC[table];
  const shape = Object.fromEntries(Object.entries(spec.columns).map(([n, c]) => [n, c.schema]));
  ROW_SCHEMAS[table] = z.strictObject(shape).superRefine((row, ctx) => {
    for (const rule of spec.rules) {
      if (!rule.ok(row)) ctx.addIssue({ code: 'custom', path: [rule.path], message: rule.message });
    }
  });
}
