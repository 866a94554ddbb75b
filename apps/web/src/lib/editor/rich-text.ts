/**
 * The rich-text editor behind every evidence, notes and rationale field: Tiptap 3 bound to one
 * Y.XmlFragment of a live document (Collaboration: edits merge character by character) with the
 * other people's carets and names (CollaborationCaret, from the document's awareness). The
 * schema is StarterKit's (paragraphs, lists, bold, italic, links…), so pasted HTML is reduced to
 * what it allows. Loaded on first use (a dynamic import), so the page's first load stays small.
 */
import { Editor, Extension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { CharacterCount, Placeholder } from '@tiptap/extensions';
import StarterKit from '@tiptap/starter-kit';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CommentAnchors, type AnchorRange } from './comment-anchors.js';
import { MAX_RICH_TEXT } from './limits.js';

export interface RichTextOptions {
  element: HTMLElement;
  fragment: Y.XmlFragment;
  awareness: Awareness;
  user: { id: string; name: string; color: string };
  /** The textbox's accessible name, e.g. "Evidence for 1.2". */
  label: string;
  placeholder: string;
  editable: boolean;
  onLength?: (characters: number) => void;
  /** The comment threads on ranges of this field, to highlight. */
  anchors?: () => readonly AnchorRange[];
  /** The selection changed: whether some text is selected (a comment can be put on it). */
  onSelection?: (selected: boolean) => void;
  /** Ctrl+Alt+M: comment on the selected text. */
  onCommentShortcut?: () => void;
  /** Ctrl+K: add or change a link (the toolbar's link form). */
  onLinkShortcut?: () => void;
  /** Alt+F10: move to the formatting toolbar. */
  onToolbarShortcut?: () => void;
}

/** Ctrl+K and Alt+F10: the field's toolbar does these, the editor only hands them over. */
const ToolbarShortcuts = Extension.create<{ link: () => unknown; toolbar: () => unknown }>({
  name: 'toolbarShortcuts',
  addOptions() {
    return { link: () => false, toolbar: () => false };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => {
        this.options.link();
        return true;
      },
      'Alt-F10': () => {
        this.options.toolbar();
        return true;
      },
    };
  },
});

/** Ctrl+Alt+M (⌘+Option+M), as in Google Docs: comment on the selection. */
const CommentShortcut = Extension.create<{ run: () => unknown }>({
  name: 'commentShortcut',
  addOptions() {
    return { run: () => false };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => {
        if (this.editor.state.selection.empty) return false;
        this.options.run();
        return true;
      },
    };
  },
});

export function createRichText(options: RichTextOptions): Editor {
  const editor = new Editor({
    element: options.element,
    editable: options.editable,
    extensions: [
      // Collaboration brings its own undo (my changes in this field only).
      StarterKit.configure({
        undoRedo: false,
        heading: { levels: [3, 4] },
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
      }),
      Collaboration.configure({ fragment: options.fragment }),
      CollaborationCaret.configure({
        provider: { awareness: options.awareness },
        user: options.user,
        // Another person's selection as a light tint of their colour with a line under it:
        // the default (their colour at 44%) left the text under it below 4.5:1 contrast.
        selectionRender: (user: { color?: string }) => ({
          nodeName: 'span',
          class: 'ProseMirror-yjs-selection',
          style: `background-color: ${user.color ?? '#3f4a5a'}26; box-shadow: inset 0 -2px 0 ${user.color ?? '#3f4a5a'}`,
        }),
      }),
      Placeholder.configure({ placeholder: options.placeholder }),
      CharacterCount.configure({ limit: MAX_RICH_TEXT }),
      CommentAnchors.configure({ ranges: options.anchors ?? (() => []) }),
      CommentShortcut.configure({ run: options.onCommentShortcut ?? (() => false) }),
      ToolbarShortcuts.configure({
        link: options.onLinkShortcut ?? (() => false),
        toolbar: options.onToolbarShortcut ?? (() => false),
      }),
    ],
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': options.label,
        'aria-readonly': String(!options.editable),
        class: 'rich-text-content',
      },
    },
    onUpdate: ({ editor: e }) => options.onLength?.(e.storage.characterCount.characters()),
    onCreate: ({ editor: e }) => options.onLength?.(e.storage.characterCount.characters()),
    onSelectionUpdate: ({ editor: e }) => options.onSelection?.(!e.state.selection.empty),
  });
  return editor;
}

export { selectionAnchor, anchorText, refreshAnchors } from './comment-anchors.js';
