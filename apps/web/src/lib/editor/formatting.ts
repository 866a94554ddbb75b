/**
 * The formatting a text field offers, in one place: the toolbar's buttons, their shortcuts (as
 * Tiptap's StarterKit binds them, plus Ctrl+K for a link), and the help dialog's rows. Plain
 * data, so the page can list shortcuts without loading the editor.
 */

export type FormatId = 'bold' | 'italic' | 'bulletList' | 'orderedList' | 'link';

export interface Format {
  id: FormatId;
  label: string;
  /** As shown on Windows and Linux. */
  keys: string;
  /** As shown on a Mac. */
  mac: string;
}

export const FORMATS: readonly Format[] = [
  { id: 'bold', label: 'Bold', keys: 'Ctrl+B', mac: '⌘B' },
  { id: 'italic', label: 'Italic', keys: 'Ctrl+I', mac: '⌘I' },
  { id: 'bulletList', label: 'Bulleted list', keys: 'Ctrl+Shift+8', mac: '⌘⇧8' },
  { id: 'orderedList', label: 'Numbered list', keys: 'Ctrl+Shift+7', mac: '⌘⇧7' },
  { id: 'link', label: 'Link', keys: 'Ctrl+K', mac: '⌘K' },
];

/** From the text to its toolbar (as in TinyMCE and CKEditor), and back with Escape. */
export const TOOLBAR_KEYS = {
  keys: 'Alt+F10',
  what: 'Move to the text field’s formatting toolbar',
};

/** The longest link address: the sync server refuses longer mark attributes. */
export const MAX_LINK = 2_048;

/**
 * Why `raw` is not a link address the editor accepts (web and mail addresses only), or null.
 * A bare domain gets https:// (as the Link extension's defaultProtocol does).
 */
export function linkProblem(raw: string): string | null {
  const href = normaliseLink(raw);
  if (href === '') return 'Enter a web address, such as https://example.org/minutes.';
  if (href.length > MAX_LINK)
    return `A link can be at most ${MAX_LINK.toLocaleString('en-US')} characters.`;
  try {
    const url = new URL(href);
    if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) {
      return 'Use a web (https://) or email (mailto:) address.';
    }
  } catch {
    return 'That is not a web address. Try one such as https://example.org/minutes.';
  }
  return null;
}

/** The address as stored: trimmed, https:// added to a bare domain. */
export function normaliseLink(raw: string): string {
  const href = raw.trim();
  if (href === '' || /^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  return `https://${href}`;
}
