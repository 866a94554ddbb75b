/**
 * The production start on the default, embedded database: `pnpm start`'s flags and entry (the
 * bundle, which leaves PGlite outside and carries the migrations beside it) with no DATABASE_URL.
 * The server must create and migrate the data directory, authorize a member's ticket against it,
 * sync a stock client, store and acknowledge its edits (typed into a plan goal's title), and stop
 * cleanly on SIGTERM, after which the stored document holds every acknowledged edit. The other
 * sync tests run on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, createDocumentStore } from '@concord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort } from '../setup/server.js';
import { ackingClient, stockClient, waitFor, type StockClient } from './support/clients.js';
import { killSyncServers, startSyncServer } from './support/server-process.js';
import { planSeed, title, titleText } from './support/plan-content.js';
import { openSyncWorkspace } from './support/workspace.js';

const EDITS = 20;

let dataDir = '';
const clients: StockClient[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'concord-pglite-start-'));
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await killSyncServers();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the production start on PGlite', () => {
  it('migrates, authorizes, syncs, stores and stops on the embedded database', async () => {
    const ws = await openSyncWorkspace({
      prefix: 'unused',
      members: 2,
      role: 'owner',
      pgliteDataDir: dataDir,
    });
    const documentId = await ws.newDocument();
    const [alice, bob] = ws.userIds as [string, string];
    const aliceTicket = ws.ticket(alice, documentId);
    const bobTicket = ws.ticket(bob, documentId);
    // Only one process may open the data directory.
    await ws.close();

    const port = await freePort();
    const server = await startSyncServer({
      port,
      env: { PGLITE_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok' });
    expect(server.output()).toContain(`"database":"PGlite in ${dataDir}"`);

    const writer = await ackingClient(server.url, documentId, aliceTicket);
    const reader = stockClient(server.url, documentId, () => bobTicket);
    clients.push(reader);
    // The writer never syncs: it starts from the document as stored (the plan's seeded goal),
    // then types into the goal's title, one update message per character.
    const source = new Y.Doc();
    Y.applyUpdate(source, planSeed());
    source.on('update', (update: Uint8Array) => writer.sendUpdate(update));
    const typed = title(source);
    for (let i = 0; i < EDITS; i++) typed.insert(i, String.fromCharCode(97 + i));
    const expected = typed.toString();

    await waitFor(
      () => writer.acked === EDITS || writer.denials.length > 0,
      'every edit acknowledged',
      10_000,
    );
    expect(writer.denials).toEqual([]);
    await waitFor(
      () => titleText(reader.doc) === expected,
      'the stock client has every edit',
      10_000,
    );
    writer.terminate();
    reader.destroy();

    const exit = await server.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });

    const handle = await createDb({ pgliteDataDir: dataDir });
    try {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await createDocumentStore(handle).load(documentId)).state);
      expect(titleText(stored)).toBe(expected);
    } finally {
      await handle.close();
    }
  }, 60_000);
});
