/**
 * The real sync server as a child process, started as `pnpm start` starts it (NODE_FLAGS and the
 * bundle, START_ENTRY: apps/sync-server/dist/bundle/main.js), for tests that
 * stop it the way production does (SIGTERM) or the way a crash does (SIGKILL) and start it again
 * on the same port. Every child started here is remembered until it has exited, so a failing
 * test's afterEach/afterAll can kill what is left by its pid (`killSyncServers`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NODE_FLAGS, START_ENTRY } from '@concord/sync-server/node-flags';
import { REPO_ROOT } from '../../setup/server.js';

export const SYNC_SERVER_ENTRY = resolve(REPO_ROOT, 'apps/sync-server', START_ENTRY);

/** HMAC key the tests and their servers share (at least 32 bytes, as the server requires). */
export const TICKET_SECRET = 'cross-package-sync-tests-secret-0123456789abcdef';

/** How long a start may take before the test gives up (PostgreSQL start is ~0.3 s). */
const START_TIMEOUT_MS = 15_000;
/** How long a SIGTERM may take before the harness kills the child (the server's own limit is
 * its flush timeout plus a grace period; a test fails long before that matters). */
const STOP_TIMEOUT_MS = 20_000;
/** Output kept per child for failure messages. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SyncServerProcess {
  pid: number;
  port: number;
  /** ws://127.0.0.1:port/sync: the y-websocket server URL (the document id is appended). */
  url: string;
  /** True until the child has exited. */
  readonly running: boolean;
  /** Resolves when the child exits. */
  readonly exited: Promise<ServerExit>;
  /** The last few KB of stdout and stderr, for failure messages. */
  output(): string;
  /** Sends `signal` to this child (by pid) and waits for it to exit. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<ServerExit>;
}

export interface StartOptions {
  port: number;
  /** PostgreSQL; without it the server uses PGlite (PGLITE_DATA_DIR in `env`). */
  databaseUrl?: string;
  /** Extra environment (e.g. limits), on top of the minimal one the harness sets. */
  env?: Record<string, string>;
}

const live = new Set<ChildProcess>();

// Last resort when the test worker itself goes away (a crash, a hard timeout) before afterAll:
// 'exit' listeners run synchronously, which a kill by pid is.
process.once('exit', () => {
  for (const child of live) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
});

/** Starts the built server and resolves once `GET /health` answers 200. */
export async function startSyncServer(options: StartOptions): Promise<SyncServerProcess> {
  if (!existsSync(SYNC_SERVER_ENTRY)) {
    throw new Error(
      `The sync server is not built (${SYNC_SERVER_ENTRY} is missing). Run \`pnpm --filter @concord/sync-server build\`; the sync tests' globalSetup normally does this.`,
    );
  }
  const host = '127.0.0.1';
  // A minimal environment: nothing from the developer's shell (REDIS_URL, NODE_ENV...) changes
  // what the tests run against.
  // As production starts it (`pnpm start`: the server's V8 flags). SYNC_TEST_NODE_FLAGS adds
  // more for a diagnosis run (--trace-gc), SYNC_TEST_SERVER_LOG=<dir> keeps each child's whole
  // output in <dir>/sync-server-<pid>.log.
  const extra = process.env.SYNC_TEST_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...extra, SYNC_SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: host,
      PORT: String(options.port),
      ...(options.databaseUrl !== undefined && { DATABASE_URL: options.databaseUrl }),
      SYNC_TICKET_SECRET: TICKET_SECRET,
      LOG_LEVEL: 'warn',
      ...options.env,
      // SYNC_TEST_ENV='{"NAME":"value"}': more environment for a diagnosis run.
      ...(process.env.SYNC_TEST_ENV &&
        (JSON.parse(process.env.SYNC_TEST_ENV) as Record<string, string>)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const logDir = process.env.SYNC_TEST_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    if (logDir && child.pid !== undefined)
      appendFileSync(join(logDir, `sync-server-${child.pid}.log`), chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // 'close', not 'exit': by then stdout and stderr are drained too, so output() is complete.
  const exited = new Promise<ServerExit>((resolveExit) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      resolveExit({ code, signal });
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${SYNC_SERVER_ENTRY}`);
  const running = () => child.exitCode === null && child.signalCode === null;

  const health = `http://${host}:${options.port}/health`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  for (;;) {
    if (!running()) {
      throw new Error(
        `the sync server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering ${health}:\n${output}`,
      );
    }
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) break;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      throw new Error(
        `the sync server did not answer ${health} within ${START_TIMEOUT_MS} ms (last: ${last}):\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  return {
    pid,
    port: options.port,
    url: `ws://${host}:${options.port}/sync`,
    get running() {
      return running();
    },
    exited,
    output: () => output,
    async stop(signal) {
      if (!running()) return exited;
      process.kill(pid, signal);
      const timer = setTimeout(() => {
        if (running()) process.kill(pid, 'SIGKILL');
      }, STOP_TIMEOUT_MS);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/** Kills (SIGKILL, by pid) every server child this process started that is still running. */
export async function killSyncServers(): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolveExit) => {
          if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
            resolveExit();
            return;
          }
          child.once('close', () => resolveExit());
          process.kill(child.pid, 'SIGKILL');
        }),
    ),
  );
}
