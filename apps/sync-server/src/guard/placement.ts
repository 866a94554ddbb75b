/**
 * Where the items of an incoming update would land in a document, before anything is applied.
 *
 * An update carries new items and a delete set. A new item names its place directly (a root
 * name or its parent item, and a map key) or, when it has an origin, inherits the place of that
 * neighbour (Yjs then copies the neighbour's parent and key); either may be another item of the
 * same update or one the document already has. Each place resolves to a path (root, then map
 * keys, `#` for an element of a list or text) and to the type the item goes into (its
 * container: an existing type of the document, a new type of this update, or null for a root
 * the document has not used yet).
 *
 * An item whose place cannot be resolved (its origin or parent is neither in the update nor in
 * the document, so Yjs would hold it as pending) is UNKNOWN: the guard refuses it, since where it
 * lands is not known until later (a client that sent it honestly sends it again after
 * reconnecting). An item that lands in content already collected as garbage is GONE: Yjs keeps
 * nothing of it.
 *
 * Pure: reads the document, never changes it. Iterative, not recursive: a chain of origins can
 * be as long as the update (a paragraph typed offline).
 */
import * as Y from 'yjs';

/** A segment standing for an element of a Y.Array, Y.Text or XML type (not a map key). */
export const LIST_ELEMENT = '#';

/** Any Yjs shared type, as a document holds them. */
export type YType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

export type Place =
  | { readonly path: readonly string[]; readonly container: YType | null }
  | { readonly gone: true }
  | { readonly unknown: true };

export const UNKNOWN: Place = { unknown: true };
export const GONE: Place = { gone: true };

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** Where the new items of one update sit, each resolved once. */
export class Placer {
  private readonly fresh: UpdateItems;
  private readonly places = new Map<Y.Item, Place>();

  constructor(
    private readonly doc: Y.Doc,
    structs: DecodedUpdate['structs'],
  ) {
    this.fresh = new UpdateItems(structs);
  }

  /** Where `start` (an item of the update) would sit. */
  place(start: Y.Item): Place {
    // Walk to something already placed (a root, an item of the document, an item placed
    // before), then fill the places in backwards.
    const chain: { item: Y.Item; via: 'root' | 'parent' | 'neighbour' }[] = [];
    const seen = new Set<Y.Item>();
    let item = start;
    let base: Place | undefined;
    // What the last link of the chain stands on: its parent (content type) or its neighbour.
    while (base === undefined) {
      const memo = this.places.get(item);
      if (memo) {
        base = memo;
        chain.push({ item, via: 'neighbour' }); // takes the memo as it is
        break;
      }
      if (seen.has(item)) {
        base = UNKNOWN; // a cycle of origins: nothing honest sends that
        break;
      }
      seen.add(item);
      const parent = item.parent as unknown as string | Y.ID | null;
      if (typeof parent === 'string') {
        chain.push({ item, via: 'root' });
        const root = this.doc.share.get(parent) ?? null;
        base = { path: [parent], container: root };
        break;
      }
      const next = parent ?? item.origin ?? item.rightOrigin;
      chain.push({ item, via: parent ? 'parent' : 'neighbour' });
      if (!next) {
        base = UNKNOWN;
        break;
      }
      const inUpdate = this.fresh.find(next);
      if (inUpdate) {
        item = inUpdate;
        continue;
      }
      base = placeOfExisting(this.doc, next);
    }

    // `base` is the place of what the last link stands on; fill the chain from there.
    let below: Place = base!;
    let belowItem: Y.Item | null = null;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { item: link, via } = chain[i]!;
      let place: Place;
      if (this.places.has(link)) place = this.places.get(link)!;
      else if (!('path' in below)) place = below;
      else if (via === 'root') {
        place = {
          path: [...below.path, link.parentSub ?? LIST_ELEMENT],
          container: below.container,
        };
      } else if (via === 'parent') {
        // Inside the parent item's content: its type (a new one of this update, or the
        // document's), which must be a type at all.
        const content = belowItem ? belowItem.content : contentAt(this.doc, link.parent as Y.ID);
        place =
          content instanceof Y.ContentType
            ? { path: [...below.path, link.parentSub ?? LIST_ELEMENT], container: content.type }
            : GONE;
      } else place = below; // a neighbour's place: same container, same key
      this.places.set(link, place);
      below = place;
      belowItem = link;
    }
    return this.places.get(start) ?? below;
  }

  /** The item of this update whose clock range holds `id`, if any. */
  fromUpdate(id: Y.ID): Y.Item | undefined {
    return this.fresh.find(id);
  }
}

/** The new items of an update, found by id. */
class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>();

  constructor(structs: DecodedUpdate['structs']) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const list = this.byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.byClient.set(struct.id.client, [struct]);
    }
  }

  /** The item whose clock range holds `id` (an update lists a client's structs in order). */
  find(id: Y.ID): Y.Item | undefined {
    const list = this.byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const item = list[mid]!;
      if (id.clock < item.id.clock) high = mid - 1;
      else if (id.clock >= item.id.clock + item.length) low = mid + 1;
      else return item;
    }
    return undefined;
  }
}

/** The content of the document's item at `id` (null when it has none, or only garbage). */
function contentAt(doc: Y.Doc, id: Y.ID): Y.Item['content'] | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct: Y.Item | Y.GC = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct.content : null;
}

/**
 * The place of the document's item at `id` itself (its path, with its own key, and the type it
 * sits in). An item the document does not have yet is UNKNOWN; garbage is GONE.
 */
function placeOfExisting(doc: Y.Doc, id: Y.ID): Place {
  if (id.clock >= Y.getState(doc.store, id.client)) return UNKNOWN;
  const struct: Y.Item | Y.GC = Y.getItem(doc.store, id);
  if (!(struct instanceof Y.Item)) return GONE;
  const path = itemPath(struct);
  return path ? { path, container: struct.parent as YType } : GONE;
}

/** Root name, keys down to the item, and the item's own key (or `#`); null when detached. */
export function itemPath(item: Y.Item): string[] | null {
  const path: string[] = [item.parentSub ?? LIST_ELEMENT];
  let type = item.parent;
  while (type instanceof Y.AbstractType) {
    const holder: Y.Item | null = type._item;
    if (holder === null) {
      path.push(Y.findRootTypeKey(type));
      return path.reverse();
    }
    path.push(holder.parentSub ?? LIST_ELEMENT);
    type = holder.parent;
  }
  return null;
}

/**
 * Calls `visit` for every item of the document that the delete set removes and that is not
 * removed already, with the clock range of it that is deleted. Ranges of clocks the document
 * does not have yet hold nothing to remove.
 */
export function forEachDeleted(
  doc: Y.Doc,
  ds: DecodedUpdate['ds'],
  visit: (item: Y.Item, from: number, to: number) => string | null,
): string | null {
  for (const [client, deletes] of ds.clients) {
    const structs = doc.store.clients.get(client);
    const known = Y.getState(doc.store, client);
    if (!structs) continue;
    for (const { clock, len } of deletes) {
      if (clock >= known) continue;
      const end = clock + len;
      for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
        const struct = structs[index]!;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const from = Math.max(clock, struct.id.clock);
        const to = Math.min(end, struct.id.clock + struct.length);
        const refused = visit(struct, from, to);
        if (refused !== null) return refused;
      }
    }
  }
  return null;
}
