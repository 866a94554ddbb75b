/**
 * The document page's keyboard shortcuts (../shared/UX.md): which action a key press asks for.
 * Pure, so the rules (never while typing in a text field; modifiers) are unit-tested apart from
 * the page.
 */
export type ShortcutAction =
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'rate'; level: number }
  | { kind: 'edit-evidence' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'help' }
  | { kind: 'leave-field' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The focused element is a text field (input, textarea, select, contenteditable). */
  inTextField: boolean;
}

export function shortcutFor(press: KeyPress): ShortcutAction | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.inTextField) {
    // The editor handles its own undo (my typing in that field); Escape hands focus back.
    return press.key === 'Escape' && !mod ? { kind: 'leave-field' } : null;
  }
  if (mod && !press.altKey && press.key.toLowerCase() === 'z')
    return press.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
  if (mod && !press.altKey && !press.shiftKey && press.key.toLowerCase() === 'y')
    return { kind: 'redo' };
  if (mod || press.altKey) return null;
  if (press.key === '?') return { kind: 'help' };
  if (press.shiftKey) return null;
  if (press.key === 'j') return { kind: 'next' };
  if (press.key === 'k') return { kind: 'previous' };
  if (press.key === 'e') return { kind: 'edit-evidence' };
  if (/^[1-9]$/.test(press.key)) return { kind: 'rate', level: Number(press.key) };
  return null;
}

/** Whether an element takes typed text (so single-key shortcuts must not fire). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement)
    return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(el.type);
  return false;
}
