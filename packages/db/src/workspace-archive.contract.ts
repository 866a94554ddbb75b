/**
 * The workspace export/import contract (R10), one suite run on each database by
 * workspace-archive.pglite.test.ts and workspace-archive.postgres.test.ts. A source database
 * gets a workspace with documents, appends, versions, a compaction, dashboard and audit rows
 * (and a second workspace and credentials that must stay behind); its archive is imported into
 * an empty target and must give the same documents, history and rows. The refusals run first,
 * against the still empty target, and must leave it empty.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkspaceArchive, writeWorkspaceArchive } from './archive.js';
import { ARCHIVE_TABLES, type ArchiveTable, type ArchiveTables } from './archive-spec.js';
import {
  ArchiveConflictError,
  ArchiveCorruptError,
  ArchiveForeignError,
  ArchiveInvalidError,
  ArchiveVersionError,
  WorkspaceNotFoundError,
} from './archive-errors.js';
import type { DbHandle } from './create-db.js';
import { InvalidInputError } from './errors.js';
import { exportWorkspace } from './export.js';
import { importWorkspace } from './import.js';
import {
  actionSteps,
  auditLog,
  consensus,
  customTemplates,
  districts,
  documents,
  externalAccounts,
  goals,
  goalOwners,
  invitations,
  memberships,
  metrics,
  metricValues,
  passwordCredentials,
  ratings,
  schools,
  sessions,
  users,
  workspaceSchools,
  workspaces,
} from './schema/index.js';
import { createDocumentStore } from './sql-store.js';
import type { DocumentStore } from './store.js';
import {
  contentOf,
  createDocument,
  Editor,
  rowCounts,
  seedWorkspace,
  type DatabaseTarget,
} from './test-fixtures.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const PASSWORD_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$c29tZWhhc2g';
const SESSION_ID = 'a'.repeat(64);
const INVITATION_TOKEN_HASH = 'b'.repeat(64);

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** What the source holds, for the assertions. */
interface Source {
  workspaceId: string;
  districtId: string;
  documentIds: { assessment: string; plan: string; ratings: string };
  /** Users the archive must carry: members, a former member who authored updates. */
  userIds: string[];
  /** A user of the other workspace only: must not be in the archive. */
  strangerId: string;
  editors: Record<string, Editor>;
}

