import { describe, expect, it } from 'vitest';
import { dropIndex, moveIndex } from './order';

describe('moving goals and steps', () => {
  it('puts a dropped item before or after the one it lands on', () => {
    const order = ['a', 'b', 'c', 'd'];
    expect(dropIndex(order, 'a', 'c', 'top')).toBe(1);
    expect(dropIndex(order, 'a', 'c', 'bottom')).toBe(2);
    expect(dropIndex(order, 'd', 'a', 'top')).toBe(0);
    // Arriving from another list (another area): the item is not in `order`.
    expect(dropIndex(order, 'x', 'b', 'bottom')).toBe(2);
    expect(dropIndex(order, 'x', 'gone', 'top')).toBe(4);
  });

  it('moves up, down, to the top and the bottom, and says when it cannot', () => {
    const order = ['a', 'b', 'c'];
    expect(moveIndex(order, 'b', 'up')).toBe(0);
    expect(moveIndex(order, 'b', 'down')).toBe(2);
    expect(moveIndex(order, 'c', 'top')).toBe(0);
    expect(moveIndex(order, 'a', 'bottom')).toBe(2);
    expect(moveIndex(order, 'a', 'up')).toBeNull();
    expect(moveIndex(order, 'c', 'down')).toBeNull();
    expect(moveIndex(order, 'a', 'top')).toBeNull();
    expect(moveIndex(order, 'z', 'up')).toBeNull();
  });
});
