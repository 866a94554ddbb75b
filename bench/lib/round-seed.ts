/**
 * A rating round's cast in the benchmark's database (P13), as the web app would leave it: a
 * workspace of its own with a facilitator (role 'facilitator') and `raters` members (role
 * 'rater'), an assessment of a built-in rubric (template id and version, so the server knows its
 * sections), and one private ratings document per rater (parent = the assessment, owner = the
 * rater) stored with a rating for every indicator of the template: a Yjs update appended through
 * the document store, as if the rater had rated every item before the round. Levels are seeded
 * (deterministic) and varied, so a revealed snapshot is not one repeated value.
 */
import { randomBytes } from 'node:crypto';
import { createDocumentStore, schema } from '@concord/db';
import { ROOT } from '@concord/documents';
import { outline, type LeveledTemplate } from '@concord/rubric-core';
import * as Y from 'yjs';
import type { ConcordDatabase } from './concord-db.js';

export interface RoundCast {
  facilitatorId: string;
  raterIds: string[];
  assessmentId: string;
  /** The ratings document of raterIds[i]. */
  ratingsIds: string[];
  /** The seeded level of raterIds[i] for each indicator id. */
  levels: Record<string, number>[];
  /** Section ids with at least one indicator, in template order. */
  sections: string[];
  /** Indicator ids, in template order. */
  items: string[];
}

let casts = 0;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A ratings document's state holding `levels` (indicator id → level) in its `ratings` root. */
function ratingsState(levels: Record<string, number>): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const ratings = doc.getMap(ROOT.ratings);
    for (const [id, level] of Object.entries(levels)) ratings.set(id, level);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

export async function seedRoundCast(
  db: ConcordDatabase,
  template: LeveledTemplate,
  raters: number,
): Promise<RoundCast> {
  const run = `${++casts}.${randomBytes(3).toString('hex')}`;
  const entries = outline(template).entries;
  const items = entries.map((e) => e.indicator.id);
  const sections = [...new Set(entries.map((e) => e.section.id))];
  const random = rng(13_000 + casts);
  const levels = Array.from({ length: raters }, () =>
    Object.fromEntries(
      entries.map((e) => {
        const values = e.scale.levels.map((l) => l.value);
        return [e.indicator.id, values[Math.floor(random() * values.length)]!];
      }),
    ),
  );
  return db.withHandle(async (handle) => {
    const users = await handle.db
      .insert(schema.users)
      .values(
        Array.from({ length: raters + 1 }, (_, i) => ({
          email: `bench.round.${run}.${i}@example.org`,
          displayName: i === 0 ? 'Bench facilitator' : `Bench rater ${String(i).padStart(2, '0')}`,
        })),
      )
      .returning();
    const [facilitatorId, ...raterIds] = users.map((u) => u.id) as [string, ...string[]];
    const [district] = await handle.db
      .insert(schema.districts)
      .values({ name: 'Bench district', state: 'MA' })
      .returning();
    const [workspace] = await handle.db
      .insert(schema.workspaces)
      .values({
        districtId: district!.id,
        name: `Bench round ${run}`,
        schoolYear: '2026-27',
        createdBy: facilitatorId,
      })
      .returning();
    const workspaceId = workspace!.id;
    await handle.db
      .insert(schema.memberships)
      .values([
        { workspaceId, userId: facilitatorId, role: 'facilitator' as const },
        ...raterIds.map((userId) => ({ workspaceId, userId, role: 'rater' as const })),
      ]);
    const [assessment] = await handle.db
      .insert(schema.documents)
      .values({
        workspaceId,
        kind: 'assessment' as const,
        title: template.title,
        templateId: template.id,
        templateVersion: template.version,
        createdBy: facilitatorId,
      })
      .returning();
    const assessmentId = assessment!.id;
    const ratingsRows = await handle.db
      .insert(schema.documents)
      .values(
        raterIds.map((ownerId, i) => ({
          workspaceId,
          kind: 'ratings' as const,
          title: `Ratings ${i + 1}`,
          parentId: assessmentId,
          ownerId,
          createdBy: ownerId,
        })),
      )
      .returning();
    // Inserted in one statement: map each row back to its owner rather than trusting the order.
    const ratingsIds = raterIds.map((id) => ratingsRows.find((r) => r.ownerId === id)!.id);
    await createDocumentStore(handle).append(
      ratingsIds.map((documentId, i) => ({ documentId, update: ratingsState(levels[i]!) })),
    );
    return { facilitatorId, raterIds, assessmentId, ratingsIds, levels, sections, items };
  });
}
