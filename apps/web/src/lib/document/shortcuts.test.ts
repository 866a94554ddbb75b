import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyPress } from './shortcuts';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  inTextField: false,
  ...more,
});

describe('document shortcuts', () => {
  it('maps single keys outside text fields', () => {
    expect(shortcutFor(press('j'))).toEqual({ kind: 'next' });
    expect(shortcutFor(press('k'))).toEqual({ kind: 'previous' });
    expect(shortcutFor(press('3'))).toEqual({ kind: 'rate', level: 3 });
    expect(shortcutFor(press('e'))).toEqual({ kind: 'edit-evidence' });
    expect(shortcutFor(press('?', { shiftKey: true }))).toEqual({ kind: 'help' });
    expect(shortcutFor(press('0'))).toBeNull();
  });

  it('never fires while typing in a text field, except Escape to leave it', () => {
    for (const key of ['j', 'k', '1', 'e', '?']) {
      expect(shortcutFor(press(key, { inTextField: true }))).toBeNull();
    }
    expect(shortcutFor(press('z', { ctrlKey: true, inTextField: true }))).toBeNull();
    expect(shortcutFor(press('Escape', { inTextField: true }))).toEqual({ kind: 'leave-field' });
  });

  it('undo and redo with Ctrl or Cmd; modified letters are not shortcuts', () => {
    expect(shortcutFor(press('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(press('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(shortcutFor(press('Z', { metaKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
    expect(shortcutFor(press('j', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press('2', { altKey: true }))).toBeNull();
  });
});
