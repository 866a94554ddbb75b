/**
 * A message framed once for many connections. A room relays every update and presence change to
 * all its other connections, and `ws` frames a message anew for every send: an options object, a
 * header buffer, and a corked two-part write that Node's stream buffers and hands to writev. At
 * P1's fan-out (49 receivers a message) that was most of what the server allocated, and garbage is
 * what sets the pace of its collections (docs/BENCHMARKS.md). A WireFrame is the whole WebSocket
 * frame in one buffer, built once and written to each connection's TCP socket with one write
 * (Connection.sendFrame).
 *
 * The frame is what `ws` itself sends from a server (RFC 6455 section 5.2): FIN set, the binary
 * opcode, no mask (only clients mask), and the payload length in 7, 7+16 or 7+64 bits. Writing it
 * beside `ws`'s own writes (pongs, close frames, single sends) is safe because, with
 * permessage-deflate off (app.ts) and no Blob ever sent, `ws` writes each frame synchronously in
 * one go: frames never interleave, and the connection checks `ws`'s state before every write.
 */

/** FIN + opcode 2 (binary message). */
const FIN_BINARY = 0x82;
/** Payload lengths above these take the 16-bit and the 64-bit extended length. */
const MAX_7_BIT_LENGTH = 125;
const MAX_16_BIT_LENGTH = 0xffff;
const LENGTH_16_BIT = 126;
const LENGTH_64_BIT = 127;

export class WireFrame {
  /** The frame as it goes on the wire: header and payload. */
  readonly bytes: Buffer;

  /** `message` is one protocol message (protocol.ts), the frame's payload. */
  constructor(readonly message: Uint8Array) {
    const length = message.byteLength;
    const headerLength =
      length <= MAX_7_BIT_LENGTH ? 2 : length <= MAX_16_BIT_LENGTH ? 2 + 2 : 2 + 8;
    const bytes = Buffer.allocUnsafe(headerLength + length);
    bytes[0] = FIN_BINARY;
    if (headerLength === 2) {
      bytes[1] = length;
    } else if (headerLength === 4) {
      bytes[1] = LENGTH_16_BIT;
      bytes.writeUInt16BE(length, 2);
    } else {
      bytes[1] = LENGTH_64_BIT;
      // A JavaScript length fits in 53 bits: the top 16 of the 64 are zero.
      bytes.writeUInt16BE(0, 2);
      bytes.writeUIntBE(length, 4, 6);
    }
    bytes.set(message, headerLength);
    this.bytes = bytes;
  }
}
