/**
 * A client that stops reading (R4's family of limits): what the server would send it queues in
 * the server's memory, so once more than maxSendBufferBytes waits for it, it is closed with
 * SLOW_CONSUMER (logged). Relays are written as frames built once for the whole room
 * (wire-frame.ts), so this also shows that path keeps the bound, and that the readers who do read
 * get every message, in order, and stay connected.
 */
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSE, encodeAwareness, MESSAGE_AWARENESS } from '../src/protocol.js';
import { rawClient, syncBarrier, useSyncServer, waitFor } from './support.js';

const MAX_SEND_BUFFER = 1024 * 1024;
const fx = useSyncServer({
  limits: {
    maxSendBufferBytes: MAX_SEND_BUFFER,
    messagesPerSecond: 100_000,
    messageBurst: 100_000,
  },
});

/** Each presence change is this big, and different, so every one is relayed at once. */
const STATE_CHARS = 30_000;
/** Loopback TCP buffers take several MB before anything queues in the server: a bound on the
 * test, far above what it needs. */
const MAX_MESSAGES = 3_000;

describe('slow consumer', () => {
  it('closes a client that stops reading with 4531; the readers get everything', async () => {
    const documentId = await fx.db.newDocument();
    const open = () =>
      rawClient(fx.server.url, documentId, fx.server.ticket(documentId, fx.db.userId));
    const [slow, reader, writer] = [await open(), await open(), await open()];
    for (const c of [slow, reader, writer]) await syncBarrier(c);
    slow.socket.pause();

    const awareness = new Awareness(new Y.Doc());
    const blob = 'x'.repeat(STATE_CHARS);
    const closedSlow = () =>
      fx.server.logs.some(
        (l) =>
          l.msg === 'closing sync connection' && l.code === CLOSE.SLOW_CONSUMER && l.level === 40,
      );
    const changes = () =>
      reader.frames.filter((f) => f[0] === MESSAGE_AWARENESS && f.length > STATE_CHARS);
    let sent = 0;
    while (!closedSlow() && sent < MAX_MESSAGES) {
      for (let i = 0; i < 10; i++, sent++) {
        awareness.setLocalState({ blob, n: sent });
        writer.send(encodeAwareness(encodeAwarenessUpdate(awareness, [awareness.clientID])));
      }
      // The reader keeps up (it shares this process with the writer), so only the paused
      // client falls behind.
      await waitFor(() => changes().length === sent, 'the reader to keep up');
    }
    expect(closedSlow()).toBe(true);

    // The reader got every change, the last one last, and is still connected.
    const last = changes().at(-1);
    // (The state as sent, with the server's `user` after it.)
    expect(Buffer.from(last!).toString('latin1')).toMatch(new RegExp(`"n":${sent - 1}[,}]`));
    expect(reader.closeInfo).toBeNull();
    expect(writer.closeInfo).toBeNull();

    // Reading again, the slow client finds the close after what was queued for it.
    slow.socket.resume();
    expect((await slow.closed).code).toBe(CLOSE.SLOW_CONSUMER);
  });
});
