/**
 * Comment anchors inside a rich-text field: a Tiptap extension that highlights the ranges of
 * text that comment threads are on, and turns the current selection into such a range. Ranges
 * are Y.RelativePositions into the field's Y.XmlFragment (y-prosemirror's mapping), so a range
 * stays on the same words while anyone edits before, after or inside it. The threads live in the
 * comments document; this module only draws them and makes new ones' positions.
 */
import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';

export interface AnchorRange {
  threadId: string;
  start: Uint8Array;
  end: Uint8Array;
  resolved: boolean;
}

const key = new PluginKey<null>('concord-comment-anchors');
const REFRESH = 'concord-comment-anchors-refresh';

type Mapping = Parameters<typeof absolutePositionToRelativePosition>[2];

function syncOf(editor: Editor): { fragment: Y.XmlFragment; mapping: Mapping | undefined } {
  const state = ySyncPluginKey.getState(editor.state);
  if (!state?.type) throw new Error('the editor is not bound to a Yjs fragment');
  return { fragment: state.type, mapping: state.binding?.mapping };
}

/** The selection as a range for a new thread, or null when nothing is selected. */
export function selectionAnchor(editor: Editor): { start: Uint8Array; end: Uint8Array } | null {
  const { from, to, empty } = editor.state.selection;
  if (empty) return null;
  const { fragment, mapping } = syncOf(editor);
  if (!mapping) return null;
  return {
    start: Y.encodeRelativePosition(absolutePositionToRelativePosition(from, fragment, mapping)),
    end: Y.encodeRelativePosition(absolutePositionToRelativePosition(to, fragment, mapping)),
  };
}

/** The text a range covers now ('' when it was deleted). */
export function anchorText(editor: Editor, range: { start: Uint8Array; end: Uint8Array }): string {
  const span = resolve(editor, range);
  return span ? editor.state.doc.textBetween(span.from, span.to, ' ') : '';
}

function resolve(
  editor: Editor,
  range: { start: Uint8Array; end: Uint8Array },
): { from: number; to: number } | null {
  const { fragment, mapping } = syncOf(editor);
  const doc = fragment.doc;
  if (!doc || !mapping) return null;
  try {
    const from = relativePositionToAbsolutePosition(
      doc,
      fragment,
      Y.decodeRelativePosition(range.start),
      mapping,
    );
    const to = relativePositionToAbsolutePosition(
      doc,
      fragment,
      Y.decodeRelativePosition(range.end),
      mapping,
    );
    return from !== null && to !== null && to > from ? { from, to } : null;
  } catch {
    return null;
  }
}

/** Redraws the highlights (the threads changed, not the text). */
export function refreshAnchors(editor: Editor): void {
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(REFRESH, true));
}

export const CommentAnchors = Extension.create<{ ranges: () => readonly AnchorRange[] }>({
  name: 'commentAnchors',
  addOptions() {
    return { ranges: () => [] };
  },
  addProseMirrorPlugins() {
    const editor = this.editor;
    const ranges = () => this.options.ranges();
    return [
      new Plugin({
        key,
        props: {
          decorations(state) {
            const open = ranges().filter((r) => !r.resolved);
            if (open.length === 0) return null;
            const decorations: Decoration[] = [];
            for (const r of open) {
              const span = resolve(editor, r);
              if (!span || span.to > state.doc.content.size) continue;
              decorations.push(
                Decoration.inline(span.from, span.to, {
                  class: 'comment-anchor',
                  'data-thread': r.threadId,
                }),
              );
            }
            return DecorationSet.create(state.doc, decorations);
          },
        },
      }),
    ];
  },
});
