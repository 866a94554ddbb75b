/**
 * Test helpers: peers that start from one created document and then edit apart (two people, or
 * a laptop offline on a train), and the exchange that brings them back together.
 */
import * as Y from 'yjs';

/**
 * Two docs holding the same state as `setup` made it, with different client ids: fixed ones
 * (a's lower than b's), not Yjs's random ones, so whichever way a conflict between them resolves
 * it resolves the same way on every run. Pass `clientIds` to try the other order.
 */
export function twoPeers(
  setup: (doc: Y.Doc) => void,
  clientIds: readonly [number, number] = [1, 2],
): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  a.clientID = clientIds[0];
  setup(a);
  const b = new Y.Doc();
  b.clientID = clientIds[1];
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

/** Sends each doc what the other is missing, as the sync protocol would. */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

/** A fresh doc loaded from `doc`'s encoded state (what a store round trip gives). */
export function reload(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** A doc that received what a hostile client wrote with `write` on top of `base`. */
export function withHostileEdit(base: Y.Doc, write: (doc: Y.Doc) => void): Y.Doc {
  const hostile = reload(base);
  write(hostile);
  const victim = reload(base);
  Y.applyUpdate(victim, Y.encodeStateAsUpdate(hostile, Y.encodeStateVector(victim)));
  return victim;
}

/**
 * Types `text` at plain-text offset `index` of a rich text field, as a person typing in the
 * editor would: into the Y.XmlText of the paragraph at that offset (a new paragraph when the
 * field is empty), so concurrent typing merges character by character as it does live.
 */
export function typeInto(fragment: Y.XmlFragment, index: number, text: string): void {
  const doc = fragment.doc!;
  doc.transact(() => {
    if (fragment.length === 0) {
      if (index !== 0) throw new Error(`typeInto: ${index} is past the end of an empty field`);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.insert(0, [paragraph]);
      return;
    }
    let offset = index;
    for (const block of fragment.toArray()) {
      if (!(block instanceof Y.XmlElement)) continue;
      const inline = block.get(0);
      const length = inline instanceof Y.XmlText ? inline.length : 0;
      if (offset <= length) {
        if (inline instanceof Y.XmlText) inline.insert(offset, text);
        else block.insert(0, [new Y.XmlText(text)]);
        return;
      }
      offset -= length + 1; // the line break between two blocks
    }
    throw new Error(`typeInto: ${index} is past the end of the field`);
  });
}
