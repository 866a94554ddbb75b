/** The workspace export/import contract on embedded PGlite (two in-memory databases). */
import { createDb } from './create-db.js';
import { workspaceArchiveContract } from './workspace-archive.contract.js';

workspaceArchiveContract('PGlite', {
  open: () => createDb({ pgliteDataDir: 'memory://' }),
});
