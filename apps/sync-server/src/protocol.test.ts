import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  closeReason,
  decodeClientMessage,
  decodeSaved,
  encodePermissionDenied,
  encodeSaved,
  MESSAGE_SAVED,
} from './protocol.js';

const frame = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

describe('decodeClientMessage', () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hi');
  const update = Y.encodeStateAsUpdate(doc);

  it('reads the four client messages', () => {
    const step1 = frame((e) => {
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
    });
    expect(decodeClientMessage(step1)).toMatchObject({ ok: true, value: { type: 'sync-step1' } });
    for (const [sub, type] of [
      [1, 'sync-step2'],
      [2, 'sync-update'],
    ] as const) {
      const f = frame((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, sub);
        encoding.writeVarUint8Array(e, update);
      });
      const decoded = decodeClientMessage(f);
      expect(decoded).toMatchObject({ ok: true, value: { type } });
      expect(decoded.ok && 'update' in decoded.value && [...decoded.value.update]).toEqual([
        ...update,
      ]);
    }
    const awareness = frame((e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(
        e,
        frame((a) => {
          encoding.writeVarUint(a, 1);
          encoding.writeVarUint(a, 42);
          encoding.writeVarUint(a, 3);
          encoding.writeVarString(a, '{"user":{"name":"Ana"}}');
        }),
      );
    });
    expect(decodeClientMessage(awareness)).toMatchObject({
      ok: true,
      value: { type: 'awareness' },
    });
    expect(decodeClientMessage(Uint8Array.of(3))).toEqual({
      ok: true,
      value: { type: 'query-awareness' },
    });
  });

  it('refuses anything else, with a reason', () => {
    const reasons = [
      Uint8Array.of(),
      Uint8Array.of(0x80), // unterminated varint
      Uint8Array.of(7),
      Uint8Array.of(2, 0, 0), // auth is server -> client only
      Uint8Array.of(0, 9, 0),
      Uint8Array.of(0, 2, 50, 1, 2), // length beyond the frame
      Uint8Array.of(3, 0), // trailing byte
      Uint8Array.of(0, 0, 1, 0x80), // state vector with a broken varint
      frame((e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeVarUint8Array(
          e,
          frame((a) => {
            encoding.writeVarUint(a, 1);
            encoding.writeVarUint(a, 1);
            encoding.writeVarUint(a, 1);
            encoding.writeVarString(a, '{not json');
          }),
        );
      }),
    ].map((f) => decodeClientMessage(f));
    for (const r of reasons) expect(r.ok).toBe(false);
    expect(reasons.map((r) => (r.ok ? '' : r.error.reason))).toEqual([
      'truncated or malformed frame',
      'truncated or malformed frame',
      'unknown message type 7',
      'unknown message type 2',
      'unknown sync message type 9',
      'truncated or malformed frame',
      'trailing bytes after the message',
      'truncated or malformed frame',
      'awareness state is not JSON',
    ]);
  });
});

describe('server messages', () => {
  it('encodes SAVED with the seq and the count', () => {
    const f = encodeSaved(300, 7);
    expect(f[0]).toBe(MESSAGE_SAVED);
    expect(decodeSaved(f)).toEqual({ seq: 300, count: 7 });
    expect(decodeSaved(encodePermissionDenied('no'))).toBeNull();
  });

  it('keeps close reasons within 123 bytes', () => {
    expect(closeReason('short')).toBe('short');
    const long = closeReason('é'.repeat(200));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long.endsWith('...')).toBe(true);
  });
});
