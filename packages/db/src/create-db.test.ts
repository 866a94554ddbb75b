/** createDb on a PGlite data directory: what was committed is there after closing and reopening. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';
import { createDocumentStore } from './sql-store.js';
import { contentOf, createDocument, Editor, seedWorkspace } from './test-fixtures.js';

describe('createDb with a PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps committed updates across close and reopen', async () => {
    const editor = new Editor(42);
    const first = await createDb({ pgliteDataDir: dir });
    expect(first.kind).toBe('pglite');
    const { workspace } = await seedWorkspace(first);
    const id = await createDocument(first, workspace.id);
    await createDocumentStore(first).append(
      editor.edit(25).map((update) => ({ documentId: id, update })),
    );
    await first.close();
    await first.close(); // idempotent

    const second = await createDb({ pgliteDataDir: dir });
    try {
      const loaded = await createDocumentStore(second).load(id);
      expect(loaded.seq).toBe(25);
      expect(contentOf(loaded.state)).toEqual(contentOf(editor.doc));
    } finally {
      await second.close();
    }
  });
});
