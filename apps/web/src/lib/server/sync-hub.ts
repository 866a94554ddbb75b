/**
 * The sync server running in this process, when there is one (`npm start`'s host and `vite dev`
 * put its hub at `globalThis[Symbol.for('concord.sync')]`). After a role change or removal the
 * web app asks it to re-check that workspace's open connections at once; without it (the sync
 * server in its own process) the sync server's audit-log watcher does the same within about a
 * second, so this is a shortcut, never the only path.
 */
const SYNC_GLOBAL_KEY = Symbol.for('concord.sync');

interface InProcessHub {
  recheckAccess(target: { workspaceId: string }): Promise<unknown>;
}

export function recheckOpenConnections(workspaceId: string): void {
  const hub = (globalThis as Record<symbol, InProcessHub | undefined>)[SYNC_GLOBAL_KEY];
  // Fire and forget: the change is committed; a failed recheck is retried by the watcher.
  hub?.recheckAccess({ workspaceId }).catch(() => undefined);
}
