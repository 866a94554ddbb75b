/** The workspace export/import contract on PostgreSQL: source and target are two scratch
 * databases of this file's own (dropped after). */
import { createDb } from './create-db.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';
import { workspaceArchiveContract } from './workspace-archive.contract.js';

const scratch: ScratchDatabase[] = [];

workspaceArchiveContract('PostgreSQL', {
  async open() {
    const db = await createScratchDatabase();
    scratch.push(db);
    return createDb({ databaseUrl: db.url });
  },
  teardown: async () => {
    await Promise.all(scratch.map((db) => db.drop()));
  },
});
