/**
 * Starting and stopping the PRODUCTION build of Concord as `npm start` runs it: the one-process
 * host (`node apps/web/build/host/main.js`: the database opened once, the sync server, then the
 * web app), for the browser tests' globalSetup and for scripts. Builds nothing: a missing build
 * is an error that says what to run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_BUILD_ENTRY = resolve(REPO_ROOT, 'apps/web/build/index.js');
export const HOST_BUILD_ENTRY = resolve(REPO_ROOT, 'apps/web/build/host/main.js');

export interface RunningServer {
  url: string;
  /** The sync server's WebSocket base (`ws://127.0.0.1:<port>/sync`). */
  syncUrl: string;
  pid: number;
  stop: () => Promise<void>;
}

/** Asks the OS for a free port on 127.0.0.1 (adapter-node does not report the port for PORT=0). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not get a free port'));
        return;
      }
      probe.close(() => resolvePort(address.port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  }, 5_000);
  await exited(child);
  clearTimeout(timer);
}

export interface WebServerOptions {
  timeoutMs?: number;
  /** Port to listen on (default: a free one); pass one when another service must know it first. */
  port?: number;
  /** The sync server's port (default: a free one). */
  syncPort?: number;
  /**
   * Extra environment (DATABASE_URL, OIDC_*, ...) on top of this process's. Unless set here or
   * there: an in-memory PGlite (never the developer's data directory), no demo seed, a random
   * SYNC_TICKET_SECRET.
   */
  env?: Record<string, string>;
}

export async function startWebServer(options: WebServerOptions = {}): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (const entry of [WEB_BUILD_ENTRY, HOST_BUILD_ENTRY]) {
    if (!existsSync(entry)) {
      throw new Error(
        `The production build of the web app is missing (${entry}).\n` +
          'Run `pnpm build` first (or `pnpm --filter @concord/web build`); the browser tests build nothing themselves.',
      );
    }
  }
  const port = options.port ?? (await freePort());
  const syncPort = options.syncPort ?? (await freePort());
  const host = '127.0.0.1';
  const url = `http://${host}:${port}`;
  const syncUrl = `ws://${host}:${syncPort}/sync`;
  const child = spawn(process.execPath, [HOST_BUILD_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      PGLITE_DATA_DIR: 'memory://',
      DEMO_SEED: 'off',
      SYNC_TICKET_SECRET: randomBytes(32).toString('base64url'),
      ...process.env,
      ...options.env,
      PORT: String(port),
      SYNC_PORT: String(syncPort),
      HOST: host,
      ORIGIN: url,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // WEB_SERVER_LOG=1 shows the server's own log (errors in actions, single sign-on failures).
  const echo = process.env.WEB_SERVER_LOG === '1';
  const keep = (chunk: Buffer) => {
    if (echo) process.stderr.write(chunk);
    else if (output.length < 100_000) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The host (web and sync server) exited (code ${child.exitCode}, signal ${child.signalCode}) before answering.\n${output}`,
      );
    }
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.ok) {
        return {
          url,
          syncUrl,
          pid: child.pid ?? -1,
          stop: () => stopChild(child),
        };
      }
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stopChild(child);
  throw new Error(
    `The web server at ${url} did not answer within ${timeoutMs} ms (last: ${lastError}).\n${output}`,
  );
}
