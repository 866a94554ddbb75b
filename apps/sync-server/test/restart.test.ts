/**
 * Restarts: the real process (src/main.ts) stops on SIGTERM by storing and acknowledging what
 * it accepted and closing clients with 1012, so the stock client reconnects by itself; after a
 * restart a fresh client is `synced` only with the stored content there. Run on PostgreSQL
 * (the process) and on PGlite in a temporary data directory (in-process, the default database).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb, createDocumentStore } from '@concord/db';
import { createScratchDatabase, type ScratchDatabase } from '@concord/db/testing';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { issueTicket } from '@concord/sync-protocol/ticket';
import { CLOSE, MESSAGE_SAVED } from '../src/protocol.js';
import {
  SECRET,
  stockClient,
  startServer,
  storedDoc,
  waitFor,
  type StockClient,
  seedWorkspace,
} from './support.js';
import { planWithProbeGoal, probeTitle, probeTitleText } from './document-content.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const clients: StockClient[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts src/main.ts (TypeScript through tsx) and waits until it listens. */
async function startProcess(env: Record<string, string>): Promise<Proc> {
  const child = spawn(
    process.execPath,
    ['--conditions=@concord/source', '--import', 'tsx', 'src/main.ts'],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts)
      if (part.trim()) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await waitFor(
    () =>
      lines.some((l) => String(l.msg).startsWith('Server listening')) || child.exitCode !== null,
    'the server to listen',
    30_000,
  );
  if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
  return { child, lines, exited };
}

describe('SIGTERM and restart of the real process (PostgreSQL)', () => {
  it('acknowledged edits survive, clients get 1012 and reconnect, a fresh client syncs with content', async () => {
    const scratch: ScratchDatabase = await createScratchDatabase('concord_sync');
    cleanups.push(() => scratch.drop());
    const handle = await createDb({ databaseUrl: scratch.url });
    cleanups.push(() => handle.close());
    const { userId, newDocument } = await seedWorkspace(handle);
    const documentId = await newDocument();
    const store = createDocumentStore(handle);
    // The production server checks the plan's shape: the edits go into a goal's title.
    await store.append([{ documentId, update: planWithProbeGoal() }]);

    const port = await freePort();
    const env = { DATABASE_URL: scratch.url, SYNC_TICKET_SECRET: SECRET, PORT: String(port) };
    const first = await startProcess(env);
    const url = `ws://127.0.0.1:${port}/sync`;
    const ticket = () =>
      issueTicket({
        secret: SECRET,
        userId,
        documentId,
        capabilities: ['read', 'write', 'awareness'],
      });

    const writer = stockClient(url, documentId, ticket(), { ack: true });
    clients.push(writer);
    let ackedCount = 0;
    writer.provider.messageHandlers[MESSAGE_SAVED] = (_e, decoder) => {
      decoding.readVarUint(decoder);
      ackedCount = decoding.readVarUint(decoder);
    };
    await writer.synced();
    const title = probeTitle(writer.doc);
    for (let i = 0; i < 50; i++) title.insert(title.length, `${i % 10}`);
    await waitFor(() => ackedCount >= 51, 'the 50 edits (and the sync step 2) acknowledged');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(writer.closes.map((c) => c.code)).toContain(CLOSE.SERVICE_RESTART);
    expect(first.lines.some((l) => l.msg === 'stopped')).toBe(true);
    expect(probeTitleText(await storedDoc(store, documentId))).toBe(title.toString());

    // Edits made while the server is down are kept by the client and sent after it reconnects.
    title.insert(0, '[offline] ');
    const second = await startProcess(env);
    cleanups.push(async () => {
      if (second.child.exitCode === null) {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    });
    const seenAtSync: string[] = [];
    const fresh = stockClient(url, documentId, ticket(), {
      onSynced: (doc) => seenAtSync.push(probeTitleText(doc)),
    });
    clients.push(fresh);
    await fresh.synced();
    expect(seenAtSync[0]).toMatch(/0123456789/);
    await waitFor(
      () => probeTitleText(fresh.doc) === title.toString(),
      'the writer to reconnect and resync',
    );
    expect(probeTitleText(fresh.doc).startsWith('[offline] 0123456789')).toBe(true);
    // A budget for a busy 2-core machine: the test starts a server twice (through tsx, or on
    // PGlite), and either start alone can take tens of seconds there.
  }, 180_000);
});

describe('restart on PGlite (embedded, data directory)', () => {
  it('a fresh client after a restart is synced only with the stored content present', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-sync-pglite-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

    let handle = await createDb({ pgliteDataDir: dataDir });
    const { userId, newDocument } = await seedWorkspace(handle);
    const documentId = await newDocument();

    let server = await startServer({ store: createDocumentStore(handle) });
    const a = stockClient(server.url, documentId, server.ticket(documentId, userId));
    const b = stockClient(server.url, documentId, server.ticket(documentId, userId));
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 200; i++)
      (i % 2 ? a : b).text.insert(0, String.fromCharCode(97 + (i % 26)));
    await waitFor(
      () => a.text.length === 200 && b.text.toString() === a.text.toString(),
      'convergence',
    );
    const expected = a.text.toString();
    a.destroy();
    b.destroy();
    await server.close();
    await handle.close();

    handle = await createDb({ pgliteDataDir: dataDir });
    cleanups.push(() => handle.close());
    server = await startServer({ store: createDocumentStore(handle) });
    cleanups.push(() => server.close());
    const seenAtSync: string[] = [];
    const c = stockClient(server.url, documentId, server.ticket(documentId, userId), {
      onSynced: (doc) => seenAtSync.push(doc.getText('t').toString()),
    });
    clients.push(c);
    await c.synced();
    expect(seenAtSync).toEqual([expected]);
    const direct = new Y.Doc();
    Y.applyUpdate(direct, (await createDocumentStore(handle).load(documentId)).state);
    expect(direct.getText('t').toString()).toBe(expected);
    // A budget for a busy 2-core machine: the test starts a server twice (through tsx, or on
    // PGlite), and either start alone can take tens of seconds there.
  }, 180_000);
});
