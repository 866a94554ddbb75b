/**
 * The start-up migration of stored documents to schema v2 (document-migration.ts), as one suite
 * that document-migration.pglite.test.ts and document-migration.postgres.test.ts run against each
 * database: v1 documents stored as a v1 server wrote them come out of start-up as v2 with the
 * same text, and a second start appends nothing.
 */
import {
  createAssessment,
  readAssessment,
  readMeta,
  readPlan,
  readRatingNotes,
} from '@concord/documents';
import {
  knowledgeworksPlanTemplate as planTemplate,
  maPlnDistrictConditions as rubric,
} from '@concord/rubric-core/templates';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DbHandle } from './create-db.js';
import { DOCUMENTS_SCHEMA_2 } from './document-migration.js';
import { migrate } from './migrate.js';
import { dataMigrations, documents } from './schema/index.js';
import { createDocumentStore } from './sql-store.js';
import type { DocumentStore } from './store.js';
import { createDocument, docFrom, seedWorkspace, type DatabaseTarget } from './test-fixtures.js';

export const V1_TEXT = {
  evidence: 'Board minutes, Sept. 14\n\nCabinet agenda: PL every month',
  rationale: 'Évaluation partagée 評価 👩🏽‍🏫',
  vision: 'Every student owns their learning.\nTogether.',
  statement: 'By June 2027, 80% of teachers complete coaching cycles.',
  note: 'Strong cabinet support\n',
};

/** A document as the v1 code wrote it (Y.Text in every text field), as one stored update. */
function v1State(
  kind: string,
  template: { id: string; version: number },
  fill: (doc: Y.Doc) => void,
): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const meta = doc.getMap('meta');
    meta.set('schemaVersion', 1);
    meta.set('kind', kind);
    meta.set('templateId', template.id);
    meta.set('templateVersion', template.version);
    fill(doc);
  });
  return Y.encodeStateAsUpdate(doc);
}

export const V1 = {
  assessment: () =>
    v1State('assessment', rubric, (doc) => {
      const item = new Y.Map<unknown>();
      item.set('evidence', new Y.Text(V1_TEXT.evidence));
      item.set('rationale', new Y.Text(V1_TEXT.rationale));
      doc.getMap('items').set('dc.1.1', item);
    }),
  plan: () =>
    v1State('plan', planTemplate, (doc) => {
      doc.getText('vision').insert(0, V1_TEXT.vision);
      const goal = new Y.Map<unknown>();
      goal.set('area', planTemplate.areas[0]!.id);
      goal.set('title', new Y.Text('Coaching'));
      goal.set('statement', new Y.Text(V1_TEXT.statement));
      doc.getMap('goals').set('g1', goal);
    }),
  ratings: () =>
    v1State('ratings', rubric, (doc) => {
      doc.getMap('notes').set('dc.1.1', new Y.Text(V1_TEXT.note));
    }),
};

/** Stores one document of each kind as v1 left them; returns their ids. */
export async function storeV1Documents(handle: DbHandle) {
  const { workspace, user } = await seedWorkspace(handle);
  const store = createDocumentStore(handle);
  const assessment = await createDocument(handle, workspace.id, 'assessment');
  const plan = await createDocument(handle, workspace.id, 'plan');
  const [ratingsRow] = await handle.db
    .insert(documents)
    .values({
      workspaceId: workspace.id,
      kind: 'ratings',
      parentId: assessment,
      ownerId: user.id,
      title: 'My ratings',
    })
    .returning();
  const ratings = ratingsRow!.id;
  await store.append([
    { documentId: assessment, update: V1.assessment() },
    { documentId: plan, update: V1.plan() },
    { documentId: ratings, update: V1.ratings() },
  ]);
  return { assessment, plan, ratings };
}

/** Forgets that start-up migrated documents, as a database upgraded from v1 would be. */
export async function forgetMarker(handle: DbHandle): Promise<void> {
  await handle.db.delete(dataMigrations).where(eq(dataMigrations.name, DOCUMENTS_SCHEMA_2));
}

