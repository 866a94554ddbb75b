/**
 * The cast of the rating-round suites on the real server: a workspace of its own (a round's
 * raters are the workspace's), a facilitator, two raters with their ratings documents, a District
 * Conditions assessment, stock clients and hand-made command clients; and a round command sent
 * and answered.
 */
import { schema } from '@concord/db';
import { maPlnDistrictConditions as rubric } from '@concord/rubric-core/templates';
import { decodeRoundResult, encodeRoundCommand } from '../src/protocol.js';
import {
  changeAccess,
  createDocument,
  rawClient,
  seedWorkspace,
  stockClient,
  waitFor,
  type RawClient,
  type SyncFixture,
} from './support.js';

export async function roundCast(fx: SyncFixture) {
  const { handle } = fx.db;
  const space = await seedWorkspace(handle);
  const { workspaceId } = space;
  const facilitator = await space.newUser();
  await changeAccess(handle, workspaceId, 'membership.role-change', {
    userId: facilitator,
    role: 'facilitator',
  });
  const ana = await space.newUser();
  const ben = await space.newUser();
  const [doc] = await handle.db
    .insert(schema.documents)
    .values({
      workspaceId,
      kind: 'assessment',
      title: 'District Conditions',
      templateId: rubric.id,
      templateVersion: rubric.version,
    })
    .returning();
  const assessment = doc!.id;
  const ratingsOf = (ownerId: string) =>
    createDocument(handle, { workspaceId, kind: 'ratings', parentId: assessment, ownerId });
  const [anaRatings, benRatings] = await Promise.all([ratingsOf(ana), ratingsOf(ben)]);
  /** A stock client (closed after the file's tests) with a fixed Yjs client id. */
  const client = (documentId: string, userId: string, clientID: number) => {
    const c = stockClient(fx.server.url, documentId, fx.server.ticket(documentId, userId), {
      clientID,
    });
    fx.clients.push(c);
    return c;
  };
  /** A hand-made client on the assessment, to send round commands as `userId`. */
  const commander = (userId: string) =>
    rawClient(fx.server.url, assessment, fx.server.ticket(assessment, userId));
  return { facilitator, ana, ben, assessment, anaRatings, benRatings, client, commander, space };
}

let nextId = 0;

/** Sends a round command on `client` and waits for its answer. */
export async function command(client: RawClient, body: Record<string, unknown>) {
  const id = `c${++nextId}`;
  const before = client.frames.length;
  client.send(encodeRoundCommand({ id, ...body }));
  let result: { id: string; ok: boolean; error?: string } | null = null;
  await waitFor(() => {
    for (const frame of client.frames.slice(before)) {
      const r = decodeRoundResult(frame) as typeof result;
      if (r && r.id === id) result = r;
    }
    return result !== null;
  }, `the answer to round command ${id}`);
  return result!;
}
