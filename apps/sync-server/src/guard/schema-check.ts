/**
 * The schema check: whether an update keeps a document within its kind's shape
 * (@concord/documents/shapes), for the person sending it. Looks at every new item (where it
 * lands, what it holds) and every removal (what the delete set takes away), before anything is
 * applied, and names the first field it would break and why.
 *
 * Why on the items and not on the document after the fact: Yjs changes a map's value without a
 * deletion of its own (a newer item at the same key shadows the old one, and so does a deleted
 * one), so a check that only looked at the delete set let a 30-byte update erase a recorded
 * decision. Here any new item at a key counts as writing that key, whatever it holds and
 * whichever client id it has.
 *
 * Pure: reads the document, never changes it.
 */
import {
  MAX_ATTRIBUTE_STRING,
  MAX_ATTRIBUTES,
  MAX_RICH_DEPTH,
  resolveField,
  RICH_TEXT_MARKS,
  RICH_TEXT_NODES,
  type DocumentShape,
  type Shape,
  type WriterContext,
} from '@concord/documents/shapes';
import * as Y from 'yjs';
import { forEachDeleted, itemPath, LIST_ELEMENT, type Placer, type YType } from './placement.js';

/** Who is writing, as the guard needs it. */
export interface Writer extends WriterContext {
  /** The connection may change decision fields. */
  readonly canDecide: boolean;
}

/** The field a new item or a removal touches, resolved once per item (text-bounds reuses it). */
export interface Touch {
  /** The path of the field (root, then keys). */
  readonly field: readonly string[];
  readonly shape: Shape;
}

/** Why an item whose origin the document lacks is not judged now (the chain holds it). */
export const UNKNOWN_PLACE = 'an edit whose place in the document is not known yet';
const DECIDE =
  'only a facilitator or an owner may change it (the group’s decision and where the discussion stands)';

/**
 * The first reason `decoded` may not be applied to `doc` by `who`, or null. `touched` receives,
 * for each new item inside a text field, that field (for the text-bounds check that follows).
 */
export function schemaViolation(
  doc: Y.Doc,
  decoded: ReturnType<typeof Y.decodeUpdate>,
  placer: Placer,
  shape: DocumentShape,
  who: Writer,
  touched?: Map<Y.Item, Touch>,
): string | null {
  // Where every new item lands, first: what a key ends up holding depends on all the update's
  // items at that key.
  const placed: { item: Y.Item; path: readonly string[]; container: YType | null }[] = [];
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs carry no content
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const place = placer.place(struct);
    if ('gone' in place) continue; // lands in deleted content: Yjs keeps it as garbage
    if (!('path' in place)) return UNKNOWN_PLACE;
    placed.push({ item: struct, path: place.path, container: place.container });
  }
  // What each key of the document's maps ends up holding: the update's items at one key form a
  // chain (each later one has the earlier as its origin); the chain's end wins. A deleted item
  // inside the chain is a value set and replaced again within the update (set twice offline),
  // not a removal, and is not judged; a deleted item at the end removes the key's value, and is.
  // Where the end is a value, deleting the key's old value (Yjs puts the replaced value in the
  // delete set) is part of that write, which is judged by its own item.
  const atKey = new Map<YType, Map<string, Y.Item[]>>();
  for (const { item, path, container } of placed) {
    const key = path[path.length - 1]!;
    if (container === null || key === LIST_ELEMENT) continue;
    const keys = atKey.get(container) ?? new Map<string, Y.Item[]>();
    atKey.set(container, keys);
    keys.set(key, [...(keys.get(key) ?? []), item]);
  }
  const intermediate = new Set<Y.Item>();
  const written = new Map<YType, Set<string>>();
  for (const [container, keys] of atKey) {
    for (const [key, items] of keys) {
      const ends = items.filter(
        (x) =>
          !items.some(
            (y) =>
              y.origin !== null &&
              y.origin.client === x.id.client &&
              y.origin.clock === x.id.clock + x.length - 1,
          ),
      );
      for (const item of items) if (!ends.includes(item)) intermediate.add(item);
      if (ends.every((e) => !(e.content instanceof Y.ContentDeleted))) {
        const set = written.get(container) ?? new Set<string>();
        written.set(container, set);
        set.add(key);
      }
    }
  }
  for (const { item, path, container } of placed) {
    if (item.content instanceof Y.ContentDeleted && intermediate.has(item)) continue;
    const refused = newItemViolation(doc, item, path, container, shape, who, touched);
    if (refused !== null) return refused;
  }
  if (decoded.ds.clients.size === 0) return null;
  // Removing a type removes what is inside it too (Yjs puts its children in the delete set):
  // those are judged with the type, by the rule for removing it, not one by one.
  const removed = new Set<Y.Item>();
  forEachDeleted(doc, decoded.ds, (item) => {
    removed.add(item);
    return null;
  });
  return forEachDeleted(doc, decoded.ds, (item, from, to) => {
    if (item.parentSub !== null && written.get(item.parent as YType)?.has(item.parentSub)) {
      return null;
    }
    for (let holder = (item.parent as YType)._item; holder !== null;) {
      if (removed.has(holder)) return null;
      holder = (holder.parent as YType)._item;
    }
    const path = itemPath(item);
    return path === null ? null : removalViolation(doc, item, path, from, to, shape, who);
  });
}

