/**
 * Field-level write rules: whether an update, applied to a document, would change one of a
 * list of protected fields (the decision fields of @concord/auth's DECISION_FIELDS). Write access
 * is per document, but a rater's write on an assessment must not reach its consensus: this is
 * where the server enforces that, on the bytes, before anything is applied.
 *
 * An update carries new items and a delete set. A new item names its place directly (a root
 * name or its parent item, and a map key) or, when it has an origin, inherits the place of its
 * origin; either may be another item of the same update or one the document already has. Each
 * place resolves to a path (root, then map keys, `#` for a list element) that is matched against
 * the patterns:
 * - a new item at or inside a protected field changes it;
 * - a deleted item at or inside a protected field changes it, and so does deleting anything
 *   that holds one (an indicator's whole map).
 * An item whose place cannot be resolved (its origin is neither in the update nor in the
 * document, so Yjs would hold it as pending) is refused too: where it lands is unknown until
 * later, and a client that sent it honestly sends it again after reconnecting.
 *
 * Pure: reads the document, never changes it.
 */
import type { FieldPattern } from '@concord/auth/roles';
import * as Y from 'yjs';

/** A segment standing for an element of a Y.Array or a Y.Text (not a map key). */
const LIST_ELEMENT = '#';

/** Where an item sits: a path, inside content already collected as garbage, or not known. */
type Place = { path: readonly string[] } | { gone: true } | { unknown: true };

const UNKNOWN: Place = { unknown: true };
const GONE: Place = { gone: true };

/**
 * The first protected change `update` would make to `doc`, described for the client (for
 * example "items/D-1.2/decision"), or null when it changes none of `fields`.
 */
export function protectedChange(
  doc: Y.Doc,
  update: Uint8Array,
  fields: readonly FieldPattern[],
): string | null {
  if (fields.length === 0) return null;
  const { structs, ds } = Y.decodeUpdate(update);
  const fresh = new UpdateItems(structs);
  const places = new Map<Y.Item, Place>();

  /**
   * Where the content of a new item sits. Iterative, not recursive: a chain of origins can be as
   * long as the update (a paragraph typed offline), so it is walked to something already placed
   * (a root, an item of the document, an item placed before) and the places filled in backwards.
   */
  const placeOfNew = (start: Y.Item): Place => {
    const chain: { item: Y.Item; key: string | null }[] = [];
    const seen = new Set<Y.Item>();
    let item = start;
    let base: Place | undefined;
    while (base === undefined) {
      const memo = places.get(item);
      if (memo) {
        base = memo;
        break;
      }
      if (seen.has(item)) {
        base = UNKNOWN; // a cycle of origins: nothing honest sends that
        break;
      }
      seen.add(item);
      const parent = item.parent as unknown as string | Y.ID | null;
      const key = item.parentSub ?? LIST_ELEMENT;
      if (typeof parent === 'string') {
        chain.push({ item, key: null });
        base = { path: [parent, key] };
      } else {
        // A parent item adds this item's key below it; a neighbour (origin) shares its place.
        const next = parent ?? item.origin ?? item.rightOrigin;
        chain.push({ item, key: parent ? key : null });
        const inUpdate = next ? fresh.find(next) : undefined;
        if (inUpdate) item = inUpdate;
        else base = next ? placeOfExisting(doc, next) : UNKNOWN;
      }
    }
    let place = base;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { item: link, key } = chain[i]!;
      if (key !== null && 'path' in place) place = { path: [...place.path, key] };
      places.set(link, place);
    }
    return place;
  };

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs carry no content
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const place = placeOfNew(struct);
    if ('gone' in place) continue; // lands in deleted content: Yjs keeps it as garbage
    if (!('path' in place)) return 'an edit whose place in the document is not known yet';
    const hit = fields.find((field) => within(place.path, field));
    if (hit) return place.path.join('/');
  }

  for (const [client, deletes] of ds.clients) {
    const structsOfClient = doc.store.clients.get(client);
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of deletes) {
      // Items of this update deleted at once were checked above; unknown ones hold nothing yet.
      if (!structsOfClient || clock >= known) continue;
      let index = Y.findIndexSS(structsOfClient, clock);
      for (; index < structsOfClient.length; index++) {
        const struct = structsOfClient[index]!;
        if (struct.id.clock >= clock + len) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const path = itemPath(struct);
        if (path === null) continue;
        const hit = fields.find((field) => within(path, field) || holds(path, field));
        if (hit) return path.join('/');
      }
    }
  }
  return null;
}

/** The new items of an update, found by id. */
class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>();

  constructor(structs: readonly (Y.Item | Y.GC | Y.Skip)[]) {
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

/** The place of an item the document has (the item with `id` itself, not its content). */
function placeOfExisting(doc: Y.Doc, id: Y.ID): Place {
  if (id.clock >= Y.getState(doc.store, id.client)) return UNKNOWN;
  const struct: Y.Item | Y.GC = Y.getItem(doc.store, id);
  if (!(struct instanceof Y.Item)) return GONE;
  const path = itemPath(struct);
  return path ? { path } : GONE;
}

/** Root name, keys down to the item, and the item's own key (or `#`); null when detached. */
function itemPath(item: Y.Item): string[] | null {
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

/** `path` is the field or inside it. */
function within(path: readonly string[], field: FieldPattern): boolean {
  return path.length >= field.length && field.every((key, i) => key === '*' || key === path[i]);
}

/** `path` is an ancestor of the field (removing it removes the field). */
function holds(path: readonly string[], field: FieldPattern): boolean {
  return path.length < field.length && path.every((key, i) => field[i] === '*' || field[i] === key);
}
