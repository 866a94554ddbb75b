#!/usr/bin/env node
/**
 * `node packages/db/dist/seed/cli.js` (or `pnpm --filter @concord/db seed`): seeds the demo
 * workspace into the database the environment names (PGlite in PGLITE_DATA_DIR by default,
 * PostgreSQL with DATABASE_URL) and prints the sign-ins. Safe to run again: an existing demo is
 * left as it is.
 */
import { createDb } from '../create-db.js';
import { describeDbConfig } from '../config.js';
import { seedDemo } from './demo.js';
import { formatSignIns } from './sign-ins.js';

async function main(): Promise<number> {
  const handle = await createDb();
  try {
    const result = await seedDemo(handle);
    console.log(
      result.created
        ? `Demo workspace created in ${describeDbConfig(handle.config)}.`
        : `Demo workspace already exists in ${describeDbConfig(handle.config)}; nothing changed.`,
    );
    console.log(`\n${formatSignIns(result.signIns)}`);
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `Seeding the demo failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
