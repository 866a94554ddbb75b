/** The demo seed on embedded PGlite, in memory. */
import { createDb } from '../create-db.js';
import { seedContract } from './demo.contract.js';

seedContract('PGlite', { open: () => createDb({ pgliteDataDir: 'memory://' }) });
