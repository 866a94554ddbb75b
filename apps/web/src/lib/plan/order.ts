/**
 * Where a goal or an action step lands when someone moves it, by dragging (on which edge of
 * which sibling it was dropped) or by the keyboard and the move buttons (up, down, to the top, to
 * the bottom): an index among its siblings, for @concord/documents' moveGoal / moveActionStep.
 * Pure.
 */
export type DropEdge = 'top' | 'bottom';
export type Move = 'up' | 'down' | 'top' | 'bottom';

/**
 * The index a dragged item takes when dropped on `edge` of `targetId`, in a list ordered as
 * `order` (which may hold the dragged item, moving within the list, or not, arriving from another).
 */
export function dropIndex(
  order: readonly string[],
  draggedId: string,
  targetId: string,
  edge: DropEdge,
): number {
  const without = order.filter((id) => id !== draggedId);
  const at = without.indexOf(targetId);
  if (at < 0) return without.length;
  return edge === 'top' ? at : at + 1;
}

/** The index `id` moves to, or null when it cannot go that way (already first or last). */
export function moveIndex(order: readonly string[], id: string, move: Move): number | null {
  const at = order.indexOf(id);
  const last = order.length - 1;
  if (at < 0) return null;
  const to = { up: at - 1, down: at + 1, top: 0, bottom: last }[move];
  return to < 0 || to > last || to === at ? null : to;
}
