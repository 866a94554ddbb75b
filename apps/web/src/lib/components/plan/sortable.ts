/**
 * Drag to reorder, as a Svelte attachment over Atlassian's pragmatic-drag-and-drop (native HTML
 * drag and drop, so it works with the browser's own drag image and scrolling): the element's
 * handle is draggable and the element a drop target, and a drop says which sibling it landed on
 * and on which edge (top or bottom half). The caller turns that into an index and a document change;
 * keyboard and touch users move the same things through MoveHandle's buttons and arrow keys.
 */
import { combine } from '@atlaskit/pragmatic-drag-and-drop/combine';
import {
  draggable,
  dropTargetForElements,
} from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { attachClosestEdge } from '@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/attach-closest-edge';
import { extractClosestEdge } from '@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/extract-closest-edge';
import type { Attachment } from 'svelte/attachments';
import type { DropEdge } from '$lib/plan/order';

export interface SortableOptions {
  /** What is dragged ("goal", "step:<goal id>"): only the same kind is dropped on it. */
  kind: string;
  id: string;
  /** A selector of the drag handle inside the element. */
  handle: string;
  disabled?: boolean;
  /** Another item of the same kind was dropped on this one. */
  ondrop: (draggedId: string, edge: DropEdge) => void;
  /** While an item hovers over this one: the edge it would land on, or null when it leaves. */
  onhover?: (edge: DropEdge | null) => void;
  /** This item started (true) or stopped (false) being dragged. */
  ondragging?: (dragging: boolean) => void;
}

export function sortable(options: SortableOptions): Attachment<HTMLElement> {
  return (element) => {
    if (options.disabled) return;
    const handle = element.querySelector<HTMLElement>(options.handle);
    const data = { kind: options.kind, id: options.id };
    return combine(
      // Only the handle is draggable (the card's text fields stay selectable with a mouse in
      // every browser); the drag image is the whole card, held where it was grabbed.
      ...(handle
        ? [
            draggable({
              element: handle,
              getInitialData: () => data,
              onGenerateDragPreview: ({ nativeSetDragImage, location }) => {
                const box = element.getBoundingClientRect();
                nativeSetDragImage?.(
                  element,
                  location.current.input.clientX - box.left,
                  location.current.input.clientY - box.top,
                );
              },
              onDragStart: () => options.ondragging?.(true),
              onDrop: () => options.ondragging?.(false),
            }),
          ]
        : []),
      dropTargetForElements({
        element,
        canDrop: ({ source }) => source.data.kind === options.kind && source.data.id !== options.id,
        getData: ({ input }) =>
          attachClosestEdge(data, { input, element, allowedEdges: ['top', 'bottom'] }),
        onDrag: ({ self }) => options.onhover?.(edgeOf(self.data)),
        onDragLeave: () => options.onhover?.(null),
        onDrop: ({ source, self }) => {
          options.onhover?.(null);
          if (typeof source.data.id === 'string') options.ondrop(source.data.id, edgeOf(self.data));
        },
      }),
    );
  };
}

function edgeOf(data: Record<string | symbol, unknown>): DropEdge {
  return extractClosestEdge(data) === 'top' ? 'top' : 'bottom';
}
