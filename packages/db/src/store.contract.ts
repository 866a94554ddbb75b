/**
 * The DocumentStore contract: every rule of store.ts, plus the schema's migrations and
 * constraints, as one suite. store.pglite.test.ts and store.postgres.test.ts run it against each
 * database, so the two cannot behave differently without a test failing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from './create-db.js';
import {
  DocumentNotFoundError,
  HistoryUnavailableError,
  InvalidInputError,
  SeqOutOfRangeError,
} from './errors.js';
import { GroupCommitter } from './group-commit.js';
import { migrate, MIGRATIONS_FOLDER } from './migrate.js';
import {
  actionSteps,
  documents,
  documentCheckpoints,
  documentUpdates,
  goals,
  memberships,
  users,
} from './schema/index.js';
import { createDocumentStore } from './sql-store.js';
import type { DocumentStore } from './store.js';
import {
  contentOf,
  createDocument,
  Editor,
  seedWorkspace,
  type DatabaseTarget,
} from './test-fixtures.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

export function documentStoreContract(name: string, target: DatabaseTarget): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let handle: DbHandle;
    let store: DocumentStore;
    let workspaceId: string;
    let userId: string;

    beforeAll(async () => {
      handle = await target.open();
      store = createDocumentStore(handle);
      const seeded = await seedWorkspace(handle);
      workspaceId = seeded.workspace.id;
      userId = seeded.user.id;
    });

    afterAll(async () => {
      await handle?.close();
      await target.teardown?.();
    });

    const newDocument = () => createDocument(handle, workspaceId);
    const count = async (
      table: typeof documentUpdates | typeof documentCheckpoints,
      id: string,
    ) => {
      const [row] = await handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(eq(table.documentId, id));
      return Number(row!.n);
    };

    describe('migrations', () => {
      it('applied every committed migration to the empty database, and re-running is a no-op', async () => {
        const journal = JSON.parse(
          readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
        ) as { entries: unknown[] };
        const applied = async () =>
          (
            await handle.db.execute(
              sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
            )
          ).rows[0] as { n: number };
        expect(Number((await applied()).n)).toBe(journal.entries.length);
        await migrate(handle);
        expect(Number((await applied()).n)).toBe(journal.entries.length);
        const tables = await handle.db.execute(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
        );
        expect(tables.rows.map((r) => (r as { table_name: string }).table_name)).toEqual(
          expect.arrayContaining([
            'users',
            'sessions',
            'memberships',
            'invitations',
            'documents',
            'document_updates',
            'document_checkpoints',
            'document_versions',
            'custom_templates',
            'ratings',
            'consensus',
            'goals',
            'action_steps',
            'metrics',
            'audit_log',
          ]),
        );
      });
    });

    describe('schema constraints', () => {
      it('rejects a second user whose email differs only in case', async () => {
        await handle.db
          .insert(users)
          .values({ email: 'Ana.Lopez@Revere.k12.ma.us', displayName: 'Ana' });
        await expect(
          handle.db
            .insert(users)
            .values({ email: 'ana.lopez@revere.k12.ma.us', displayName: 'Ana 2' }),
        ).rejects.toMatchObject({ cause: { constraint: 'users_email_lower_key' } });
      });

      it('rejects a membership with a role outside the list', async () => {
        await expect(
          handle.db
            .insert(memberships)
            .values({ workspaceId, userId, role: 'superuser' as 'owner' }),
        ).rejects.toMatchObject({ cause: { constraint: 'memberships_role' } });
        await handle.db
          .insert(memberships)
          .values({ workspaceId, userId, role: 'facilitator', represents: 'district' });
      });

      it('rejects a school representative without a school, and a duplicate membership', async () => {
        const [other] = await handle.db
          .insert(users)
          .values({ email: `rep.${Date.now()}@example.org`, displayName: 'Rep' })
          .returning();
        await expect(
          handle.db
            .insert(memberships)
            .values({ workspaceId, userId: other!.id, role: 'rater', represents: 'school' }),
        ).rejects.toMatchObject({ cause: { constraint: 'memberships_school_matches_represents' } });
        await expect(
          handle.db.insert(memberships).values({ workspaceId, userId, role: 'viewer' }),
        ).rejects.toMatchObject({ cause: { constraint: 'memberships_pkey' } });
      });

      it('rejects a private ratings document without an owner, and an unknown kind', async () => {
        const parentId = await newDocument();
        await expect(
          handle.db
            .insert(documents)
            .values({ workspaceId, kind: 'ratings', parentId, title: 'Mine' }),
        ).rejects.toMatchObject({ cause: { constraint: 'documents_owner_iff_ratings' } });
        await expect(
          handle.db
            .insert(documents)
            .values({ workspaceId, kind: 'spreadsheet' as 'plan', title: 'X' }),
        ).rejects.toMatchObject({ cause: { constraint: 'documents_kind' } });
        await handle.db
          .insert(documents)
          .values({ workspaceId, kind: 'ratings', parentId, ownerId: userId, title: 'Mine' });
        await expect(
          handle.db.insert(documents).values({
            workspaceId,
            kind: 'ratings',
            parentId,
            ownerId: userId,
            title: 'Mine again',
          }),
        ).rejects.toMatchObject({ cause: { constraint: 'documents_one_ratings_per_rater' } });
      });

      it('answers a leadership view (goals by owner, status, due date, overdue, steps) in one query', async () => {
        const planId = await createDocument(handle, workspaceId, 'plan');
        await handle.db.insert(goals).values([
          {
            workspaceId,
            documentId: planId,
            goalId: 'g1',
            areaId: 'kw.curriculum',
            title: 'Competency-based curriculum',
            ownerId: userId,
            phaseYear: 1,
            dueDate: '2020-06-30',
            status: 'on-track',
            confidence: 'medium',
          },
          {
            workspaceId,
            documentId: planId,
            goalId: 'g2',
            areaId: 'kw.assessment',
            title: 'Common assessments',
            ownerName: 'Director of Assessment',
            phaseYear: 2,
            dueDate: '2099-06-30',
            status: 'not-started',
          },
        ]);
        await handle.db.insert(actionSteps).values([
          {
            workspaceId,
            documentId: planId,
            stepId: 's1',
            goalId: 'g1',
            title: 'Map standards',
            status: 'done',
          },
          {
            workspaceId,
            documentId: planId,
            stepId: 's2',
            goalId: 'g1',
            title: 'Pilot units',
            status: 'in-progress',
          },
        ]);
        const view = await handle.db.execute(sql`
          select g.goal_id, g.title, coalesce(u.display_name, g.owner_name) as owner, g.status,
                 g.phase_year, g.due_date::text as due,
                 (g.due_date < current_date and g.status <> 'complete') as overdue,
                 count(a.step_id)::int as steps,
                 (count(a.step_id) filter (where a.status = 'done'))::int as steps_done
          from goals g
          left join users u on u.id = g.owner_id
          left join action_steps a on a.document_id = g.document_id and a.goal_id = g.goal_id
          where g.workspace_id = ${workspaceId}
          group by g.document_id, g.goal_id, u.display_name
          order by g.due_date`);
        expect(view.rows.map((r) => ({ ...(r as object) }))).toEqual([
          {
            goal_id: 'g1',
            title: 'Competency-based curriculum',
            owner: expect.stringMatching(/^Rater/),
            status: 'on-track',
            phase_year: 1,
            due: '2020-06-30',
            overdue: true,
            steps: 2,
            steps_done: 1,
          },
          {
            goal_id: 'g2',
            title: 'Common assessments',
            owner: 'Director of Assessment',
            status: 'not-started',
            phase_year: 2,
            due: '2099-06-30',
            overdue: false,
            steps: 0,
            steps_done: 0,
          },
        ]);
      });

      it('keeps a goal to a plan document of its own workspace', async () => {
        const other = await seedWorkspace(handle);
        const foreignPlan = await createDocument(handle, other.workspace.id, 'plan');
        await expect(
          handle.db.insert(goals).values({
            workspaceId,
            documentId: foreignPlan,
            goalId: 'x',
            areaId: 'a',
            title: 'Sneaky',
          }),
        ).rejects.toMatchObject({ cause: { constraint: 'goals_document_fk' } });
      });
    });

    describe('append', () => {
      it('gives each document gap-free increasing seqs, across interleaved documents and batches', async () => {
        const [a, b, c] = [await newDocument(), await newDocument(), await newDocument()];
        const ea = new Editor(1);
        const eb = new Editor(2);
        const ec = new Editor(3);
        const first = await store.append([
          { documentId: a, update: ea.edit(1)[0]! },
          { documentId: b, update: eb.edit(1)[0]! },
          { documentId: a, update: ea.edit(1)[0]! },
          { documentId: c, update: ec.edit(1)[0]!, author: userId },
          { documentId: a, update: ea.edit(1)[0]! },
        ]);
        expect(first).toEqual([
          { seq: 1, duplicate: false },
          { seq: 1, duplicate: false },
          { seq: 2, duplicate: false },
          { seq: 1, duplicate: false },
          { seq: 3, duplicate: false },
        ]);
        const second = await store.append([
          { documentId: b, update: eb.edit(1)[0]! },
          { documentId: a, update: ea.edit(1)[0]! },
        ]);
        expect(second.map((r) => r.seq)).toEqual([2, 4]);
        const rows = await handle.db
          .select({ seq: documentUpdates.seq, author: documentUpdates.authorId })
          .from(documentUpdates)
          .where(eq(documentUpdates.documentId, a))
          .orderBy(documentUpdates.seq);
        expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
        const [cRow] = await handle.db
          .select()
          .from(documentUpdates)
          .where(eq(documentUpdates.documentId, c));
        expect(cRow!.authorId).toBe(userId);
        expect(cRow!.createdAt).toBeInstanceOf(Date);
      });

      it('treats a re-delivered identical update as a duplicate with its original seq', async () => {
        const id = await newDocument();
        const editor = new Editor(4);
        const [u1, u2, u3] = editor.edit(3) as [Uint8Array, Uint8Array, Uint8Array];
        expect(
          await store.append([
            { documentId: id, update: u1 },
            { documentId: id, update: u2 },
          ]),
        ).toEqual([
          { seq: 1, duplicate: false },
          { seq: 2, duplicate: false },
        ]);
        // Again later, alone and mixed with a new one; and twice within one batch.
        expect(await store.append([{ documentId: id, update: u2 }])).toEqual([
          { seq: 2, duplicate: true },
        ]);
        expect(
          await store.append([
            { documentId: id, update: u3 },
            { documentId: id, update: u1 },
            { documentId: id, update: Uint8Array.from(u3) },
          ]),
        ).toEqual([
          { seq: 3, duplicate: false },
          { seq: 1, duplicate: true },
          { seq: 3, duplicate: true },
        ]);
        expect(await count(documentUpdates, id)).toBe(3);
        // The same bytes in another document are that document's own update.
        const other = await newDocument();
        expect(await store.append([{ documentId: other, update: u1 }])).toEqual([
          { seq: 1, duplicate: false },
        ]);
      });

      it('rejects a whole batch naming a document that does not exist, writing nothing', async () => {
        const id = await newDocument();
        const editor = new Editor(5);
        await store.append([{ documentId: id, update: editor.edit(1)[0]! }]);
        const error = await store
          .append([
            { documentId: id, update: editor.edit(1)[0]! },
            { documentId: MISSING_ID, update: editor.edit(1)[0]! },
          ])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DocumentNotFoundError);
        expect((error as DocumentNotFoundError).documentIds).toEqual([MISSING_ID]);
        expect(await count(documentUpdates, id)).toBe(1);
        expect((await store.load(id)).seq).toBe(1);
        // The counter did not move either: the next update gets seq 2.
        expect(await store.append([{ documentId: id, update: editor.edit(1)[0]! }])).toEqual([
          { seq: 2, duplicate: false },
        ]);
      });

      it('rejects bad input with a message naming the field, writing nothing', async () => {
        const id = await newDocument();
        const good = new Editor(6).edit(1)[0]!;
        const error = await store
          .append([
            { documentId: id, update: good },
            { documentId: 'not-a-uuid', update: good },
            { documentId: id, update: new Uint8Array() },
            { documentId: id, update: Uint8Array.of(1, 2, 3) },
          ])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).problems).toEqual([
          expect.stringMatching(/^batch\[1\]\.documentId: must be a UUID/),
          'batch[2].update: is empty',
          'batch[3].update: is not a Yjs update (it does not decode)',
        ]);
        await expect(
          store.append([{ documentId: id, update: good, author: MISSING_ID }]),
        ).rejects.toThrow(/author: is not the id of a user/);
        expect(await count(documentUpdates, id)).toBe(0);
      });
    });

    describe('load', () => {
      it('returns one update equal to applying every update in order', async () => {
        const id = await newDocument();
        const editor = new Editor(7);
        const updates = editor.edit(200);
        for (let i = 0; i < updates.length; i += 37) {
          await store.append(
            updates.slice(i, i + 37).map((update) => ({ documentId: id, update })),
          );
        }
        const loaded = await store.load(id);
        expect(loaded.seq).toBe(200);
        expect(contentOf(loaded.state)).toEqual(contentOf(editor.doc));
        expect(contentOf(loaded.state).text.length).toBeGreaterThan(0);
      });

      it('loads a document with no updates as an empty document at seq 0, and refuses a missing one', async () => {
        const id = await newDocument();
        const loaded = await store.load(id);
        expect(loaded.seq).toBe(0);
        expect(contentOf(loaded.state)).toEqual(contentOf(new Y.Doc()));
        await expect(store.load(MISSING_ID)).rejects.toBeInstanceOf(DocumentNotFoundError);
        await expect(store.load('nope')).rejects.toBeInstanceOf(InvalidInputError);
      });
    });

    describe('compact', () => {
      it('keeps the document identical and bounds the stored rows', async () => {
        const id = await newDocument();
        const editor = new Editor(8);
        await store.append(editor.edit(150).map((update) => ({ documentId: id, update })));
        expect(await store.compact(id)).toEqual({ merged: 150, checkpointSeq: 150 });
        expect(await count(documentUpdates, id)).toBe(0);
        expect(await count(documentCheckpoints, id)).toBe(1);
        expect(contentOf((await store.load(id)).state)).toEqual(contentOf(editor.doc));

        // Appends continue the sequence; a second compaction folds them into a new checkpoint
        // and drops the old one (no version needs it).
        const more = await store.append(
          editor.edit(30).map((update) => ({ documentId: id, update })),
        );
        expect(more.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 151 + i));
        expect((await store.load(id)).seq).toBe(180);
        expect(await store.compact(id, { upTo: 170 })).toEqual({ merged: 20, checkpointSeq: 170 });
        expect(await count(documentUpdates, id)).toBe(10);
        expect(await count(documentCheckpoints, id)).toBe(1);
        const loaded = await store.load(id);
        expect(loaded.seq).toBe(180);
        expect(contentOf(loaded.state)).toEqual(contentOf(editor.doc));
        expect(await store.compact(id, { upTo: 160 })).toEqual({ merged: 0, checkpointSeq: 170 });
        await expect(store.compact(id, { upTo: 181 })).rejects.toBeInstanceOf(SeqOutOfRangeError);
        expect(await store.compact(await newDocument())).toEqual({ merged: 0, checkpointSeq: 0 });
      });

      it('folds through the merge it is given (a worker thread in the sync server), with the same result', async () => {
        const id = await newDocument();
        const editor = new Editor(10);
        await store.append(editor.edit(120).map((update) => ({ documentId: id, update })));
        const asked: number[] = [];
        const merge = (parts: Uint8Array[]) => {
          asked.push(parts.length);
          return Promise.resolve(Y.mergeUpdates(parts));
        };
        expect(await store.compact(id, { merge })).toEqual({ merged: 120, checkpointSeq: 120 });
        expect(asked).toEqual([120]);
        expect(contentOf((await store.load(id)).state)).toEqual(contentOf(editor.doc));
        // A failing merge undoes the compaction: the rows stay as they were.
        await store.append(editor.edit(5).map((update) => ({ documentId: id, update })));
        const failing = () => Promise.reject(new Error('worker gone'));
        await expect(store.compact(id, { merge: failing })).rejects.toThrow('worker gone');
        expect(await count(documentUpdates, id)).toBe(5);
        expect(contentOf((await store.load(id)).state)).toEqual(contentOf(editor.doc));
      });
    });

    describe('versions', () => {
      it('marks versions at the head and reads each one back, before and after compaction', async () => {
        const id = await newDocument();
        const editor = new Editor(9);
        const empty = await store.markVersion(id, { kind: 'auto' });
        expect(empty).toMatchObject({
          documentId: id,
          seq: 0,
          kind: 'auto',
          label: null,
          authorId: null,
        });
        const captured: { seq: number; content: ReturnType<typeof contentOf> }[] = [
          { seq: 0, content: contentOf(editor.doc) },
        ];
        for (const [n, kind] of [
          [40, 'named'],
          [25, 'auto'],
          [1, 'named'],
          [60, 'auto'],
        ] as const) {
          await store.append(editor.edit(n).map((update) => ({ documentId: id, update })));
          const version = await store.markVersion(id, {
            kind,
            label: kind === 'named' ? `After ${n} edits` : undefined,
            author: userId,
          });
          captured.push({ seq: version.seq, content: contentOf(editor.doc) });
        }
        await store.append(editor.edit(15).map((update) => ({ documentId: id, update })));
        expect(captured.map((c) => c.seq)).toEqual([0, 40, 65, 66, 126]);

        const check = async () => {
          for (const c of captured)
            expect(contentOf(await store.stateAt(id, c.seq))).toEqual(c.content);
          expect(contentOf((await store.load(id)).state)).toEqual(contentOf(editor.doc));
        };
        await check();
        await store.compact(id, { upTo: 50 });
        await check();
        await store.compact(id);
        await check();
        // Checkpoints: one per version with seq > 0, plus the newest; no update rows left.
        expect(await count(documentCheckpoints, id)).toBe(5);
        expect(await count(documentUpdates, id)).toBe(0);

        const versions = await store.listVersions(id);
        expect(versions.map((v) => [v.seq, v.kind, v.label])).toEqual([
          [0, 'auto', null],
          [40, 'named', 'After 40 edits'],
          [65, 'auto', null],
          [66, 'named', 'After 1 edits'],
          [126, 'auto', null],
        ]);
        expect(versions[1]!.authorId).toBe(userId);
        expect(versions[1]!.createdAt).toBeInstanceOf(Date);
      });

      it('explains why a state is unavailable or out of range', async () => {
        const id = await newDocument();
        const editor = new Editor(10);
        await store.append(editor.edit(20).map((update) => ({ documentId: id, update })));
        expect(contentOf(await store.stateAt(id, 10)).text.length).toBeGreaterThan(0);
        await expect(store.stateAt(id, 21)).rejects.toBeInstanceOf(SeqOutOfRangeError);
        await store.compact(id);
        await expect(store.stateAt(id, 10)).rejects.toBeInstanceOf(HistoryUnavailableError);
        expect(contentOf(await store.stateAt(id, 20))).toEqual(contentOf(editor.doc));
        await expect(store.markVersion(id, { kind: 'named' })).rejects.toThrow(
          /a named version needs a label/,
        );
        await expect(store.markVersion(MISSING_ID, { kind: 'auto' })).rejects.toBeInstanceOf(
          DocumentNotFoundError,
        );
        await expect(store.listVersions(MISSING_ID)).rejects.toBeInstanceOf(DocumentNotFoundError);
        expect(await store.listVersions(id)).toEqual([]);
      });
    });

    describe('group commit', () => {
      it('commits 20 concurrent appends across 3 documents in few transactions with gap-free seqs', async () => {
        const ids = [await newDocument(), await newDocument(), await newDocument()];
        const editors = ids.map((_, i) => new Editor(100 + i));
        const committer = new GroupCommitter(store);
        const calls = Array.from({ length: 20 }, (_, i) => ({
          documentId: ids[i % 3]!,
          update: editors[i % 3]!.edit(1)[0]!,
        }));
        const results = await Promise.all(calls.map((c) => committer.append(c)));
        expect(committer.stats.transactions).toBeLessThan(20);
        for (const [d, id] of ids.entries()) {
          const seqs = results.filter((_, i) => calls[i]!.documentId === id).map((r) => r.seq);
          // Arrival order is seq order within a document.
          expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
          expect(contentOf((await store.load(id)).state)).toEqual(contentOf(editors[d]!.doc));
        }
        await committer.close();
      });

      it('keeps seqs gap-free under waves of concurrent appenders', async () => {
        const ids = [await newDocument(), await newDocument(), await newDocument()];
        const editors = ids.map((_, i) => new Editor(200 + i));
        const committer = new GroupCommitter(store, { maxBatch: 7 });
        const all: Promise<unknown>[] = [];
        for (let wave = 0; wave < 10; wave++) {
          for (let i = 0; i < 12; i++)
            all.push(
              committer.append({ documentId: ids[i % 3]!, update: editors[i % 3]!.edit(1)[0]! }),
            );
          await new Promise((r) => setTimeout(r, 1));
        }
        await Promise.all(all);
        expect(committer.stats.largestBatch).toBeLessThanOrEqual(7);
        for (const id of ids) {
          const rows = await handle.db
            .select({ seq: documentUpdates.seq })
            .from(documentUpdates)
            .where(eq(documentUpdates.documentId, id))
            .orderBy(documentUpdates.seq);
          expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        }
        await committer.close();
      });

      it('gives the same seq to an update delivered to two committers at once (two servers)', async () => {
        const ids = [await newDocument(), await newDocument(), await newDocument()];
        const editors = ids.map((_, i) => new Editor(300 + i));
        // Two stores with their own committers, as two sync-server processes would have; on
        // PostgreSQL their transactions run on separate connections, truly concurrently.
        const a = new GroupCommitter(createDocumentStore(handle));
        const b = new GroupCommitter(createDocumentStore(handle));
        const sent = Array.from({ length: 30 }, (_, i) => ({
          documentId: ids[i % 3]!,
          update: editors[i % 3]!.edit(1)[0]!,
        }));
        const [fromA, fromB] = await Promise.all([
          Promise.all(sent.map((e) => a.append(e))),
          Promise.all(sent.map((e) => b.append({ ...e }))),
        ]);
        sent.forEach((_, i) => {
          expect(fromA[i]!.seq).toBe(fromB[i]!.seq);
          expect([fromA[i]!.duplicate, fromB[i]!.duplicate].sort()).toEqual([false, true]);
        });
        for (const [d, id] of ids.entries()) {
          expect(await count(documentUpdates, id)).toBe(10);
          const loaded = await store.load(id);
          expect(loaded.seq).toBe(10);
          expect(contentOf(loaded.state)).toEqual(contentOf(editors[d]!.doc));
        }
        await Promise.all([a.close(), b.close()]);
      });

      it('fails every caller of a failed batch and writes none of it', async () => {
        const id = await newDocument();
        const editor = new Editor(11);
        const committer = new GroupCommitter(store);
        const outcomes = await Promise.allSettled([
          committer.append({ documentId: id, update: editor.edit(1)[0]! }),
          committer.append({ documentId: MISSING_ID, update: editor.edit(1)[0]! }),
          committer.append({ documentId: id, update: editor.edit(1)[0]! }),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
        for (const o of outcomes)
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(DocumentNotFoundError);
        expect(await count(documentUpdates, id)).toBe(0);
        // The committer carries on with the next batch.
        expect(await committer.append({ documentId: id, update: editor.edit(1)[0]! })).toEqual({
          seq: 1,
          duplicate: false,
        });
        await committer.close();
      });
    });
  });
}
