import type { DragState } from './drag-and-drop.svelte';

export type HeaderPlacement = { readonly before: string } | { readonly after: string };

/**
 * Makes a stage or lane header a drop target for its own kind: dropping on the first half
 * (left for stages, top for lanes) places the dragged one before it, else after it.
 */
export function headerDropZone(
  drag: DragState,
  kind: 'stage' | 'lane',
  id: string,
  move: (draggedId: string, placement: HeaderPlacement) => void,
) {
  return (node: HTMLElement): (() => void) => {
    const sideOf = (event: DragEvent): 'before' | 'after' => {
      const box = node.getBoundingClientRect();
      return kind === 'stage'
        ? event.clientX < box.left + box.width / 2
          ? 'before'
          : 'after'
        : event.clientY < box.top + box.height / 2
          ? 'before'
          : 'after';
    };
    const over = (event: DragEvent) => {
      const item = drag.accepts(event, kind);
      if (!item || item.id === id) return;
      event.preventDefault();
      drag.aimHeader({ kind, id, side: sideOf(event) });
    };
    const leave = (event: DragEvent) => {
      if (!node.contains(event.relatedTarget as Node | null)) drag.aimHeader(null);
    };
    const drop = (event: DragEvent) => {
      const item = drag.accepts(event, kind);
      if (!item || item.id === id) return;
      event.preventDefault();
      move(item.id, sideOf(event) === 'before' ? { before: id } : { after: id });
      drag.end();
    };
    node.addEventListener('dragover', over);
    node.addEventListener('dragleave', leave);
    node.addEventListener('drop', drop);
    return () => {
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
    };
  };
}

/** Double-click to rename: a mouse shortcut for the "Rename" menu item. */
export function onDoubleClick(run: () => void) {
  return (node: HTMLElement): (() => void) => {
    node.addEventListener('dblclick', run);
    return () => node.removeEventListener('dblclick', run);
  };
}
