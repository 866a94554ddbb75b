/**
 * The access facts (access.ts) as one suite that access.pglite.test.ts and
 * access.postgres.test.ts run against each database: what the sync server and the web app
 * decide access from must read the same on both.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessFacts } from './access.js';
import type { DbHandle } from './create-db.js';
import { documents, memberships, schools, users } from './schema/index.js';
import { createDocument, seedWorkspace, type DatabaseTarget } from './test-fixtures.js';

export function accessFactsContract(name: string, target: DatabaseTarget): void {
  describe(`access facts: ${name}`, () => {
    let handle: DbHandle;

    beforeAll(async () => {
      handle = await target.open();
    });

    afterAll(async () => {
      await handle?.close();
      await target.teardown?.();
    });

    async function person(label: string): Promise<string> {
      const [row] = await handle.db
        .insert(users)
        .values({ email: `${label}.${randomUUID()}@example.org`, displayName: label })
        .returning();
      return row!.id;
    }

    async function member(workspaceId: string, role: 'facilitator' | 'rater' | 'viewer') {
      const userId = await person(role);
      await handle.db.insert(memberships).values({
        workspaceId,
        userId,
        role,
        ...(role === 'rater' && { represents: 'district' as const }),
      });
      return userId;
    }

    async function setting() {
      const { workspace, district, user: owner } = await seedWorkspace(handle);
      await handle.db
        .insert(memberships)
        .values({ workspaceId: workspace.id, userId: owner.id, role: 'owner' });
      const [school] = await handle.db
        .insert(schools)
        .values({ districtId: district.id, name: `Garfield ${randomUUID()}` })
        .returning();
      const [assessment] = await handle.db
        .insert(documents)
        .values({
          workspaceId: workspace.id,
          kind: 'assessment',
          title: 'School Planning Tool',
          templateId: 'ma-pln-school-planning',
          templateVersion: 1,
          schoolId: school!.id,
        })
        .returning();
      const rater = await member(workspace.id, 'rater');
      const [ratings] = await handle.db
        .insert(documents)
        .values({
          workspaceId: workspace.id,
          kind: 'ratings',
          parentId: assessment!.id,
          ownerId: rater,
          title: 'My ratings',
          templateId: 'ma-pln-school-planning',
          templateVersion: 1,
        })
        .returning();
      const [comments] = await handle.db
        .insert(documents)
        .values({
          workspaceId: workspace.id,
          kind: 'comments',
          parentId: assessment!.id,
          title: 'Comments',
        })
        .returning();
      return {
        workspace,
        owner: owner.id,
        rater,
        school: school!.id,
        assessment: assessment!.id,
        ratings: ratings!.id,
        comments: comments!.id,
      };
    }

    const reveal = (id: string, at: Date | null) =>
      handle.db.update(documents).set({ revealedAt: at }).where(eq(documents.id, id));

    it("reads an instrument's facts and the person's role, one per role", async () => {
      const s = await setting();
      const viewer = await member(s.workspace.id, 'viewer');
      const facts = await readAccessFacts(handle.sql, s.assessment, s.owner);
      expect(facts).toEqual({
        document: {
          id: s.assessment,
          kind: 'assessment',
          workspaceId: s.workspace.id,
          parentId: null,
          ownerId: null,
          templateId: 'ma-pln-school-planning',
          templateVersion: 1,
          schoolId: s.school,
          title: 'School Planning Tool',
          revealed: false,
        },
        role: 'owner',
      });
      expect((await readAccessFacts(handle.sql, s.assessment, s.rater))?.role).toBe('rater');
      expect((await readAccessFacts(handle.sql, s.assessment, viewer))?.role).toBe('viewer');
    });

    it('says no member for a stranger, a member of another workspace, or a user id that is not one', async () => {
      const s = await setting();
      const other = await setting();
      const stranger = await person('stranger');
      for (const userId of [stranger, other.owner, other.rater, randomUUID(), 'not-a-uuid']) {
        const facts = await readAccessFacts(handle.sql, s.assessment, userId);
        expect(facts?.document.id, userId).toBe(s.assessment);
        expect(facts?.role, userId).toBeNull();
      }
    });

    it('knows no document that is not there, or an id that is not a uuid', async () => {
      const s = await setting();
      expect(await readAccessFacts(handle.sql, randomUUID(), s.owner)).toBeNull();
      expect(await readAccessFacts(handle.sql, 'not-a-uuid', s.owner)).toBeNull();
      const plan = await createDocument(handle, s.workspace.id, 'plan');
      await handle.db.delete(documents).where(eq(documents.id, plan));
      expect(await readAccessFacts(handle.sql, plan, s.owner)).toBeNull();
    });

    it("gives a ratings document its owner, parent and the parent's reveal", async () => {
      const s = await setting();
      const before = await readAccessFacts(handle.sql, s.ratings, s.rater);
      expect(before).toMatchObject({
        document: {
          id: s.ratings,
          kind: 'ratings',
          parentId: s.assessment,
          ownerId: s.rater,
          schoolId: null,
          revealed: false,
        },
        role: 'rater',
      });
      await reveal(s.assessment, new Date());
      expect((await readAccessFacts(handle.sql, s.ratings, s.owner))?.document.revealed).toBe(true);
      expect((await readAccessFacts(handle.sql, s.comments, s.owner))?.document.revealed).toBe(
        true,
      );
      expect((await readAccessFacts(handle.sql, s.assessment, s.owner))?.document.revealed).toBe(
        true,
      );
      // Hidden again (re-rating): blind again.
      await reveal(s.assessment, null);
      expect((await readAccessFacts(handle.sql, s.ratings, s.rater))?.document.revealed).toBe(
        false,
      );
    });

    it('reads ids in lower case, whatever case they were asked in', async () => {
      const s = await setting();
      const facts = await readAccessFacts(
        handle.sql,
        s.ratings.toUpperCase(),
        s.rater.toUpperCase(),
      );
      expect(facts?.document).toMatchObject({ id: s.ratings, ownerId: s.rater });
      expect(facts?.role).toBe('rater');
    });
  });
}
