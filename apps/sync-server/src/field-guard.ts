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
 * The same places bound what every writer may write (boundsViolation): no text field longer
 * than its bound (@concord/documents' TEXT_BOUNDS, the editor's limit too), no rating other
 * than a level value or null.
 *
 * Pure: reads the document, never changes it.
 */
import type { FieldPattern } from '@concord/auth/roles';
import {
  MAX_LEVEL,
  MIN_LEVEL,
  RATING_FIELD,
  TEXT_BOUNDS,
  type TextBound,
} from '@concord/documents/bounds';
import * as Y from 'yjs';

/** A segment standing for an element of a Y.Array or a Y.Text (not a map key). */
const LIST_ELEMENT = '#';

/** Where an item sits: a path, inside content already collected as garbage, or not known. */
type Place = { path: readonly string[] } | { gone: true } | { unknown: true };

const UNKNOWN: Place = { unknown: true };
const GONE: Place = { gone: true };
const UNKNOWN_PLACE = 'an edit whose place in the document is not known yet';

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
  const placer = new Placer(doc, structs);

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs carry no content
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const place = placer.place(struct);
    if ('gone' in place) continue; // lands in deleted content: Yjs keeps it as garbage
    if (!('path' in place)) return UNKNOWN_PLACE;
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

/** Any Yjs shared type, as a document holds them. */
type YType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

/** A decoded update (Y.decodeUpdate; update-check.ts decodes every client update once). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** One bounded field an update writes text into. */
interface Growth {
  key: string;
  path: readonly string[];
  max: number;
  inserted: number;
  deleted: number;
}

/**
 * Why `update` would break a bound of `doc`, for the client, or null when it keeps them all:
 * - a text field (`bounds`, by default every text field of the schema) would grow past its most
 *   characters, e.g. "items/D-1.2/evidence would be 20,013 characters; the most is 20,000";
 * - a rating (`ratings/<indicatorId>`) would be something other than a whole number 0-100 or
 *   null (which level values a template's scale has is not checked here: readers read a value
 *   off the scale as not rated).
 *
 * A field's length after the update is its length now, plus the characters the update inserts
 * into it, minus the characters it deletes from it (whole deleted paragraphs included). An
 * update that does not make a field longer is never refused, so a field already over its bound
 * (written before the bound) can still be shortened. Inserted text whose place is not known is
 * refused, as protectedChange does: its field could not be counted now, nor when it lands.
 *
 * Cheap when nothing is near a bound: a field's length is read (Y.Text keeps its own) only for
 * fields the update types into, and deletions are looked at only for a field that would be
 * over without them.
 */
export function boundsViolation(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  bounds: readonly TextBound[] = TEXT_BOUNDS,
): string | null {
  const { structs, ds } = decoded;
  const ratingsRoot = RATING_FIELD[0]!;
  let text = false;
  let ratings = doc.share.has(ratingsRoot);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.content instanceof Y.ContentString) text = true;
    if (struct.parent === (ratingsRoot as unknown)) ratings = true;
  }
  if (!text && !ratings) return null;

  const placer = new Placer(doc, structs);
  const growths = new Map<string, Growth>();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    const isText = content instanceof Y.ContentString;
    if (!isText && !ratings) continue;
    if (content instanceof Y.ContentDeleted || content instanceof Y.ContentFormat) continue;
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const place = placer.place(struct);
    if ('gone' in place) continue;
    if (!('path' in place)) {
      if (isText) return UNKNOWN_PLACE;
      continue;
    }
    const { path } = place;
    if (ratings && path.length === RATING_FIELD.length && within(path, RATING_FIELD)) {
      const refused = badRating(content);
      if (refused !== null) return `${path.join('/')}: ${refused}`;
      continue;
    }
    if (!isText) continue;
    const bound = bounds.find((b) => within(path, b.field));
    if (!bound) continue;
    const fieldPath = path.slice(0, bound.field.length);
    const key = fieldPath.join('/');
    const growth = growths.get(key);
    if (growth) growth.inserted += content.str.length;
    else
      growths.set(key, {
        key,
        path: fieldPath,
        max: bound.max,
        inserted: content.str.length,
        deleted: 0,
      });
  }
  if (growths.size === 0) return null;

  // Fields that would be over their bound if the update deleted nothing from them.
  const over = new Map<string, Growth & { existing: number }>();
  for (const growth of growths.values()) {
    const existing = lengthAt(doc, growth.path);
    if (existing + growth.inserted > growth.max) over.set(growth.key, { ...growth, existing });
  }
  if (over.size === 0) return null;
  if (ds.clients.size > 0) countDeleted(doc, ds, over);
  for (const field of over.values()) {
    const after = field.existing + field.inserted - field.deleted;
    if (after > field.max && field.inserted > field.deleted) {
      return `${field.key} would be ${after.toLocaleString('en-US')} characters; the most is ${field.max.toLocaleString('en-US')}`;
    }
  }
  return null;
}

