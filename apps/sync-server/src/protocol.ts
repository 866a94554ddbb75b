/**
 * The wire protocol on the server's side: strict decoding of every client frame and encoding of
 * what the server sends. The message type numbers and close codes are shared with the web
 * client and live in @concord/sync-protocol (re-exported here, so the server's modules have one
 * protocol module to import from). Decoding returns errors as values, so a malformed frame is a
 * reason to close one connection, never an exception that escapes.
 *
 * Frames: see @concord/sync-protocol's messages.ts (ROUND commands: rounds/commands.ts); in
 * addition, the server sends
 *   [1 AWARENESS] varBytes([0])                     server -> client: KEEPALIVE (no entries)
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  AUTH_PERMISSION_DENIED,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_ROUND,
  MESSAGE_ROUND_RESULT,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from '@concord/sync-protocol';
import { err, ok, type Result } from './result.js';

export {
  AUTH_PERMISSION_DENIED,
  CLOSE,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_ROUND,
  MESSAGE_ROUND_RESULT,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  type CloseCode,
} from '@concord/sync-protocol';

/** Longest round command accepted (a JSON object of a few ids). */
export const MAX_ROUND_COMMAND_BYTES = 16 * 1024;

/**
 * Keepalive: an awareness update with no entries, sent to a connection that has heard nothing
 * for KEEPALIVE_IDLE_MS. The stock y-websocket client closes and reconnects a socket that has
 * received no message for 30 s (it expects its own awareness renewals back, which we do not
 * echo), so a client alone in a room, or without presence, would otherwise drop every 30 s.
 * Applying it changes nothing and fires no awareness event, so the client sends nothing back.
 */
export const KEEPALIVE_FRAME = new Uint8Array([MESSAGE_AWARENESS, 1, 0]);

/** A decoded client frame. Byte fields are views into the frame (no copy). */
export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'round'; json: string };

/** Why a frame was refused: a short reason for the close frame and the log. */
export interface ProtocolError {
  reason: string;
}

/**
 * Decodes one client frame, strictly: the whole frame must be exactly one message. The update
 * inside a sync message is not checked here (see guard/decode.ts: that needs the document);
 * the awareness update is, since checking it needs nothing else.
 */
export function decodeClientMessage(frame: Uint8Array): Result<ClientMessage, ProtocolError> {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    switch (type) {
      case MESSAGE_SYNC: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SYNC_STEP1) {
          // Decoding checks the varints; the result itself is not needed here.
          Y.decodeStateVector(payload);
          message = { type: 'sync-step1', stateVector: payload };
        } else if (step === SYNC_STEP2) message = { type: 'sync-step2', update: payload };
        else if (step === SYNC_UPDATE) message = { type: 'sync-update', update: payload };
        else return err({ reason: `unknown sync message type ${step}` });
        break;
      }
      case MESSAGE_AWARENESS: {
        const update = decoding.readVarUint8Array(decoder);
        const check = checkAwarenessUpdate(update);
        if (!check.ok) return check;
        message = { type: 'awareness', update };
        break;
      }
      case MESSAGE_QUERY_AWARENESS:
        message = { type: 'query-awareness' };
        break;
      case MESSAGE_ROUND: {
        if (frame.byteLength > MAX_ROUND_COMMAND_BYTES) {
          return err({ reason: 'round command too large' });
        }
        message = { type: 'round', json: decoding.readVarString(decoder) };
        break;
      }
      default:
        // Includes AUTH: only the server sends it.
        return err({ reason: `unknown message type ${type}` });
    }
    if (decoding.hasContent(decoder)) return err({ reason: 'trailing bytes after the message' });
    return ok(message);
  } catch {
    return err({ reason: 'truncated or malformed frame' });
  }
}

/** An awareness update is varUint(n), then n x (varUint client, varUint clock, varString JSON). */
function checkAwarenessUpdate(update: Uint8Array): Result<true, ProtocolError> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    try {
      JSON.parse(json);
    } catch {
      return err({ reason: 'awareness state is not JSON' });
    }
  }
  if (decoding.hasContent(decoder)) return err({ reason: 'trailing bytes in awareness update' });
  return ok(true);
}

// ---- Encoding (server -> client) ----

function encode(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, stateVector);
  });
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });
}

/** y-protocols auth "permission denied"; the stock client logs the reason and stays connected. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, AUTH_PERMISSION_DENIED);
    encoding.writeVarString(e, reason);
  });
}

export function encodeSaved(seq: number, count: number): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_SAVED);
    encoding.writeVarUint(e, seq);
    encoding.writeVarUint(e, count);
  });
}

/** The answer to a round command: `{ id, ok: true }` or `{ id, ok: false, error }`. */
export function encodeRoundResult(result: object): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_ROUND_RESULT);
    encoding.writeVarString(e, JSON.stringify(result));
  });
}

/** A round command frame (for clients and tests). */
export function encodeRoundCommand(command: object): Uint8Array {
  return encode((e) => {
    encoding.writeVarUint(e, MESSAGE_ROUND);
    encoding.writeVarString(e, JSON.stringify(command));
  });
}

/** Reads a ROUND_RESULT frame; null if the frame is something else. */
export function decodeRoundResult(frame: Uint8Array): unknown {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_ROUND_RESULT) return null;
    return JSON.parse(decoding.readVarString(decoder));
  } catch {
    return null;
  }
}

/** Reads a SAVED frame (for clients and tests); null if the frame is something else. */
export function decodeSaved(frame: Uint8Array): { seq: number; count: number } | null {
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_SAVED) return null;
    return { seq: decoding.readVarUint(decoder), count: decoding.readVarUint(decoder) };
  } catch {
    return null;
  }
}

/** The close frame's reason is at most 123 bytes (RFC 6455); longer reasons are cut. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason, 'utf8') <= 123) return reason;
  let cut = reason.slice(0, 120);
  while (Buffer.byteLength(cut, 'utf8') > 120) cut = cut.slice(0, -1);
  return `${cut}...`;
}
