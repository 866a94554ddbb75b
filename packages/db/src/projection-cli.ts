#!/usr/bin/env node
/**
 * `pnpm --filter @concord/db project` (`node packages/db/dist/projection-cli.js` after a build;
 * no package bin: pnpm links bins before the build makes them): rebuilds the query tables
 * (`consensus`, `ratings`, `instrument_states`; `goals`, `action_steps`, `metrics`) from the
 * stored documents of the database the environment names (PGlite in PGLITE_DATA_DIR by
 * default, PostgreSQL with DATABASE_URL), as the sync server keeps them in step. Idempotent:
 * rows already in step are left as they are. `--workspace <id>` rebuilds one workspace only.
 */
import { parseArgs } from 'node:util';
import { describeDbConfig } from './config.js';
import { createDb } from './create-db.js';
import { rebuildProjections } from './projection.js';
import { createDocumentStore } from './sql-store.js';

const USAGE = 'usage: pnpm --filter @concord/db project [--workspace <workspace id>]';

async function main(): Promise<number> {
  let workspaceId: string | null = null;
  try {
    // `pnpm … project -- --workspace <id>` passes the `--` on.
    const args = process.argv.slice(2);
    const { values } = parseArgs({
      args: args[0] === '--' ? args.slice(1) : args,
      options: { workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    workspaceId = values.workspace ?? null;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (workspaceId !== null && !/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(workspaceId)) {
    console.error(`--workspace: ${workspaceId} is not a workspace id (UUID)\n${USAGE}`);
    return 2;
  }
  const handle = await createDb();
  try {
    const result = await rebuildProjections(handle.sql, createDocumentStore(handle), {
      workspaceId,
    });
    console.log(
      `Projected ${result.documents} document(s) in ${describeDbConfig(handle.config)}` +
        `${workspaceId ? ` (workspace ${workspaceId})` : ''}: ${result.consensusRows} consensus ` +
        `and ${result.ratingsRows} ratings rows, ${result.goalRows} goals ` +
        `(${result.goalOwnerRows} owners), ${result.actionStepRows} action steps and ` +
        `${result.metricRows} metrics rows (${result.metricValueRows} measurements), ` +
        `${result.changed} changed, in ` +
        `${Math.round(result.ms)} ms.`,
    );
    for (const s of result.skipped) {
      console.log(
        `Skipped ${s.documentId}: template ${s.templateId ?? '(none)'} v${s.templateVersion ?? '?'} is not one this build has.`,
      );
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `Rebuilding the query tables failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