function where(path: readonly string[]): string {
  return path.join('/');
}

/**
 * The field at `path` and who may touch it: why not (an unknown part, a fixed part, a decision
 * field without decide), or the field, its path and how many segments of `path` name it.
 */
function touchedField(
  doc: Y.Doc,
  shape: DocumentShape,
  path: readonly string[],
  who: Writer,
): string | { field: Shape; fieldPath: readonly string[]; depth: number } {
  const resolved = resolveField(shape, path, who);
  if (!resolved.found) return resolved.reason;
  const field = resolved.shape;
  const fieldPath = path.slice(0, resolved.depth);
  if (field.type === 'map' && field.fixed) {
    return `${where(fieldPath)}: written when the document is created; it cannot be changed`;
  }
  if (field.type === 'map' && field.serverOnly) {
    return `${where(fieldPath)}: kept by the server; a facilitator changes it through the round controls`;
  }
  if (field.lockedBy !== undefined) {
    const key = fieldPath[fieldPath.length - 1]!;
    // getMap: a root read from the store is typed only once someone asks for it as a map.
    if (doc.getMap(field.lockedBy).has(key)) {
      return `${where(fieldPath)}: revealed to the team, so it is fixed now`;
    }
  }
  if (field.needs === 'decide' && !who.canDecide) return `${where(fieldPath)}: ${DECIDE}`;
  return { field, fieldPath, depth: resolved.depth };
}

function newItemViolation(
  doc: Y.Doc,
  item: Y.Item,
  path: readonly string[],
  container: YType | null,
  shape: DocumentShape,
  who: Writer,
  touched: Map<Y.Item, Touch> | undefined,
): string | null {
  const content = item.content;
  const touch = touchedField(doc, shape, path, who);
  if (typeof touch === 'string') return touch;
  const { field, fieldPath, depth } = touch;

  // The item is the field's value itself (a map entry: set, replace or shadow).
  if (depth === path.length) {
    const key = path[path.length - 1]!;
    const existing = liveEntry(container, key);
    if (content instanceof Y.ContentDeleted) {
      // A deleted item that wins the key removes the live value, without a delete set.
      return existing ? removalOfValue(field, fieldPath) : null;
    }
    const wrong = valueProblem(field, content, who);
    if (wrong !== null) return `${where(fieldPath)}: ${wrong}`;
    if (existing && field.type !== 'value') {
      return `${where(fieldPath)}: would replace the ${describe(field)} there, erasing what is in it; edit it instead`;
    }
    if (existing && field.type === 'value' && field.immutable) {
      return `${where(fieldPath)}: is set once, when it is created`;
    }
    return null;
  }

  // The item is inside the field: characters of a text, an element of a list or rich text.
  const inside = path.length - depth;
  const keyed = path[path.length - 1] !== LIST_ELEMENT;
  if (content instanceof Y.ContentDeleted) return null; // a tombstone holds nothing
  switch (field.type) {
    case 'text':
      if (inside !== 1 || keyed || !(content instanceof Y.ContentString)) {
        return `${where(fieldPath)}: holds plain characters only`;
      }
      touched?.set(item, { field: fieldPath, shape: field });
      return null;
    case 'list': {
      if (inside !== 1 || keyed || !(content instanceof Y.ContentAny)) {
        return `${where(fieldPath)}: holds plain values only`;
      }
      for (const v of content.arr) {
        const problem = field.element(v, who);
        if (problem !== null) return `${where(fieldPath)}: an element ${problem}`;
      }
      return null;
    }
    case 'rich': {
      if (inside > MAX_RICH_DEPTH * 2) {
        return `${where(fieldPath)}: nested more than ${MAX_RICH_DEPTH} levels deep`;
      }
      const problem = richContentProblem(container, keyed ? path[path.length - 1]! : null, content);
      if (problem !== null) return `${where(fieldPath)}: ${problem}`;
      if (content instanceof Y.ContentString)
        touched?.set(item, { field: fieldPath, shape: field });
      return null;
    }
    default:
      return `${where(fieldPath)}: holds no nested content`;
  }
}

/** The live value at `key` of an existing map-like type, if there is one. */
function liveEntry(container: YType | null, key: string): Y.Item | null {
  if (container === null || key === LIST_ELEMENT) return null;
  const item = container._map.get(key);
  return item && !item.deleted ? item : null;
}

function describe(shape: Shape): string {
  switch (shape.type) {
    case 'map':
      return 'map';
    case 'list':
      return 'list';
    case 'text':
      return 'text';
    case 'rich':
      return 'rich text';
    case 'value':
      return 'value';
  }
}

