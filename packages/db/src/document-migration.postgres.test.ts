/**
 * The start-up document migration on PostgreSQL, in scratch databases of its own (dropped
 * after): the shared contract, and several processes starting at once against one database
 * migrating each document once (the migration lock in migrate.ts).
 */
import { describe, expect, it } from 'vitest';
import { createDb } from './create-db.js';
import {
  documentMigrationContract,
  forgetMarker,
  headSeqs,
  storeV1Documents,
} from './document-migration.contract.js';
import { scratchPostgres } from './test-fixtures.js';
import { createScratchDatabase, type ScratchDatabase } from './testing.js';

let scratch: ScratchDatabase | undefined;

documentMigrationContract('PostgreSQL', {
  async open() {
    scratch = await createScratchDatabase();
    return createDb({ databaseUrl: scratch.url });
  },
  teardown: async () => scratch?.drop(),
});

describe('start-up document migration: PostgreSQL, several processes at once', () => {
  const db = scratchPostgres();

  it('migrates each document once when three processes start together', async () => {
    const [first] = db.keep(await createDb({ databaseUrl: db.url(), poolMax: 2 }));
    const ids = await storeV1Documents(first!);
    const all = [ids.assessment, ids.plan, ids.ratings];
    await forgetMarker(first!);
    const before = await headSeqs(first!, all);
    db.keep(
      ...(await Promise.all(
        Array.from({ length: 3 }, () => createDb({ databaseUrl: db.url(), poolMax: 1 })),
      )),
    );
    // One migration update per document: the others waited for the lock, then found the marker.
    expect(await headSeqs(first!, all)).toEqual(before.map((s) => s + 1));
  });
});