export async function headSeqs(handle: DbHandle, ids: string[]): Promise<number[]> {
  const rows = await handle.db
    .select({ id: documents.id, headSeq: documents.headSeq })
    .from(documents)
    .where(sql`${documents.id} in ${ids}`);
  return ids.map((id) => rows.find((r) => r.id === id)!.headSeq);
}

export function documentMigrationContract(name: string, target: DatabaseTarget): void {
  describe(`start-up document migration: ${name}`, () => {
    let handle: DbHandle;
    let store: DocumentStore;

    beforeAll(async () => {
      handle = await target.open();
      store = createDocumentStore(handle);
    });

    afterAll(async () => {
      await handle?.close();
      await target.teardown?.();
    });

    const loaded = async (id: string) => docFrom((await store.load(id)).state);

    it('marks a fresh database done at its first start', async () => {
      const marker = await handle.db.select().from(dataMigrations);
      expect(marker.map((m) => m.name)).toEqual([DOCUMENTS_SCHEMA_2]);
    });

    it('migrates stored v1 documents to v2 fragments with the same text, once', async () => {
      const ids = await storeV1Documents(handle);
      const all = [ids.assessment, ids.plan, ids.ratings];
      await forgetMarker(handle);
      const before = await headSeqs(handle, all);

      const report = await migrate(handle);
      expect(report).toEqual({ ran: true, scanned: 3, migrated: 3, failed: [] });
      // One update appended per document, through the store (gap-free seqs).
      expect(await headSeqs(handle, all)).toEqual(before.map((s) => s + 1));

      const assessment = await loaded(ids.assessment);
      expect(readMeta(assessment)?.schemaVersion).toBe(2);
      const item = assessment.getMap('items').get('dc.1.1') as Y.Map<unknown>;
      expect(item.get('evidence')).toBeInstanceOf(Y.XmlFragment);
      expect(item.get('rationale')).toBeInstanceOf(Y.XmlFragment);
      expect(readAssessment(assessment, rubric)['dc.1.1']).toMatchObject({
        evidence: V1_TEXT.evidence,
        rationale: V1_TEXT.rationale,
      });

      const plan = await loaded(ids.plan);
      expect(plan.getXmlFragment('visionRich').length).toBe(2);
      expect(plan.getText('vision').toString()).toBe('');
      const snapshot = readPlan(plan, planTemplate);
      expect(snapshot.vision).toBe(V1_TEXT.vision);
      expect(snapshot.goals[0]!.statement).toBe(V1_TEXT.statement);
      expect((plan.getMap('goals').get('g1') as Y.Map<unknown>).get('statement')).toBeInstanceOf(
        Y.XmlFragment,
      );

      const ratings = await loaded(ids.ratings);
      expect(ratings.getMap('notes').get('dc.1.1')).toBeInstanceOf(Y.XmlFragment);
      expect(readRatingNotes(ratings, rubric)).toEqual({ 'dc.1.1': V1_TEXT.note });

      // The next start finds the marker and reads nothing.
      expect(await migrate(handle)).toEqual({ ran: false, scanned: 0, migrated: 0, failed: [] });
      // Even without the marker, migrated documents are left alone: nothing appended.
      await forgetMarker(handle);
      expect(await migrate(handle)).toMatchObject({ ran: true, scanned: 3, migrated: 0 });
      expect(await headSeqs(handle, all)).toEqual(before.map((s) => s + 1));
    });

    it('leaves documents created as v2 (and empty ones) untouched', async () => {
      const { workspace } = await seedWorkspace(handle);
      const empty = await createDocument(handle, workspace.id, 'plan');
      const v2 = await createDocument(handle, workspace.id, 'assessment');
      const doc = new Y.Doc();
      createAssessment(doc, rubric);
      await store.append([{ documentId: v2, update: Y.encodeStateAsUpdate(doc) }]);
      await forgetMarker(handle);
      const before = await headSeqs(handle, [empty, v2]);
      const report = await migrate(handle);
      expect(report.migrated).toBe(0);
      expect(await headSeqs(handle, [empty, v2])).toEqual(before);
    });
  });
}
