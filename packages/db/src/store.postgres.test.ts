/** The DocumentStore contract on PostgreSQL, in a scratch database of its own (dropped after). */
import { createDb } from './create-db.js';
import { documentStoreContract } from './store.contract.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';

let scratch: ScratchDatabase | undefined;

documentStoreContract('PostgreSQL', {
  async open() {
    scratch = await createScratchDatabase();
    return createDb({ databaseUrl: scratch.url });
  },
  teardown: async () => scratch?.drop(),
});
