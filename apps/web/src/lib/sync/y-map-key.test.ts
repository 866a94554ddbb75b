import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { YNestedMapKey } from './y-map-key.svelte';

function itemsWith(id: string): { doc: Y.Doc; items: Y.Map<unknown>; item: Y.Map<unknown> } {
  const doc = new Y.Doc();
  const items = doc.getMap<unknown>('items');
  const item = new Y.Map<unknown>();
  items.set(id, item);
  return { doc, items, item };
}

describe('YNestedMapKey', () => {
  it("follows a key of an item's map: set, replaced whole, deleted", () => {
    const { items, item } = itemsWith('a');
    const decision = new YNestedMapKey(
      items,
      'a',
      'decision',
      (raw) => (raw as { value: number } | undefined)?.value ?? null,
    );
    expect(decision.map).toBe(item);
    expect(decision.value).toBeNull();
    item.set('decision', { value: 2, by: 'u1', at: '2026-09-16T20:00:00Z' });
    expect(decision.value).toBe(2);
    item.set('decision', { value: 3, by: 'u2', at: '2026-09-17T20:00:00Z' });
    expect(decision.value).toBe(3);
    item.delete('decision');
    expect(decision.value).toBeNull();
    decision.destroy();
    item.set('decision', { value: 1, by: 'u1', at: '2026-09-18T20:00:00Z' });
    expect(decision.value).toBeNull();
  });

  it('is not woken by other keys of the item, nor by typing in its texts', () => {
    const { items, item } = itemsWith('a');
    const text = new Y.XmlFragment();
    item.set('rationale', text);
    let reads = 0;
    const decision = new YNestedMapKey(items, 'a', 'decision', () => ++reads);
    expect(reads).toBe(1);
    item.set('status', 'in-discussion');
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Because')]);
    text.insert(0, [p]);
    items.set('b', new Y.Map());
    expect(reads).toBe(1);
    decision.destroy();
  });

  it('moves to the inner map when it is created or replaced', () => {
    const doc = new Y.Doc();
    const items = doc.getMap<unknown>('items');
    const decision = new YNestedMapKey(items, 'a', 'decision', (raw) => raw ?? null);
    expect(decision.map).toBeUndefined();
    expect(decision.value).toBeNull();
    const first = new Y.Map<unknown>();
    first.set('decision', 'one');
    items.set('a', first);
    expect(decision.map).toBe(first);
    expect(decision.value).toBe('one');
    const second = new Y.Map<unknown>();
    items.set('a', second);
    expect(decision.value).toBeNull();
    second.set('decision', 'two');
    expect(decision.value).toBe('two');
    items.set('a', 42);
    expect(decision.map).toBeUndefined();
    expect(decision.value).toBeNull();
    decision.destroy();
  });
});
