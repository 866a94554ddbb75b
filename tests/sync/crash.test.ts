/**
 * R2 (TARGETS.md): `kill -9` of the sync server during a write storm, 20 times, with clients that
 * never reconnect: every update whose SAVED acknowledgement a client received is in the document
 * after the restart. 0 lost.
 *
 * Each writer is a hand-made client with `?ack=1` that sends one update message per marker (a
 * unique entry `w<writer>:<n>` -> n in the plan's seeded metric baseline, a Y.Map of subgroup
 * key -> number, where a plan allows such entries), so SAVED `count` = n means "markers 0..n-1 of
 * this writer are durably stored". The server is killed at a random moment after every writer has had at
 * least one acknowledgement (so no iteration is vacuous), restarted on the same port, and the
 * document is read twice: through a fresh stock client of the restarted server, and straight
 * from the database.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort } from '../setup/server.js';
import {
  ackingClient,
  rng,
  sleep,
  stockClient,
  waitFor,
  type AckingClient,
  type StockClient,
} from './support/clients.js';
import {
  killSyncServers,
  startSyncServer,
  type SyncServerProcess,
} from './support/server-process.js';
import { baseline, planSeed } from './support/plan-content.js';
import { openSyncWorkspace, type SyncWorkspace } from './support/workspace.js';

const ITERATIONS = 20;
const WRITERS = 4;
/** Update messages a writer sends before yielding to the event loop (a storm, not a trickle). */
const BURST = 20;
/** Unacknowledged update messages a writer allows itself: the storm runs as fast as the server
 * stores, rather than piling up an unbounded backlog in the socket. */
const WINDOW = 200;
/** After every writer has an acknowledgement, the kill comes within this many ms (random). */
const KILL_WITHIN_MS = 250;
/** The storm is far above the default per-connection rate limit, which is not what R2 tests. */
const STORM_ENV = { SYNC_MESSAGES_PER_SECOND: '1000000', SYNC_MESSAGE_BURST: '1000000' };

let ws: SyncWorkspace | undefined;
let port = 0;
let server: SyncServerProcess | undefined;
const clients: StockClient[] = [];
const writers: AckingClient[] = [];
const checked: number[] = [];
const inFlightStored: number[] = [];

beforeAll(async () => {
  ws = await openSyncWorkspace({ prefix: 'concord_r2', members: WRITERS + 1, role: 'rater' });
  port = await freePort();
  server = await startSyncServer({ port, databaseUrl: ws.url, env: STORM_ENV });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const w of writers.splice(0)) w.terminate();
});

afterAll(async () => {
  await killSyncServers();
  await ws?.close();
  if (checked.length > 0) {
    const total = checked.reduce((a, b) => a + b, 0);
    console.log(
      `R2: ${checked.length} kill -9 iterations, ${total} acknowledged updates checked (per iteration ${Math.min(...checked)}-${Math.max(...checked)}), 0 lost; ${inFlightStored.reduce((a, b) => a + b, 0)} unacknowledged in-flight updates were stored too`,
    );
  }
});

/** One writer's storm: marker after marker until the socket dies. */
async function storm(writer: AckingClient, index: number): Promise<void> {
  const doc = new Y.Doc();
  // The writer never syncs: it starts from the document as stored (the same seed bytes, so the
  // same baseline map), as a client that has synced would, before it sends anything.
  Y.applyUpdate(doc, planSeed());
  const markers = baseline(doc);
  doc.on('update', (update: Uint8Array) => writer.sendUpdate(update));
  let n = 0;
  while (writer.open) {
    if (writer.sent - writer.acked >= WINDOW) {
      await sleep(1);
      continue;
    }
    for (let i = 0; i < BURST && writer.open; i++) markers.set(`w${index}:${n}`, n++);
    await new Promise((r) => setImmediate(r));
  }
  doc.destroy();
}

describe('R2: kill -9 during a write storm', () => {
  it.each(Array.from({ length: ITERATIONS }, (_, i) => i))(
    'iteration %i: every acknowledged update survives',
    async (iteration) => {
      const workspace = ws!;
      const random = rng(0x5eed + iteration);
      const documentId = await workspace.newDocument();
      const url = server!.url;

      const opened = await Promise.all(
        Array.from({ length: WRITERS }, (_, w) =>
          ackingClient(url, documentId, workspace.ticket(workspace.userIds[w]!, documentId)),
        ),
      );
      writers.push(...opened);
      const storms = opened.map((w, i) => storm(w, i));
      await waitFor(
        () => opened.every((w) => w.acked > 0),
        'an acknowledgement for every writer',
        10_000,
      );
      await sleep(Math.floor(random() * KILL_WITHIN_MS));
      const exit = await server!.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      await Promise.all(opened.map((w) => w.closed));
      await Promise.all(storms);
      // What the writers were promised; they never reconnect, so nothing is re-sent.
      const acked = opened.map((w) => w.acked);
      const ackedSeq = Math.max(...opened.map((w) => w.ackedSeq));
      const sent = opened.map((w) => w.sent);

      server = await startSyncServer({ port, databaseUrl: workspace.url, env: STORM_ENV });

      const reader = stockClient(server.url, documentId, () =>
        workspace.ticket(workspace.userIds[WRITERS]!, documentId),
      );
      clients.push(reader);
      await waitFor(() => reader.live, 'a fresh client synced with the restarted server', 10_000);
      const viaServer = baseline(reader.doc);
      const stored = await workspace.store.load(documentId);
      const fromDb = new Y.Doc();
      Y.applyUpdate(fromDb, stored.state);
      const inDb = baseline(fromDb);

      // Every marker is a baseline entry a plan allows: none may have been refused.
      expect(opened.flatMap((w) => w.denials)).toEqual([]);
      const missing: string[] = [];
      let present = 0;
      for (let w = 0; w < WRITERS; w++) {
        for (let n = 0; n < acked[w]!; n++) {
          const key = `w${w}:${n}`;
          if (viaServer.get(key) !== n || inDb.get(key) !== n) missing.push(key);
        }
        for (let n = acked[w]!; n < sent[w]!; n++) if (inDb.has(`w${w}:${n}`)) present++;
      }
      expect(
        missing,
        `iteration ${iteration}: acknowledged (counts ${acked.join(', ')} of ${sent.join(', ')} sent) but lost`,
      ).toEqual([]);
      expect(stored.seq).toBeGreaterThanOrEqual(ackedSeq);
      // The restarted server serves exactly what is stored.
      expect(viaServer.toJSON()).toEqual(inDb.toJSON());
      checked.push(acked.reduce((a, b) => a + b, 0));
      inFlightStored.push(present);
      fromDb.destroy();
    },
  );
});
