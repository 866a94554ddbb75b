/** The access facts on embedded PGlite (in memory). */
import { accessFactsContract } from './access.contract.js';
import { createDb } from './create-db.js';

accessFactsContract('PGlite', {
  open: () => createDb({ pgliteDataDir: 'memory://' }),
});
