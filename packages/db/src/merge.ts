/**
 * Folding Yjs updates into one. `Y.mergeUpdates` works on the encoded bytes, without building a
 * Y.Doc, and its result applied to a Y.Doc gives the same content as applying every input in
 * turn; deleted content is kept as deletions, so merging a checkpoint with later updates is exact.
 * It is what a load does (checkpoint plus the updates since). Compaction, which writes what every
 * later load reads, folds with `squashUpdates` instead: slower per call, smaller and faster to
 * apply.
 */
import * as Y from 'yjs';

/** The encoding of an empty document: no structs, an empty delete set. */
export const EMPTY_UPDATE: Uint8Array = Uint8Array.of(0, 0);

export function mergeUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 0) return EMPTY_UPDATE;
  if (updates.length === 1) return updates[0]!;
  return Y.mergeUpdates([...updates]);
}

/**
 * Folds updates into the encoding a checkpoint stores: applied in one transaction to a Y.Doc and
 * encoded from it. Y.mergeUpdates concatenates the updates' structs as they are, so a text typed
 * one character per update stays one struct per character; a document joins each run of typing
 * into one item. For a text typed as P3 types it (20,000 one-character edits, folded 500 at a
 * time as compaction does; measured here with yjs 13.6) the checkpoint is 98.5 KB instead of
 * 312.8 KB, a fresh Y.Doc applies it in 5-8 ms instead of 30-100, and the folding itself took
 * 208-375 ms in all instead of 664-987. P3's cold load (docs/BENCHMARKS.md) halved with it.
 * The document keeps deleted content (gc off), so, as with mergeUpdates, nothing of the updates is
 * lost: a checkpoint at a version is that version exactly. Updates whose dependencies are missing
 * stay pending in the document, and Yjs encodes pending structs with the rest.
 */
export function squashUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 0) return EMPTY_UPDATE;
  const doc = new Y.Doc({ gc: false });
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
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