/** Why the content written as a rating is not one, or null when it is. */
function badRating(content: Y.Item['content']): string | null {
  if (content instanceof Y.ContentAny && content.arr.length === 1) {
    const value: unknown = content.arr[0];
    if (
      value === null ||
      (typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= MIN_LEVEL &&
        value <= MAX_LEVEL)
    ) {
      return null;
    }
    const shown = JSON.stringify(value) ?? String(value);
    return `a rating is a level value (a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}) or empty; got ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`;
  }
  return `a rating is a level value (a whole number from ${MIN_LEVEL} to ${MAX_LEVEL}) or empty, not a nested type or binary content`;
}

/**
 * Adds to each of `fields` the characters the delete set removes from it: deleted text, and the
 * whole text of a deleted paragraph or type (once: not again for what is inside it).
 */
function countDeleted(
  doc: Y.Doc,
  ds: DecodedUpdate['ds'],
  fields: Map<string, Growth & { existing: number }>,
): void {
  const found = new Map<Y.Item, { field: Growth; chars: number }>();
  for (const [client, deletes] of ds.clients) {
    const structsOfClient = doc.store.clients.get(client);
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of deletes) {
      if (!structsOfClient || clock >= known) continue;
      const end = clock + len;
      for (
        let index = Y.findIndexSS(structsOfClient, clock);
        index < structsOfClient.length;
        index++
      ) {
        const struct = structsOfClient[index]!;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const content = struct.content;
        let chars: number;
        if (content instanceof Y.ContentString) {
          const from = Math.max(clock, struct.id.clock);
          const to = Math.min(end, struct.id.clock + struct.length);
          chars = to - from;
        } else if (content instanceof Y.ContentType) {
          chars = textLength(content.type);
        } else continue;
        const previous = found.get(struct);
        if (previous) {
          previous.chars = Math.min(previous.chars + chars, struct.length);
          continue;
        }
        const path = itemPath(struct);
        if (path === null) continue;
        const field = [...fields.values()].find((f) => within(path, f.path));
        if (field) found.set(struct, { field, chars });
      }
    }
  }
  for (const [item, { field, chars }] of found) {
    // Inside a type this update also deletes: already counted with it.
    let holder = (item.parent as YType | null)?._item ?? null;
    let inside = false;
    while (holder !== null && !inside) {
      inside = found.has(holder);
      holder = (holder.parent as YType | null)?._item ?? null;
    }
    if (!inside) field.deleted += chars;
  }
}

/** The number of characters of the text at `path` in `doc` (0 when there is none). */
function lengthAt(doc: Y.Doc, path: readonly string[]): number {
  let type: YType | undefined = doc.share.get(path[0]!);
  for (let i = 1; i < path.length && type; i++) {
    const item = type._map.get(path[i]!);
    type =
      item && !item.deleted && item.content instanceof Y.ContentType
        ? item.content.type
        : undefined;
  }
  return type ? textLength(type) : 0;
}

/**
 * The characters of a text type and everything inside it (a rich-text fragment's paragraphs,
 * lists, their texts). A Y.Text (and Y.XmlText) keeps its own length; other types are walked,
 * iteratively (a hostile document may nest deeply).
 */
function textLength(root: YType): number {
  let total = 0;
  const stack: YType[] = [root];
  while (stack.length > 0) {
    const type = stack.pop()!;
    if (type instanceof Y.Text) {
      total += type._length;
      continue;
    }
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentString) total += item.length;
      else if (item.content instanceof Y.ContentType) stack.push(item.content.type);
    }
  }
  return total;
}

/** Where the new items of one update sit, each resolved once. */
class Placer {
  private readonly fresh: UpdateItems;
  private readonly places = new Map<Y.Item, Place>();

  constructor(
    private readonly doc: Y.Doc,
    structs: readonly (Y.Item | Y.GC | Y.Skip)[],
  ) {
    this.fresh = new UpdateItems(structs);
  }

  /**
   * Where the content of a new item sits. Iterative, not recursive: a chain of origins can be as
   * long as the update (a paragraph typed offline), so it is walked to something already placed
   * (a root, an item of the document, an item placed before) and the places filled in backwards.
   */
  place(start: Y.Item): Place {
    const chain: { item: Y.Item; key: string | null }[] = [];
    const seen = new Set<Y.Item>();
    let item = start;
    let base: Place | undefined;
    while (base === undefined) {
      const memo = this.places.get(item);
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
        const inUpdate = next ? this.fresh.find(next) : undefined;
        if (inUpdate) item = inUpdate;
        else base = next ? placeOfExisting(this.doc, next) : UNKNOWN;
      }
    }
    let place = base;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { item: link, key } = chain[i]!;
      if (key !== null && 'path' in place) place = { path: [...place.path, key] };
      this.places.set(link, place);
    }
    return place;
  }
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
