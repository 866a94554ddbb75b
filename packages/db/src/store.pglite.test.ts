/** The DocumentStore contract on embedded PGlite (in memory; one instance for the file). */
import { createDb } from './create-db.js';
import { documentStoreContract } from './store.contract.js';

documentStoreContract('PGlite', {
  open: () => createDb({ pgliteDataDir: 'memory://' }),
});
