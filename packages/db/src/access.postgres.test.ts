/** The access facts on PostgreSQL, in a scratch database of its own (dropped after). */
import { accessFactsContract } from './access.contract.js';
import { createDb } from './create-db.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';

let scratch: ScratchDatabase | undefined;

accessFactsContract('PostgreSQL', {
  async open() {
    scratch = await createScratchDatabase();
    return createDb({ databaseUrl: scratch.url });
  },
  teardown: async () => scratch?.drop(),
});
