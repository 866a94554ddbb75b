/**
 * Folding Yjs updates into one. `Y.mergeUpdates` works on the encoded bytes, without building a
 * Y.Doc, and its result applied to a Y.Doc gives the same content as applying every input in
 * turn; deleted content is kept as deletions, so merging a checkpoint with later updates is exact.
 */
import * as Y from 'yjs';

/** The encoding of an empty document: no structs, an empty delete set. */
export const EMPTY_UPDATE: Uint8Array = Uint8Array.of(0, 0);

export function mergeUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 0) return EMPTY_UPDATE;
  if (updates.length === 1) return updates[0]!;
  return Y.mergeUpdates([...updates]);
}

/** Whether the bytes decode as a Yjs (v1) update. Stops garbage from reaching the log, where it
 * would make the document impossible to load. */
export function isYjsUpdate(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
}
