/** The demo seed on PostgreSQL, in a scratch database of its own (dropped after). */
import { createDb } from '../create-db.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing.js';
import { seedContract } from './demo.contract.js';

let scratch: ScratchDatabase | undefined;

seedContract('PostgreSQL', {
  async open() {
    scratch = await createScratchDatabase();
    return createDb({ databaseUrl: scratch.url });
  },
  teardown: async () => scratch?.drop(),
});
