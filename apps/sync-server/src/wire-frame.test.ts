import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { WireFrame } from './wire-frame.js';

/** Payload lengths at each edge of the three length encodings. */
const LENGTHS = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];

function payload(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('WireFrame', () => {
  let http: Server;
  let wss: WebSocketServer;
  let url = '';

  beforeAll(async () => {
    http = createServer();
    wss = new WebSocketServer({ server: http, perMessageDeflate: false });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    wss.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('encodes each length as ws does: FIN, binary, unmasked, 7/16/64-bit length', () => {
    expect([...new WireFrame(payload(3, 1)).bytes]).toEqual([0x82, 3, 1, 32, 63]);
    const at126 = new WireFrame(payload(126, 0)).bytes;
    expect([...at126.subarray(0, 4)]).toEqual([0x82, 126, 0, 126]);
    expect(at126.byteLength).toBe(4 + 126);
    const at65536 = new WireFrame(payload(65_536, 0)).bytes;
    expect([...at65536.subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(at65536.byteLength).toBe(10 + 65_536);
  });

  it('reaches a ws client intact and in order beside ws.send on the same socket', async () => {
    const accepted = new Promise<{ socket: WebSocket; tcp: { write(b: Uint8Array): unknown } }>(
      (resolve) =>
        wss.once('connection', (socket, request) => resolve({ socket, tcp: request.socket })),
    );
    const client = new WebSocket(url);
    const received: Buffer[] = [];
    const expected: Uint8Array[] = [];
    client.binaryType = 'nodebuffer';
    client.on('message', (data: Buffer) => received.push(data));
    const { socket, tcp } = await accepted;
    // Alternate the two paths so any interleaving or framing error shows up as a bad message.
    LENGTHS.forEach((length, i) => {
      const viaFrame = payload(length, i);
      tcp.write(new WireFrame(viaFrame).bytes);
      expected.push(viaFrame);
      const viaWs = payload(length, i + 100);
      socket.send(viaWs, { binary: true });
      expected.push(viaWs);
    });
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(expected.length);
    received.forEach((message, i) => expect(Buffer.compare(message, expected[i]!)).toBe(0));
    client.close();
  });
});
