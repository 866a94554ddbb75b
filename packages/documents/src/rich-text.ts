/**
 * Rich text fields (schema v2): a Y.XmlFragment in the shape y-prosemirror (Tiptap 3's
 * Collaboration extension) writes for a StarterKit document. The fragment's children are
 * Y.XmlElement block nodes named by their ProseMirror node name (`paragraph`, `heading`,
 * `bulletList` > `listItem` > `paragraph`, …); a text block holds Y.XmlText, whose formatting
 * attributes are the marks (`bold`, `italic`, `link` with its attrs).
 *
 * This module is the plain-text side of that format: the text of a fragment for readers
 * (snapshots, the query tables), and the writer that stores plain text as one paragraph per
 * line. Reading never throws, whatever a client put in the fragment.
 */
import * as Y from 'yjs';

/** ProseMirror's node name for a plain text block. */
export const PARAGRAPH = 'paragraph';

/** StarterKit's inline node for a line break inside a block (Shift+Enter). */
const HARD_BREAK = 'hardBreak';

/**
 * Deepest nesting read. StarterKit lists nest a few levels; a hostile client could nest
 * thousands, and a recursive walk must not overflow the stack on that.
 */
export const MAX_DEPTH = 64;

/** A rich text field, and not an element inside one (Y.XmlElement extends Y.XmlFragment). */
export function isFragment(value: unknown): value is Y.XmlFragment {
  return value instanceof Y.XmlFragment && !(value instanceof Y.XmlElement);
}

/** The characters of a Y.XmlText without its formatting (Y.XmlText.toString renders marks as
 * tags, e.g. `<bold>x</bold>`, which is not what a reader wants). */
export function plainOfXmlText(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert?: unknown }[]) {
    if (typeof op.insert === 'string') out += op.insert;
  }
  return out;
}

/** The characters of a Y.Text (or its subclass Y.XmlText), without formatting. */
export function plainOfText(text: Y.Text): string {
  return text instanceof Y.XmlText ? plainOfXmlText(text) : text.toString();
}

/**
 * The plain text of a fragment: its blocks joined with '\n', nested blocks (list items, block
 * quotes) flattened in document order, marks dropped. The inverse of `paragraphs`: a text
 * written by replaceRichText reads back exactly.
 */
export function fragmentText(fragment: Y.XmlFragment): string {
  const lines: string[] = [];
  collectLines(fragment, lines, 0);
  return lines.join('\n');
}

/** Whether an element is a text block: it holds inline content only (or nothing). */
function isTextblock(element: Y.XmlElement): boolean {
  return element
    .toArray()
    .every((child) => !(child instanceof Y.XmlElement) || child.nodeName === HARD_BREAK);
}

function inlineText(parent: Y.XmlElement | Y.XmlFragment): string {
  let out = '';
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out += plainOfXmlText(child);
    else if (child instanceof Y.XmlElement && child.nodeName === HARD_BREAK) out += '\n';
  }
  return out;
}

function collectLines(parent: Y.XmlFragment, lines: string[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  // Inline content directly in a container (not what y-prosemirror writes, but a client may):
  // consecutive runs read as one line of their own.
  let inline: string | null = null;
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) {
      inline = (inline ?? '') + plainOfXmlText(child);
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === HARD_BREAK) {
        inline = (inline ?? '') + '\n';
        continue;
      }
      if (inline !== null) {
        lines.push(inline);
        inline = null;
      }
      if (isTextblock(child)) lines.push(inlineText(child));
      else collectLines(child, lines, depth + 1);
    }
    // Anything else (a Y.XmlHook) carries no text.
  }
  if (inline !== null) lines.push(inline);
}

/** Plain text as y-prosemirror would hold it: one paragraph per '\n'-separated line, none for
 * ''. New (not yet integrated) types, to insert into a fragment. */
export function paragraphs(plain: string): Y.XmlElement[] {
  if (plain === '') return [];
  return plain.split('\n').map((line) => {
    const paragraph = new Y.XmlElement(PARAGRAPH);
    // An empty paragraph has no children, as y-prosemirror writes it.
    if (line !== '') paragraph.insert(0, [new Y.XmlText(line)]);
    return paragraph;
  });
}

/**
 * Replaces a rich text field's whole content with `plain`, one paragraph per line (one change;
 * right for a form field or a seed, not for live typing, which goes through the editor). Does
 * nothing when the field already reads as `plain`, so saving an unchanged form writes nothing.
 */
export function replaceRichText(fragment: Y.XmlFragment, plain: string): void {
  if (fragmentText(fragment) === plain) return;
  const write = () => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    fragment.insert(0, paragraphs(plain));
  };
  if (fragment.doc) fragment.doc.transact(write);
  else write();
}

/** A new (not yet integrated) fragment holding `plain` as paragraphs. */
export function fragmentOf(plain: string): Y.XmlFragment {
  const fragment = new Y.XmlFragment();
  fragment.insert(0, paragraphs(plain));
  return fragment;
}

/**
 * The rich text field under `key`, for an editor to bind to. A v1 Y.Text still there (a document
 * not migrated yet) is replaced by a fragment with the same text, so its words are not lost;
 * a missing or junk value by an empty fragment. Call inside a transaction.
 */
export function fragmentAt(map: Y.Map<unknown>, key: string): Y.XmlFragment {
  const value = map.get(key);
  if (isFragment(value)) return value;
  return map.set(key, fragmentOf(value instanceof Y.Text ? plainOfText(value) : ''));
}
