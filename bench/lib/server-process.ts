/**
 * The servers under test, each in its own child process on 127.0.0.1, started as plain `node`
 * (no TypeScript loader) so that the memory and CPU sampled from /proc are the server's own:
 *
 * - `concord`: the production build of apps/sync-server (the bundle, START_ENTRY, with the V8
 *   flags of its `pnpm start`: NODE_FLAGS), built first through
 *   turbo exactly as the sync tests do (a no-op when `pnpm bench` already built it);
 * - `hocuspocus`: bench/servers/hocuspocus.mjs (`@hocuspocus/server` 3.4.4, defaults);
 * - `floor`: bench/servers/floor.mjs (raw `ws` relay, awareness dropped).
 *
 * Ready means its HTTP port answers; a server that exits or does not answer within
 * START_TIMEOUT_MS is an error carrying its output, so a bad start fails the benchmark loudly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS, START_ENTRY } from '@concord/sync-server/node-flags';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..');
const CONCORD_ENTRY = join(REPO_ROOT, 'apps/sync-server', START_ENTRY);

const START_TIMEOUT_MS = 30_000;
/** After SIGTERM, how long a server may take to stop before it is killed. */
const STOP_TIMEOUT_MS = 15_000;
/** Output kept for error messages (the tail). */
const OUTPUT_KEEP_CHARS = 16_384;
/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every common kernel). */
const CLOCK_TICKS = 100;

export type ServerKind = 'concord' | 'hocuspocus' | 'floor';

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  port: number;
  /** ws://127.0.0.1:port — append the server's own path (`/sync` for Concord). */
  wsBase: string;
  /** Resident memory now (VmRSS of /proc/<pid>/status), bytes. */
  rssBytes(): number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds(): number;
  /** The output so far (tail), for error messages. */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after STOP_TIMEOUT_MS); resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Servers started and not yet stopped: killed if the benchmark process exits early. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

let concordBuilt = false;

/** Builds apps/sync-server (and what it depends on) if its sources changed; once per process. */
export function buildConcord(): void {
  if (concordBuilt) return;
  const result = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=@concord/sync-server', '--output-logs=errors-only'],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) {
    throw new Error(
      `Building the sync server failed (pnpm exec turbo run build --filter=@concord/sync-server, exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
    );
  }
  concordBuilt = true;
}

function entryOf(kind: ServerKind): string {
  switch (kind) {
    case 'concord':
      buildConcord();
      return CONCORD_ENTRY;
    case 'hocuspocus':
      return join(BENCH_DIR, 'servers/hocuspocus.mjs');
    case 'floor':
      return join(BENCH_DIR, 'servers/floor.mjs');
  }
}

function procStatus(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  const kb = Number(line?.split(/\s+/)[1]);
  if (!Number.isFinite(kb)) throw new Error(`no ${field} in /proc/${pid}/status`);
  return kb * 1024;
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/**
 * Starts one server. `env` is added to a minimal environment (PATH, NODE_ENV=production, HOST,
 * PORT); Concord needs DATABASE_URL or PGLITE_DATA_DIR and SYNC_TICKET_SECRET from the caller.
 */
export async function startServer(
  kind: ServerKind,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const entry = entryOf(kind);
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  // BENCH_NODE_FLAGS="--trace-gc ...": extra node flags for a diagnosis run (not a measurement).
  const flags = process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  // Concord runs with its production flags (what `pnpm start` passes); the others with node's
  // defaults, as their own docs start them.
  const own = kind === 'concord' ? NODE_FLAGS : [];
  const child = spawn(process.execPath, [...own, ...profile, ...flags, entry], {
    cwd: kind === 'concord' ? join(REPO_ROOT, 'apps/sync-server') : BENCH_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // BENCH_SERVER_LOG=<dir>: each server's whole output goes to <dir>/<kind>-<pid>.log too.
  const logDir = process.env.BENCH_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEEP_CHARS);
    if (logDir && child.pid !== undefined)
      appendFileSync(join(logDir, `${kind}-${child.pid}.log`), chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind}: the server process did not start`);
  live.add(pid);
  const exited = exitOf(child).then((code) => (live.delete(pid), code));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${kind}: the server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering on port ${port}.\n${output}`,
      );
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      throw new Error(
        `${kind}: no answer on port ${port} within ${START_TIMEOUT_MS} ms.\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  let stopping: Promise<number | null> | undefined;
  return {
    kind,
    pid,
    port,
    wsBase: `ws://127.0.0.1:${port}`,
    rssBytes: () => procStatus(pid, 'VmRSS'),
    cpuSeconds: () => procCpuSeconds(pid),
    output: () => output,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        process.kill(pid, 'SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
        }, STOP_TIMEOUT_MS);
        const code = await exited;
        clearTimeout(timer);
        return code;
      })();
      return stopping;
    },
  };
}