/** Why `content` is not a value of `shape` (as a new map entry), or null. */
function valueProblem(shape: Shape, content: Y.Item['content'], who: Writer): string | null {
  if (shape.type === 'value') {
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) {
      return 'must be a plain value, not a nested type or binary content';
    }
    return shape.check(content.arr[0], who);
  }
  const type = content instanceof Y.ContentType ? content.type : null;
  const ok =
    (shape.type === 'map' && type instanceof Y.Map) ||
    (shape.type === 'list' && type instanceof Y.Array) ||
    (shape.type === 'text' && type instanceof Y.Text && !(type instanceof Y.XmlText)) ||
    (shape.type === 'rich' &&
      type instanceof Y.XmlFragment &&
      !(type instanceof Y.XmlElement) &&
      !(type instanceof Y.XmlHook));
  return ok ? null : `must be a ${describe(shape)}`;
}

/** Why `content` may not go into `container` inside a rich text field, or null. */
function richContentProblem(
  container: YType | null,
  key: string | null,
  content: Y.Item['content'],
): string | null {
  if (container instanceof Y.XmlText) {
    if (key !== null) return 'text carries its marks as formatting, not attributes';
    if (content instanceof Y.ContentString) return null;
    if (content instanceof Y.ContentFormat) return markProblem(content.key, content.value);
    return 'text holds characters and marks only';
  }
  // A root rich text field: null when the document has not used it yet, and a bare
  // AbstractType when it holds content no reader has asked for as a fragment yet (Yjs types a
  // root on first access). Either is the fragment the shape says it is.
  const root = container === null || container._item === null;
  if (root || container instanceof Y.XmlElement || container instanceof Y.XmlFragment) {
    if (key !== null) {
      if (!(container instanceof Y.XmlElement)) return 'holds blocks, not attributes';
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(key)) return `an attribute name is not allowed`;
      if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) {
        return 'an attribute is a plain value';
      }
      return attributeValueProblem(content.arr[0]);
    }
    if (!(content instanceof Y.ContentType)) return 'holds blocks and text, nothing else';
    const type = content.type;
    if (type instanceof Y.XmlText) return null;
    if (type instanceof Y.XmlElement && !(type instanceof Y.XmlHook)) {
      return RICH_TEXT_NODES.includes(type.nodeName)
        ? null
        : `a block of kind ${JSON.stringify(type.nodeName.slice(0, 40))} is not one the editor writes (${RICH_TEXT_NODES.join(', ')})`;
    }
    return 'holds blocks and text, nothing else';
  }
  return 'holds blocks and text, nothing else';
}

/** A mark as y-prosemirror writes it: `<mark>` or `<mark>--<hash>`, its attributes or null. */
function markProblem(key: string, value: unknown): string | null {
  const name = key.split('--')[0]!;
  if (!RICH_TEXT_MARKS.includes(name) || key.length > 64) {
    return `the mark ${JSON.stringify(key.slice(0, 40))} is not one the editor writes (${RICH_TEXT_MARKS.join(', ')})`;
  }
  if (value === null || value === true) return null;
  if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    return `the mark ${name}'s attributes must be an object`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) return `the mark ${name} has too many attributes`;
  for (const [attr, v] of entries) {
    if (attr.length > 32) return `the mark ${name} has an attribute name too long`;
    const problem = attributeValueProblem(v);
    if (problem !== null) return `the mark ${name}'s ${attr.slice(0, 32)}: ${problem}`;
  }
  return null;
}

function attributeValueProblem(value: unknown): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'must be a finite number';
  if (typeof value === 'string') {
    return value.length <= MAX_ATTRIBUTE_STRING
      ? null
      : `is ${value.length.toLocaleString('en-US')} characters; the most is ${MAX_ATTRIBUTE_STRING.toLocaleString('en-US')}`;
  }
  return 'must be text, a number, true/false or empty';
}

function removalOfValue(shape: Shape, fieldPath: readonly string[]): string | null {
  if (shape.type === 'value' && shape.immutable) {
    return `${where(fieldPath)}: is set once, when it is created; it cannot be removed`;
  }
  return shape.removable
    ? null
    : `${where(fieldPath)}: cannot be removed${shape.type === 'value' ? '' : ' (it holds others’ work)'}`;
}

/** Why removing the document's `item` (its clocks from..to) is refused, or null. */
function removalViolation(
  doc: Y.Doc,
  item: Y.Item,
  path: readonly string[],
  from: number,
  to: number,
  shape: DocumentShape,
  who: Writer,
): string | null {
  const touch = touchedField(doc, shape, path, who);
  if (typeof touch === 'string') return touch;
  const { field, fieldPath, depth } = touch;
  if (depth === path.length) return removalOfValue(field, fieldPath);
  if (field.type === 'list' && field.removeElement && item.content instanceof Y.ContentAny) {
    const values = item.content.arr.slice(from - item.id.clock, to - item.id.clock);
    for (const v of values) {
      const problem = field.removeElement(v, who);
      if (problem !== null) return `${where(fieldPath)}: an element ${problem}`;
    }
  }
  return null;
}
