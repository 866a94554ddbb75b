/**
 * An open connection does not keep the HTTP request it was upgraded from. @fastify/websocket
 * leaves references to the request (an 'error' listener closing over it, the TCP socket's
 * routing response) that would hold its headers, ticket URL and Fastify objects, ~4 KB, for the
 * connection's lifetime: at 2,000 connections as much as the sockets themselves (P2). The app
 * drops them once the socket is open; WebSocket errors are still logged.
 */
import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { rawClient, useSyncServer, waitFor } from './support.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const fx = useSyncServer();

describe('the upgrade request', () => {
  it('is collected while its connection stays open', async () => {
    const requests: WeakRef<IncomingMessage>[] = [];
    const sockets: WebSocket[] = [];
    const onConnection = (socket: WebSocket, request: IncomingMessage) => {
      requests.push(new WeakRef(request));
      sockets.push(socket);
    };
    fx.server.app.websocketServer.on('connection', onConnection);
    const documentId = await fx.db.newDocument();
    const clients = [];
    for (let i = 0; i < 5; i++) {
      const c = await rawClient(
        fx.server.url,
        documentId,
        fx.server.ticket(documentId, fx.db.userId),
      );
      await waitFor(() => c.frames.length > 0, 'sync step 1');
      clients.push(c);
    }
    fx.server.app.websocketServer.off('connection', onConnection);
    expect(requests).toHaveLength(5);
    // deref() keeps its target alive to the end of the current job, so each collection runs in a
    // job of its own, between two checks.
    const collected = () => requests.filter((r) => r.deref() === undefined).length;
    const tick = () => new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 10; i++) {
      await tick();
      gc();
      await tick();
      if (collected() === requests.length) break;
    }
    expect(collected(), 'upgrade requests collected').toBe(requests.length);
    // ...while every connection is still open and answering.
    expect(clients.every((c) => c.closeInfo === null)).toBe(true);
    expect(fx.server.app.sync.stats().connections).toBe(5);

    // An error on an open socket is still logged (and does not throw for want of a listener).
    sockets[0]!.emit('error', new Error('simulated socket error'));
    expect(fx.server.logs.some((l) => l.msg === 'websocket error')).toBe(true);
    for (const c of clients) c.close();
  });
});