export function workspaceArchiveContract(name: string, target: DatabaseTarget): void {
  describe(`workspace export/import contract: ${name}`, () => {
    let source: DbHandle;
    let dest: DbHandle;
    let sourceStore: DocumentStore;
    let destStore: DocumentStore;
    let built: Source;
    let archive: Uint8Array;

    beforeAll(async () => {
      [source, dest] = await Promise.all([target.open(), target.open()]);
      sourceStore = createDocumentStore(source);
      destStore = createDocumentStore(dest);
      built = await buildWorkspace(source, sourceStore);
      archive = await exportWorkspace(source, built.workspaceId);
    });

    afterAll(async () => {
      await Promise.all([source?.close(), dest?.close()]);
      await target.teardown?.();
    });

    /** Import must fail with `expected` and leave every table of the target as it was. */
    const refused = async (bytes: Uint8Array, expected: new (...args: never[]) => Error) => {
      const before = await rowCounts(dest);
      const error = await importWorkspace(dest, bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(expected);
      expect(await rowCounts(dest)).toEqual(before);
      return error as Error & { code: string };
    };

    describe('export', () => {
      it('writes one gzip file whose header counts what it holds, and leaves credentials out', async () => {
        const read = await readWorkspaceArchive(archive);
        expect(read.header).toMatchObject({
          format: 'concord-workspace',
          formatVersion: 1,
          workspaceId: built.workspaceId,
        });
        expect(read.header.exportedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        expect(read.header.counts).toMatchObject({
          districts: 1,
          schools: 3,
          workspaces: 1,
          workspace_schools: 2,
          memberships: 3,
          custom_templates: 1,
          documents: 3,
          document_updates: 8 + 18 + 4,
          document_checkpoints: 3,
          document_versions: 3,
          consensus: 2,
          goals: 2,
          goal_owners: 3,
          action_steps: 2,
          metrics: 2,
          metric_values: 2,
          audit_log: 3,
        });
        expect(read.tables.users.map((u) => u.id).sort()).toEqual([...built.userIds].sort());
        expect(read.tables.users.map((u) => u.id)).not.toContain(built.strangerId);
        const text = (await gunzipAsync(archive)).toString('utf8');
        expect(text).not.toContain('$argon2');
        // Revealed ratings by person are not archived (an anonymised round stays anonymous).
        expect(text).not.toContain('"table":"ratings"');
        expect(text).not.toContain(SESSION_ID);
        expect(text).not.toContain(INVITATION_TOKEN_HASH);
        expect(text).not.toContain('password');
      });

      it('refuses an unknown or malformed workspace id', async () => {
        await expect(exportWorkspace(source, MISSING_ID)).rejects.toBeInstanceOf(
          WorkspaceNotFoundError,
        );
        await expect(exportWorkspace(source, 'nope')).rejects.toBeInstanceOf(InvalidInputError);
      });
    });

    describe('import refuses, writing nothing', () => {
      it('a file that is not a Concord archive', async () => {
        for (const bytes of [
          new Uint8Array(),
          Buffer.from('hello'),
          Buffer.from(JSON.stringify({ format: 'concord-workspace' })),
          await gzipAsync(Buffer.from('{"format":"someone-else","formatVersion":1}\n')),
          await gzipAsync(Buffer.from('PK\u0003\u0004 a zip inside a gzip')),
        ]) {
          const error = await refused(bytes, ArchiveForeignError);
          expect(error.code).toBe('archive-foreign');
          expect(error.message).toMatch(/^This is not a Concord workspace archive: /);
        }
      });

      it('a damaged file: truncated, a flipped byte, a body edited after export', async () => {
        const truncated = await refused(
          archive.subarray(0, archive.length - 20),
          ArchiveCorruptError,
        );
        expect(truncated.code).toBe('archive-corrupt');
        expect(truncated.message).toMatch(/gzip data does not decompress/);

        const flipped = Uint8Array.from(archive);
        flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
        expect((await refused(flipped, ArchiveCorruptError)).code).toBe('archive-corrupt');

        // A valid gzip of an edited body under the original header: only the checksum sees it.
        const file = await gunzipAsync(archive);
        const edited = Buffer.from(file.toString('utf8').replace('"kind":"plan"', '"kind":"PLAN"'));
        expect(edited.equals(file)).toBe(false);
        const error = await refused(await gzipAsync(edited), ArchiveCorruptError);
        expect(error.message).toMatch(/SHA-256 .* it was changed or damaged after export/);
      });

      it('a newer format version, naming the field', async () => {
        const file = (await gunzipAsync(archive)).toString('utf8');
        const newer = file.replace('"formatVersion":1', '"formatVersion":2');
        const error = await refused(await gzipAsync(Buffer.from(newer)), ArchiveVersionError);
        expect(error.code).toBe('archive-version-unsupported');
        expect(error.message).toMatch(/^header\.formatVersion: .*version 2; .*reads version 1/);
      });

      it('a file with one bad row in the middle, naming its line and field', async () => {
        const bad = await rewrite(archive, (tables) => {
          const row = tables.document_updates[Math.floor(tables.document_updates.length / 2)]!;
          row.update = Buffer.from('not a yjs update').toString('base64');
          tables.memberships[1]!.role = 'superuser';
        });
        const error = (await refused(bad, ArchiveInvalidError)) as ArchiveInvalidError;
        expect(error.code).toBe('archive-invalid');
        expect(error.problems).toEqual([
          expect.stringMatching(/^line \d+ \(memberships\)\.role: must be one of owner, /),
          expect.stringMatching(
            /^line \d+ \(document_updates\)\.update: is not a Yjs update \(it does not decode\)$/,
          ),
        ]);
      });

      it('a history with a hole, or rows pointing outside the archive', async () => {
        const { assessment } = built.documentIds;
        const bad = await rewrite(archive, (tables) => {
          tables.document_updates = tables.document_updates.filter(
            (u) => !(u.document_id === assessment && u.seq === 27),
          );
          tables.goals[0]!.owner_id = MISSING_ID;
        });
        const error = (await refused(bad, ArchiveInvalidError)) as ArchiveInvalidError;
        expect(error.problems).toEqual([
          expect.stringMatching(
            new RegExp(
              `^line \\d+ \\(goals\\)\\.owner_id: ${MISSING_ID} is not in the archive's users$`,
            ),
          ),
          `document_updates: document ${assessment} needs updates 23…30 after its newest checkpoint (seq 22) to load; the archive has 7 of them`,
        ]);
      });

      it('ids or emails that exist in the target already, saying which', async () => {
        // Everything exists in the source itself.
        const error = (await importWorkspace(source, archive).catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(ArchiveConflictError);
        const conflicts = (error as ArchiveConflictError).conflicts;
        expect(conflicts).toEqual(
          expect.arrayContaining([
            { table: 'workspaces', key: built.workspaceId, detail: undefined },
            { table: 'districts', key: built.districtId, detail: undefined },
            { table: 'documents', key: built.documentIds.plan, detail: undefined },
            ...built.userIds.map((id) => ({ table: 'users', key: id, detail: undefined })),
          ]),
        );
        expect(error.message).toContain(`workspaces ${built.workspaceId} already exists`);

        // In the target: another account with a member's email (in other case).
        const read = await readWorkspaceArchive(archive);
        const member = read.tables.users[0]!;
        const [other] = await dest.db
          .insert(users)
          .values({ email: String(member.email).toUpperCase(), displayName: 'Same person?' })
          .returning();
        try {
          const clash = (await refused(archive, ArchiveConflictError)) as ArchiveConflictError;
          expect(clash.conflicts).toEqual([
            {
              table: 'users',
              key: `email ${String(member.email).toUpperCase()}`,
              detail: `the email of user ${other!.id}`,
            },
          ]);
        } finally {
          await dest.db.delete(users);
        }
      });

      it('rolls everything back when the database refuses a row halfway through', async () => {
        // A trigger stands in for anything only the database sees (a lost connection, a rule
        // newer than this code): it fires on document_versions, after the organisation rows,
        // documents, updates and checkpoints went in.
        await dest.sql.query({
          name: 'test_trigger_fn',
          text: `create function refuse_versions() returns trigger language plpgsql as
                 $$ begin raise exception 'refused by the test trigger'; end $$`,
        });
        await dest.sql.query({
          name: 'test_trigger',
          text: `create trigger refuse_versions before insert on document_versions
                 for each row execute function refuse_versions()`,
        });
        try {
          const before = await rowCounts(dest);
          await expect(importWorkspace(dest, archive)).rejects.toThrow(
            /refused by the test trigger/,
          );
          expect(await rowCounts(dest)).toEqual(before);
        } finally {
          await dest.sql.query({
            name: 'test_trigger_drop',
            text: 'drop trigger refuse_versions on document_versions',
          });
          await dest.sql.query({
            name: 'test_trigger_fn_drop',
            text: 'drop function refuse_versions()',
          });
        }
      });

      it('bad options', async () => {
        await expect(importWorkspace(dest, archive, { actorId: 'me' })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
        await expect(importWorkspace(dest, archive, { actorId: MISSING_ID })).rejects.toThrow(
          /options\.actorId: is not the id of a user/,
        );
        expect(Object.values(await rowCounts(dest)).every((n) => n === 0)).toBe(true);
      });
    });

    describe('import into an empty database', () => {
      it('gives identical documents, history and rows, and the store carries on', async () => {
        expect(Object.values(await rowCounts(dest)).every((n) => n === 0)).toBe(true);
        const actor = built.userIds[0]!;
        const result = await importWorkspace(dest, archive, { actorId: actor });
        const header = (await readWorkspaceArchive(archive)).header;
        expect(result).toEqual({
          workspaceId: built.workspaceId,
          counts: header.counts,
          templatesReused: 0,
          exportedAt: header.exportedAt,
        });

        // Row counts: the archive's, one audit row more (the import), no credentials.
        const counts = await rowCounts(dest);
        expect(counts).toEqual({
          ...header.counts,
          audit_log: header.counts.audit_log + 1,
          password_credentials: 0,
          external_accounts: 0,
          sessions: 0,
          invitations: 0,
          round_raters: 0,
          // Projections: the importing server projects the documents again.
          ratings: 0,
          instrument_states: 0,
          plan_states: 0,
        });
        const [imported] = await dest.db
          .select()
          .from(auditLog)
          .where(eq(auditLog.action, 'workspace.import'));
        expect(imported).toMatchObject({
          workspaceId: built.workspaceId,
          actorId: actor,
          target: `workspace:${built.workspaceId}`,
          data: { formatVersion: 1, bodySha256: header.bodySha256 },
        });

        // Documents: the same state bytes and content, the same versions and states at them.
        for (const id of Object.values(built.documentIds)) {
          const [a, b] = await Promise.all([sourceStore.load(id), destStore.load(id)]);
          expect(b.seq).toBe(a.seq);
          expect(Buffer.from(b.state).equals(Buffer.from(a.state))).toBe(true);
          expect(docJson(b.state)).toEqual(docJson(a.state));
          expect(contentOf(b.state)).toEqual(contentOf(built.editors[id]!.doc));
          const versions = await sourceStore.listVersions(id);
          expect(await destStore.listVersions(id)).toEqual(versions);
          for (const v of versions) {
            const [sa, sb] = await Promise.all([
              sourceStore.stateAt(id, v.seq),
              destStore.stateAt(id, v.seq),
            ]);
            expect(docJson(sb)).toEqual(docJson(sa));
            expect(Buffer.from(sb).equals(Buffer.from(sa))).toBe(true);
          }
        }

        // Every row, every column, timestamps to the microsecond.
        for (const table of ARCHIVE_TABLES) {
          const [a, b] = await Promise.all([
            dumpTable(source, table, built),
            dumpTable(dest, table, built),
          ]);
          expect(b, table).toEqual(a);
          expect(b.length, table).toBe(header.counts[table]);
        }

        // The store appends after the imported heads: the next seq, on both databases alike.
        const { assessment, plan } = built.documentIds;
        const next = built.editors[assessment]!.edit(1)[0]!;
        expect(await destStore.append([{ documentId: assessment, update: next }])).toEqual([
          { seq: 31, duplicate: false },
        ]);
        // The imported log still recognises a re-delivered update (hashes were recomputed).
        const [lastPlanUpdate] = built.editors[plan]!.updates.slice(-1);
        expect(await destStore.append([{ documentId: plan, update: lastPlanUpdate! }])).toEqual([
          { seq: 18, duplicate: true },
        ]);
        expect(contentOf((await destStore.load(assessment)).state)).toEqual(
          contentOf(built.editors[assessment]!.doc),
        );
        expect(await destStore.compact(assessment)).toEqual({ merged: 9, checkpointSeq: 31 });
        expect(contentOf((await destStore.load(assessment)).state)).toEqual(
          contentOf(built.editors[assessment]!.doc),
        );

        // Importing it again is refused: it is all there now.
        await expect(importWorkspace(dest, archive)).rejects.toBeInstanceOf(ArchiveConflictError);
      });

      it('reuses an identical custom template the target already has', async () => {
        // A third database would be slow to open; reuse the target after clearing the import.
        await dest.db.delete(workspaces);
        await dest.db.delete(districts);
        await dest.db.delete(users);
        const read = await readWorkspaceArchive(archive);
        expect(await dest.db.select().from(customTemplates)).toHaveLength(1);
        const result = await importWorkspace(dest, archive);
        expect(result.templatesReused).toBe(1);
        expect(result.counts.custom_templates).toBe(0);
        expect(result.counts.document_updates).toBe(read.header.counts.document_updates);
      });
    });
  });
}

/** Source content: see the module comment. Seqs: assessment 30 (checkpoints 10, 20, 22; updates
 * 23–30), plan 18 (no compaction), ratings 4. */
async function buildWorkspace(handle: DbHandle, store: DocumentStore): Promise<Source> {
  // Another workspace in the same database, which must stay behind.
  const other = await seedWorkspace(handle);
  const otherDoc = await createDocument(handle, other.workspace.id);
  await store.append([{ documentId: otherDoc, update: new Editor(1).edit(1)[0]! }]);

  const [owner, rater, facilitator, former] = await handle.db
    .insert(users)
    .values([
      { email: 'Owner@Revere.k12.ma.us', displayName: 'Olga Owner' },
      { email: 'rater@revere.k12.ma.us', displayName: 'Rafael Rater' },
      { email: 'facilitator@example.org', displayName: 'Fran Facilitator' },
      { email: 'former@example.org', displayName: 'Former Member' },
    ])
    .returning();
  await handle.db
    .insert(passwordCredentials)
    .values({ userId: owner!.id, passwordHash: PASSWORD_HASH });
  await handle.db.insert(sessions).values({
    id: SESSION_ID,
    userId: owner!.id,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  await handle.db
    .insert(externalAccounts)
    .values({ userId: rater!.id, provider: 'google', providerUserId: 'g-123' });

  const [district] = await handle.db
    .insert(districts)
    .values({ name: 'Revere Public Schools', state: 'MA' })
    .returning();
  const [s1, s2] = await handle.db
    .insert(schools)
    .values([
      { districtId: district!.id, name: 'Beachmont' },
      { districtId: district!.id, name: 'Garfield' },
      { districtId: district!.id, name: 'Whelan (not in the workspace)' },
    ])
    .returning();
  const [workspace] = await handle.db
    .insert(workspaces)
    .values({
      districtId: district!.id,
      name: 'Revere Public Schools — PL readiness 2026-27',
      schoolYear: '2026-27',
      createdBy: owner!.id,
    })
    .returning();
  const workspaceId = workspace!.id;
  await handle.db.insert(workspaceSchools).values([
    { workspaceId, schoolId: s1!.id },
    { workspaceId, schoolId: s2!.id },
  ]);
  await handle.db.insert(memberships).values([
    { workspaceId, userId: owner!.id, role: 'owner', represents: 'district' },
    { workspaceId, userId: rater!.id, role: 'rater', represents: 'school', schoolId: s1!.id },
    { workspaceId, userId: facilitator!.id, role: 'facilitator' },
  ]);
  await handle.db.insert(invitations).values({
    tokenHash: INVITATION_TOKEN_HASH,
    workspaceId,
    email: 'new@example.org',
    role: 'viewer',
    invitedBy: owner!.id,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const template = { id: 'revere-plan', version: 2, name: 'Revere plan', areas: [{ id: 'a1' }] };
  await handle.db.insert(customTemplates).values([
    { id: 'revere-plan', version: 2, template, importedBy: owner!.id },
    { id: 'unused', version: 1, template: { id: 'unused', version: 1 } },
  ]);

  const [assessment, plan] = await handle.db
    .insert(documents)
    .values([
      {
        workspaceId,
        kind: 'assessment',
        title: 'Beachmont readiness',
        schoolId: s1!.id,
        templateId: 'schoolworks-pl',
        templateVersion: 1,
        createdBy: owner!.id,
      },
      {
        workspaceId,
        kind: 'plan',
        title: 'District plan',
        templateId: 'revere-plan',
        templateVersion: 2,
        createdBy: owner!.id,
      },
    ])
    .returning();
  const [ratingsDoc] = await handle.db
    .insert(documents)
    .values({
      workspaceId,
      kind: 'ratings',
      parentId: assessment!.id,
      ownerId: rater!.id,
      title: 'My ratings',
    })
    .returning();

  const editors: Record<string, Editor> = {
    [assessment!.id]: new Editor(41),
    [plan!.id]: new Editor(42),
    [ratingsDoc!.id]: new Editor(43),
  };
  const append = (id: string, n: number, author: string | null) =>
    store.append(editors[id]!.edit(n).map((update) => ({ documentId: id, update, author })));

  await append(assessment!.id, 10, owner!.id);
  await store.markVersion(assessment!.id, {
    kind: 'named',
    label: 'Before the retreat',
    author: facilitator!.id,
  });
  await append(assessment!.id, 10, former!.id);
  await store.markVersion(assessment!.id, { kind: 'auto' });
  await append(assessment!.id, 2, null);
  await store.compact(assessment!.id); // checkpoints at 10, 20 (versions) and 22
  await append(assessment!.id, 8, rater!.id);
  await append(plan!.id, 15, owner!.id);
  await store.markVersion(plan!.id, { kind: 'named', label: 'Board draft', author: owner!.id });
  await append(plan!.id, 3, facilitator!.id);
  await append(ratingsDoc!.id, 4, rater!.id);
  await handle.db
    .update(documents)
    .set({ revealedAt: new Date('2026-10-01T15:00:00Z') })
    .where(eq(documents.id, assessment!.id));

  await handle.db.insert(ratings).values([
    {
      workspaceId,
      documentId: assessment!.id,
      indicatorId: 'i1',
      raterId: rater!.id,
      roundId: 'r1',
      value: 2,
    },
    {
      workspaceId,
      documentId: assessment!.id,
      indicatorId: 'i2',
      raterId: rater!.id,
      roundId: 'r1',
      value: null,
      note: 'Need more evidence — see the “walkthrough” notes',
    },
  ]);
  await handle.db.insert(consensus).values([
    {
      workspaceId,
      documentId: assessment!.id,
      indicatorId: 'i1',
      value: 2,
      rationale: 'Agreed after discussion',
      status: 'agreed',
      decidedBy: facilitator!.id,
      decidedAt: new Date('2026-10-02T10:00:00Z'),
    },
    { workspaceId, documentId: assessment!.id, indicatorId: 'i2', status: 'in-discussion' },
  ]);
  await handle.db.insert(goals).values([
    {
      workspaceId,
      documentId: plan!.id,
      goalId: 'g1',
      areaId: 'kw.curriculum',
      title: 'Competency-based curriculum',
      ownerId: owner!.id,
      phaseYear: 1,
      startDate: '2026-09-01',
      dueDate: '2027-06-30',
      status: 'on-track',
      confidence: 'medium',
      indicatorIds: ['i1', 'i2'],
    },
    {
      workspaceId,
      documentId: plan!.id,
      goalId: 'g2',
      areaId: 'kw.assessment',
      title: 'Common assessments',
      ownerName: 'Director of Assessment',
    },
  ]);
  await handle.db.insert(goalOwners).values([
    { workspaceId, documentId: plan!.id, goalId: 'g1', position: 0, userId: owner!.id },
    { workspaceId, documentId: plan!.id, goalId: 'g1', position: 1, userId: rater!.id },
    {
      workspaceId,
      documentId: plan!.id,
      goalId: 'g2',
      position: 0,
      name: 'Director of Assessment',
    },
  ]);
  await handle.db.insert(actionSteps).values([
    { workspaceId, documentId: plan!.id, stepId: 's1', goalId: 'g1', title: 'Map', status: 'done' },
    {
      workspaceId,
      documentId: plan!.id,
      stepId: 's2',
      goalId: 'g1',
      title: 'Pilot',
      dueDate: '2027-01-15',
    },
  ]);
  await handle.db.insert(metrics).values([
    {
      workspaceId,
      documentId: plan!.id,
      metricId: 'm1',
      goalId: 'g1',
      name: 'Proficiency',
      unit: '%',
      baseline: 0.1 + 0.2,
      target: 0.8,
      current: Number.NaN,
    },
    {
      workspaceId,
      documentId: plan!.id,
      metricId: 'm1',
      subgroup: 'ethnicity:hispanic-latino',
      name: 'Proficiency',
      baseline: Number.NEGATIVE_INFINITY,
      target: 1e-300,
    },
  ]);
  await handle.db.insert(metricValues).values([
    {
      workspaceId,
      documentId: plan!.id,
      metricId: 'm1',
      subgroup: 'all',
      measuredOn: '2026-12-31',
      value: 0.35,
    },
    {
      workspaceId,
      documentId: plan!.id,
      metricId: 'm1',
      subgroup: 'ethnicity:hispanic-latino',
      measuredOn: '2026-12-31',
      value: 0.1 + 0.2,
    },
  ]);
  await handle.db.insert(auditLog).values([
    {
      workspaceId,
      actorId: owner!.id,
      action: 'membership.add',
      target: `user:${rater!.id}`,
      data: { role: 'rater', school: s1!.id },
    },
    {
      workspaceId,
      actorId: former!.id,
      action: 'ratings.reveal',
      target: `document:${assessment!.id}`,
      data: { raters: [rater!.id], nested: { ok: true, n: 1.5 } },
    },
    { workspaceId, action: 'version.mark', target: `document:${plan!.id}` },
  ]);

  return {
    workspaceId,
    districtId: district!.id,
    documentIds: { assessment: assessment!.id, plan: plan!.id, ratings: ratingsDoc!.id },
    userIds: [owner!.id, rater!.id, facilitator!.id, former!.id],
    strangerId: other.user.id,
    editors,
  };
}

/** Which rows of each table are the workspace's, ordered by key: the test's own definition,
 * independent of export.ts. */
function scope(table: ArchiveTable, s: Source): { where: string; order: string } {
  const docs = `document_id in (select id from documents where workspace_id = '${s.workspaceId}')`;
  const ws = `workspace_id = '${s.workspaceId}'`;
  switch (table) {
    case 'districts':
      return { where: `id = '${s.districtId}'`, order: 'id' };
    case 'schools':
      return { where: `district_id = '${s.districtId}'`, order: 'id' };
    case 'users':
      return { where: `id in (${s.userIds.map((id) => `'${id}'`).join(', ')})`, order: 'id' };
    case 'workspaces':
      return { where: `id = '${s.workspaceId}'`, order: 'id' };
    case 'custom_templates':
      return { where: `id = 'revere-plan'`, order: 'id' };
    case 'documents':
      return { where: ws, order: 'id' };
    case 'document_updates':
    case 'document_checkpoints':
      return { where: docs, order: 'document_id, seq' };
    case 'document_versions':
      return { where: docs, order: 'id' };
    case 'workspace_schools':
      return { where: ws, order: 'school_id' };
    case 'memberships':
      return { where: ws, order: 'user_id' };
    case 'consensus':
      return { where: ws, order: 'document_id, indicator_id' };
    case 'goals':
      return { where: ws, order: 'document_id, goal_id' };
    case 'goal_owners':
      return { where: ws, order: 'document_id, goal_id, position' };
    case 'metric_values':
      return { where: ws, order: 'document_id, metric_id, subgroup, measured_on' };
    case 'action_steps':
      return { where: ws, order: 'document_id, step_id' };
    case 'metrics':
      return { where: ws, order: 'document_id, metric_id, subgroup' };
    case 'audit_log':
      return { where: `${ws} and action <> 'workspace.import'`, order: 'id' };
  }
}

/** Every column of the workspace's rows as JSON rendered in UTC (microseconds, bytea as hex),
 * without audit_log.id (the target numbers audit rows itself). */
async function dumpTable(handle: DbHandle, table: ArchiveTable, s: Source): Promise<unknown[]> {
  const { where, order } = scope(table, s);
  return handle.sql.transaction(async (tx) => {
    await tx.query({ name: 'test_utc', text: "set local time zone 'UTC'" });
    const rows = await tx.query<{ row: string }>({
      name: `test_dump_${table}`,
      text: `select to_jsonb(t)::text as row from ${table} t where ${where} order by ${order}`,
    });
    return rows.map((r) => {
      const row = JSON.parse(r.row) as Record<string, unknown>;
      if (table === 'audit_log') delete row.id;
      return row;
    });
  });
}

/** Y.Doc.toJSON of a state, with the fixture's shared types defined (toJSON skips undefined ones). */
function docJson(state: Uint8Array) {
  const doc = new Y.Doc();
  doc.getText('text');
  doc.getMap('map');
  doc.getArray('list');
  Y.applyUpdate(doc, state);
  return doc.toJSON();
}

/** The archive with its rows changed by `edit`, written again with a valid checksum. */
async function rewrite(bytes: Uint8Array, edit: (tables: ArchiveTables) => void) {
  const { header, tables } = await readWorkspaceArchive(bytes);
  const copy = structuredClone(tables);
  edit(copy);
  return writeWorkspaceArchive({
    workspaceId: header.workspaceId,
    exportedAt: header.exportedAt,
    tables: copy,
  });
}
