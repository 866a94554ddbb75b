// @ts-check
/**
 * The floor: the least work a relay can do. A raw `ws` server that forwards every binary frame
 * of a room (the URL path) to the room's other sockets unparsed, and drops awareness (message
 * type 1) because relaying the stock client's awareness echoes blindly turns every renewal into
 * an N² storm (TARGETS.md, "Anchors"). No document, no persistence, no auth.
 *
 * Plain JavaScript on purpose: every benchmark server runs as plain `node` (no TypeScript
 * loader in the process), so the RSS and CPU the benchmarks sample are the server's own.
 *
 *   PORT=1234 node bench/servers/floor.mjs     prints {"listening":port} when ready
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/** y-protocols message type of an awareness update (its first byte, a one-byte varUint). */
const MESSAGE_AWARENESS = 1;
const OPEN = 1;

/** @type {Map<string, Set<import('ws').WebSocket>>} */
const rooms = new Map();

const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('floor');
});
const wss = new WebSocketServer({ server: http });

wss.on('connection', (socket, req) => {
  const name = (req.url ?? '/').split('?')[0] ?? '/';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  const peers = room;
  peers.add(socket);
  socket.on('message', (data, isBinary) => {
    if (!isBinary || !(data instanceof Buffer) || data[0] === MESSAGE_AWARENESS) return;
    for (const peer of peers) if (peer !== socket && peer.readyState === OPEN) peer.send(data);
  });
  socket.on('close', () => {
    peers.delete(socket);
    if (peers.size === 0) rooms.delete(name);
  });
  socket.on('error', () => socket.terminate());
});

const stop = () => {
  for (const socket of wss.clients) socket.terminate();
  wss.close();
  http.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

http.listen(Number(process.env.PORT ?? 1234), '127.0.0.1', () => {
  const address = http.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' && address?.port }));
});
