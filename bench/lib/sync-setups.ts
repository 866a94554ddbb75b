/**
 * The three servers ready for a fan-out run (lib/fanout.ts), each a fresh process with its own
 * kind of client: the floor and Concord with the stock y-websocket client, Hocuspocus with its
 * own provider. Concord gets fresh documents (one per room) and one user per client, each an
 * owner of the workspace with a ticket for its room, as the web app would issue. Every room's
 * document starts as FANOUT_SEED (plan-content.ts: the plan metric whose baseline map the clients
 * write into) on every server: each client holds it before it connects, and Concord's store holds
 * it before the first client connects.
 */
import type { ConcordDatabase } from './concord-db.js';
import { FANOUT_SEED } from './plan-content.js';
import { startServer, type ServerProcess } from './server-process.js';
import { hocuspocusClient, stockClient, type BenchClient } from './sync-clients.js';

export interface Setup {
  servers: ServerProcess[];
  connect(room: number, index: number): BenchClient;
  readiness: 'synced' | 'opened';
}

export interface Shape {
  rooms: number;
  clientsPerRoom: number;
}

export async function floorSetup(): Promise<Setup> {
  const server = await startServer('floor');
  return {
    servers: [server],
    // The floor keeps no document: a client alone in its room never hears a sync step 2.
    readiness: 'opened',
    connect: (room, index) =>
      stockClient(server.wsBase, `room-${room}`, {
        name: `client ${room}.${index}`,
        state: FANOUT_SEED,
      }),
  };
}

export async function hocuspocusSetup(env: Record<string, string> = {}): Promise<Setup> {
  const server = await startServer('hocuspocus', env);
  return {
    servers: [server],
    readiness: 'synced',
    connect: (room, index) =>
      hocuspocusClient(server.wsBase, `room-${room}`, {
        name: `client ${room}.${index}`,
        state: FANOUT_SEED,
      }),
  };
}

/** `instances` Concord processes on `db`; a room's clients alternate between them. */
export async function concordSetup(
  db: ConcordDatabase,
  shape: Shape,
  options: { instances?: number; env?: Record<string, string> } = {},
): Promise<Setup> {
  const { userIds, documentIds } = await db.seed(
    shape.rooms * shape.clientsPerRoom,
    shape.rooms,
    FANOUT_SEED,
  );
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < (options.instances ?? 1); i++) {
      servers.push(await startServer('concord', { ...db.env, ...options.env }));
    }
  } catch (e) {
    for (const s of servers) await s.stop();
    throw e;
  }
  return {
    servers,
    readiness: 'synced',
    connect: (room, index) => {
      const documentId = documentIds[room]!;
      const userId = userIds[room * shape.clientsPerRoom + index]!;
      return stockClient(`${servers[index % servers.length]!.wsBase}/sync`, documentId, {
        params: { ticket: db.ticket(userId, documentId) },
        name: `client ${room}.${index}`,
        state: FANOUT_SEED,
      });
    },
  };
}
