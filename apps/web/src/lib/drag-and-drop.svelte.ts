/**
 * Native HTML drag and drop for cards, stages and lanes. The payload is a custom type
 * only: a text/plain payload would be pasted into whatever textarea it is dropped on.
 */

export type DragKind = 'card' | 'stage' | 'lane';
export interface DragItem {
  readonly kind: DragKind;
  readonly id: string;
}

const MIME = 'application/x-waymark-item';

export interface CardDropTarget {
  readonly cellKey: string;
  readonly beforeId: string | null;
}

export interface HeaderDropTarget {
  readonly kind: 'stage' | 'lane';
  readonly id: string;
  readonly side: 'before' | 'after';
}

export class DragState {
  #item = $state.raw<DragItem | null>(null);
  #cardTarget = $state.raw<CardDropTarget | null>(null);
  #headerTarget = $state.raw<HeaderDropTarget | null>(null);

  get item(): DragItem | null {
    return this.#item;
  }
  get cardTarget(): CardDropTarget | null {
    return this.#cardTarget;
  }
  get headerTarget(): HeaderDropTarget | null {
    return this.#headerTarget;
  }

  start(event: DragEvent, item: DragItem, image?: Element | null): void {
    if (!event.dataTransfer) return;
    event.dataTransfer.setData(MIME, `${item.kind}:${item.id}`);
    event.dataTransfer.effectAllowed = 'move';
    if (image instanceof HTMLElement) event.dataTransfer.setDragImage(image, 16, 16);
    this.#item = item;
  }

  /** The dragged item, if this drag is one of ours and of the wanted kind. */
  accepts(event: DragEvent, kind: DragKind): DragItem | null {
    const types = event.dataTransfer?.types;
    if (!types || !Array.from(types).includes(MIME)) return null;
    return this.#item?.kind === kind ? this.#item : null;
  }

  aimCard(target: CardDropTarget | null): void {
    const current = this.#cardTarget;
    if (current?.cellKey === target?.cellKey && current?.beforeId === target?.beforeId) return;
    this.#cardTarget = target;
  }

  aimHeader(target: HeaderDropTarget | null): void {
    const current = this.#headerTarget;
    if (current?.id === target?.id && current?.side === target?.side) return;
    this.#headerTarget = target;
  }

  end(): void {
    this.#item = null;
    this.#cardTarget = null;
    this.#headerTarget = null;
  }
}

/** The card a drop at `clientY` lands before, among the cards listed in `container`. */
export function cardBefore(container: HTMLElement, clientY: number, draggedId: string): string | null {
  for (const element of container.querySelectorAll<HTMLElement>('[data-card-id]')) {
    const id = element.dataset['cardId'];
    if (!id || id === draggedId) continue;
    const box = element.getBoundingClientRect();
    if (clientY < box.top + box.height / 2) return id;
  }
  return null;
}
