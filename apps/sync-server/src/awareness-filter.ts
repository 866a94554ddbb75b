/**
 * Recognises an awareness update that y-protocols' applyAwarenessUpdate would ignore, without
 * parsing its JSON states. The stock client re-broadcasts every awareness update it receives, so
 * each presence change or 15-second renewal comes back from every other client in the room with
 * the same clock: N² messages per round that change nothing. Dropping them here skips
 * applyAwarenessUpdate's JSON.parse and bookkeeping for each; what happens to the awareness is
 * the same (it would have ignored them).
 *
 * The rule mirrored (y-protocols 1.0.x applyAwarenessUpdate): an entry is applied when its clock
 * is newer than the one held for that client, or equal with a null state while a state is held
 * (a removal). An update is stale when no entry is applied.
 *
 * Only for updates that decodeClientMessage has already checked (well-formed, JSON states).
 */
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';

/** The bytes of the JSON text `null`. */
const NULL_JSON = [0x6e, 0x75, 0x6c, 0x6c] as const;

export function isStaleAwarenessUpdate(awareness: Awareness, update: Uint8Array): boolean {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarUint8Array(decoder);
    const held = awareness.meta.get(clientId)?.clock ?? 0;
    if (held < clock) return false;
    if (held === clock && awareness.states.has(clientId) && isNullJson(state)) return false;
  }
  return true;
}

/** Whether JSON text (UTF-8, already known to be valid JSON) is `null`, with any JSON
 * whitespace around it. */
function isNullJson(bytes: Uint8Array): boolean {
  let start = 0;
  let end = bytes.length;
  while (start < end && isJsonSpace(bytes[start]!)) start++;
  while (end > start && isJsonSpace(bytes[end - 1]!)) end--;
  if (end - start !== NULL_JSON.length) return false;
  return NULL_JSON.every((b, i) => bytes[start + i] === b);
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
