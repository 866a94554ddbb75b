/** The start-up document migration on embedded PGlite (in memory). */
import { createDb } from './create-db.js';
import { documentMigrationContract } from './document-migration.contract.js';

documentMigrationContract('PGlite', {
  open: () => createDb({ pgliteDataDir: 'memory://' }),
});
