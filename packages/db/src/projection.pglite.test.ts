/** The projection's SQL on embedded PGlite (in memory). */
import { createDb } from './create-db.js';
import { projectionContract } from './projection.contract.js';

projectionContract('PGlite', {
  open: () => createDb({ pgliteDataDir: 'memory://' }),
});
