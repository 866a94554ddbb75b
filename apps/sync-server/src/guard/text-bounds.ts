/**
 * The text-bounds check: no text field grows past the most characters its shape allows
 * (@concord/documents' MAX_RICH_TEXT, MAX_LINE_TEXT: the web editor's limit too, so the server
 * never refuses what the editor allowed). Runs after the schema check, on the text fields it
 * found the update typing into.
 *
 * A field's length after the update is its length now, plus the characters the update inserts
 * into it, minus the characters it deletes from it (whole deleted paragraphs included). An
 * update that does not make a field longer is never refused, so a field already over its bound
 * (written before the bound) can still be shortened.
 *
 * Cheap when nothing is near a bound: a field's length is read (Y.Text keeps its own) only for
 * fields the update types into, and deletions are looked at only for a field that would be over
 * without them. Pure: reads the document, never changes it.
 */
import * as Y from 'yjs';
import { forEachDeleted, itemPath, type DecodedUpdate, type YType } from './placement.js';
import type { Touch } from './schema-check.js';

interface Growth {
  key: string;
  path: readonly string[];
  max: number;
  inserted: number;
  deleted: number;
  existing: number;
}

/** Why the update would make a text field too long, or null. */
export function textBoundsViolation(
  doc: Y.Doc,
  ds: DecodedUpdate['ds'],
  touched: ReadonlyMap<Y.Item, Touch>,
): string | null {
  if (touched.size === 0) return null;
  const growths = new Map<string, Growth>();
  for (const [item, touch] of touched) {
    if (touch.shape.type !== 'text' && touch.shape.type !== 'rich') continue;
    const key = touch.field.join('/');
    const growth = growths.get(key);
    if (growth) growth.inserted += item.length;
    else {
      growths.set(key, {
        key,
        path: touch.field,
        max: touch.shape.max,
        inserted: item.length,
        deleted: 0,
        existing: 0,
      });
    }
  }
  // Fields that would be over their bound if the update deleted nothing from them.
  const over = new Map<string, Growth>();
  for (const growth of growths.values()) {
    growth.existing = lengthAt(doc, growth.path);
    if (growth.existing + growth.inserted > growth.max) over.set(growth.key, growth);
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

/**
 * Adds to each of `fields` the characters the delete set removes from it: deleted text, and the
 * whole text of a deleted paragraph or type (once: not again for what is inside it).
 */
function countDeleted(doc: Y.Doc, ds: DecodedUpdate['ds'], fields: Map<string, Growth>): void {
  const found = new Map<Y.Item, { field: Growth; chars: number }>();
  forEachDeleted(doc, ds, (item, from, to) => {
    const content = item.content;
    let chars: number;
    if (content instanceof Y.ContentString) chars = to - from;
    else if (content instanceof Y.ContentType) chars = textLength(content.type);
    else return null;
    const previous = found.get(item);
    if (previous) {
      previous.chars = Math.min(previous.chars + chars, item.length);
      return null;
    }
    const path = itemPath(item);
    if (path === null) return null;
    for (const field of fields.values()) {
      if (within(path, field.path)) {
        found.set(item, { field, chars });
        break;
      }
    }
    return null;
  });
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
        ? (item.content.type as YType)
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
      else if (item.content instanceof Y.ContentType) stack.push(item.content.type as YType);
    }
  }
  return total;
}

/** `path` is the field or inside it. */
function within(path: readonly string[], field: readonly string[]): boolean {
  return path.length >= field.length && field.every((key, i) => key === path[i]);
}
