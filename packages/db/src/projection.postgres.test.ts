/** The projection's SQL on PostgreSQL, in a scratch database of its own (dropped after). */
import { createDb } from './create-db.js';
import { projectionContract } from './projection.contract.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';

let scratch: ScratchDatabase | undefined;

projectionContract('PostgreSQL', {
  async open() {
    scratch = await createScratchDatabase();
    return createDb({ databaseUrl: scratch.url });
  },
  teardown: async () => scratch?.drop(),
});
