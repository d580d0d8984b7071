/**
 * Keyboard use of the map grid, after the WAI-ARIA APG grid pattern. The grid is one tab
 * stop: one item (a card, an "Add card" button, a header, a cell) holds tabindex 0 and the
 * arrow keys move it (a roving tabindex). Arrows act only while an item itself has focus, so
 * a card's textarea, a slider or a menu keeps its own keys. Enter (or F2) goes into an item
 * (to its `[data-nav-enter]` control, or its first), Escape comes back out, and Tab leaves the grid.
 *
 * Rows are the grid's `role="row"` children; their cells and headers are the slots. A slot's
 * items are the `[data-nav-item]` elements inside it, or the slot itself when it has none.
 * Slots marked `data-nav-skip` (the corner, row ends) are passed over.
 */

const SLOT_ROLES = '[role="cell"], [role="columnheader"], [role="rowheader"], [role="gridcell"]';
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** Gives focus to the map grid's current item, as a skip link does. */
export function focusGrid(container: ParentNode | undefined): void {
  container?.querySelector<HTMLElement>('[data-nav-active]')?.focus();
}

export class GridKeyboard {
  #grid: HTMLElement | null = null;
  #active: HTMLElement | null = null;
  /** The item whose own controls are in the tab order because focus went inside it. */
  #entered: HTMLElement | null = null;
  /** The column vertical moves keep to, so passing through the emotion row does not lose it. */
  #column: number | null = null;
  #moving = false;
  /** Where the active item was, so a deleted card hands the tab stop to its neighbour. */
  #lastSlot: HTMLElement | null = null;
  #lastIndex = 0;
  /** What had focus in the grid, kept while it is there or was removed while focused. */
  #focused: HTMLElement | null = null;

  attach = (grid: HTMLElement) => {
    this.#grid = grid;
    for (const element of grid.querySelectorAll<HTMLElement>(FOCUSABLE)) element.tabIndex = -1;
    this.#settle();
    // Cards mount progressively and peers add and remove them: every control the grid gains
    // leaves the tab order (unless it appeared inside the item focus is in, such as the rating
    // controls the emotion curve opens), and a vanished active item hands the tab stop on.
    const observer = new MutationObserver((records) => {
      const place = (element: HTMLElement) => {
        if (element !== this.#active) element.tabIndex = this.#entered?.contains(element) ? 0 : -1;
      };
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof HTMLElement || node instanceof SVGElement)) continue;
          if (node.matches(FOCUSABLE)) place(node as HTMLElement);
          for (const element of node.querySelectorAll<HTMLElement>(FOCUSABLE)) place(element);
        }
      }
      this.#settle();
      this.#recoverFocus();
    });
    observer.observe(grid, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      this.#grid = null;
    };
  };

  onfocusin = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    this.#focused = target;
    const item = this.#itemOf(target);
    if (!item) return;
    this.#setActive(item, this.#moving);
    this.#enter(item === target ? null : item);
    // Focus that came by Tab, a click or a skip link: the browser has scrolled it into view,
    // maybe under the sticky headers; correct that before the frame is drawn.
    if (!this.#moving && !target.closest('[popover]')) requestAnimationFrame(() => this.#reveal(target));
  };

  onfocusout = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    // Focus that moved on leaves nothing to recover; a removed element (a deleted card, a
    // finished rename) is looked at once the grid's DOM has changed.
    queueMicrotask(() => {
      if (this.#focused === target && target.isConnected) this.#focused = null;
    });
  };

  onkeydown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    const item = this.#itemOf(target);
    if (!item) return;
    if (target !== item) {
      // Escape from a control inside an item (a card's text, a slider) goes back to the grid;
      // an open menu closes itself first.
      if (event.key === 'Escape' && !event.defaultPrevented && !target.closest('[popover]')) {
        event.preventDefault();
        this.#focus(item, true);
      }
      return;
    }
    if (event.altKey || event.metaKey || event.shiftKey) return;
    const next = this.#destination(item, event.key, event.ctrlKey);
    if (next) {
      event.preventDefault();
      this.#focus(next.item, next.vertical);
    } else if ((event.key === 'Enter' || event.key === 'F2') && !event.ctrlKey && !(item instanceof HTMLButtonElement)) {
      const inner = item.querySelector<HTMLElement>('[data-nav-enter]') ?? this.#controlsOf(item)[0];
      if (inner) {
        event.preventDefault();
        inner.focus();
      }
    }
  };

  #destination(item: HTMLElement, key: string, ctrl: boolean): { item: HTMLElement; vertical: boolean } | null {
    const slot = this.#slotOf(item);
    if (!slot) return null;
    const items = this.#itemsIn(slot);
    const index = items.indexOf(item);
    if (ctrl) {
      if (key !== 'Home' && key !== 'End') return null;
      const laneRows = this.#rows().filter((row) => row.querySelector(':scope > [role="rowheader"]'));
      const row = key === 'Home' ? laneRows[0] : laneRows.at(-1);
      const slots = row ? this.#slots(row) : [];
      const target = key === 'Home' ? (slots.find((s) => !isRowHeader(s)) ?? slots[0]) : slots.at(-1);
      return target ? { item: this.#itemsIn(target)[0]!, vertical: false } : null;
    }
    switch (key) {
      case 'ArrowUp':
      case 'ArrowDown': {
        const step = key === 'ArrowDown' ? 1 : -1;
        const within = items[index + step];
        if (within) return { item: within, vertical: true };
        return this.#rowStep(slot, step, step === 1 ? 'first' : 'last');
      }
      case 'PageUp':
      case 'PageDown':
        return this.#rowStep(slot, key === 'PageDown' ? 1 : -1, 'first');
      case 'ArrowLeft':
      case 'ArrowRight': {
        const slots = this.#slots(slot.parentElement!);
        const target = slots[slots.indexOf(slot) + (key === 'ArrowRight' ? 1 : -1)];
        if (!target) return null;
        const targetItems = this.#itemsIn(target);
        return { item: targetItems[Math.min(index, targetItems.length - 1)]!, vertical: false };
      }
      case 'Home':
      case 'End': {
        const slots = this.#slots(slot.parentElement!);
        const firstStage = slots.find((s) => !isRowHeader(s)) ?? slots[0];
        // Home goes to the row's first stage; pressed there, on to the lane's header.
        const target = key === 'End' ? slots.at(-1) : firstStage === slot ? slots[0] : firstStage;
        return target ? { item: this.#itemsIn(target)[0]!, vertical: false } : null;
      }
    }
    return null;
  }

  /** The slot one row up or down, in the remembered column, skipping rows with no slots. */
  #rowStep(slot: HTMLElement, step: 1 | -1, land: 'first' | 'last'): { item: HTMLElement; vertical: boolean } | null {
    const rows = this.#rows();
    const column = this.#column ?? this.#columns(slot.parentElement!).find((entry) => entry.slot === slot)?.start ?? 0;
    for (let r = rows.indexOf(slot.parentElement!) + step; r >= 0 && r < rows.length; r += step) {
      const columns = this.#columns(rows[r]!);
      if (columns.length === 0) continue;
      const hit =
        columns.find((entry) => entry.start <= column && column < entry.end) ??
        columns.reduce((best, entry) => (Math.abs(entry.start - column) < Math.abs(best.start - column) ? entry : best));
      const items = this.#itemsIn(hit.slot);
      return { item: (land === 'first' ? items[0] : items.at(-1))!, vertical: true };
    }
    return null;
  }

  #focus(item: HTMLElement, vertical: boolean) {
    this.#moving = vertical;
    if (!vertical) this.#column = null;
    // Cells and headers take focus only once they hold the tab stop.
    this.#setActive(item, vertical);
    item.focus({ preventScroll: true });
    this.#moving = false;
    this.#reveal(item);
  }

  #setActive(item: HTMLElement, keepColumn: boolean) {
    if (!keepColumn || this.#column === null) {
      const slot = this.#slotOf(item);
      this.#column = slot ? (this.#columns(slot.parentElement!).find((entry) => entry.slot === slot)?.start ?? null) : null;
    }
    if (item === this.#active) return;
    if (this.#active) {
      this.#active.tabIndex = -1;
      this.#active.removeAttribute('data-nav-active');
    }
    this.#active = item;
    this.#lastSlot = this.#slotOf(item);
    this.#lastIndex = this.#lastSlot ? this.#itemsIn(this.#lastSlot).indexOf(item) : 0;
    item.tabIndex = 0;
    item.setAttribute('data-nav-active', '');
  }

  /** While focus is inside an item, its own controls take part in Tab; afterwards they leave it again. */
  #enter(item: HTMLElement | null) {
    if (this.#entered === item) return;
    if (this.#entered) for (const control of this.#controlsOf(this.#entered)) control.tabIndex = -1;
    this.#entered = item;
    if (item) for (const control of this.#controlsOf(item)) control.tabIndex = 0;
  }

  /** Keeps exactly one item in the tab order, falling back to the first cell of the first lane. */
  #settle() {
    if (this.#active?.isConnected && this.#itemOf(this.#active) === this.#active) return;
    if (this.#active?.isConnected) {
      this.#active.tabIndex = -1;
      this.#active.removeAttribute('data-nav-active');
    }
    this.#active = null;
    if (this.#lastSlot?.isConnected) {
      const items = this.#itemsIn(this.#lastSlot);
      this.#setActive(items[Math.min(this.#lastIndex, items.length - 1)]!, true);
      return;
    }
    const rows = this.#rows();
    const laneRow = rows.find((row) => row.querySelector(':scope > [role="rowheader"]'));
    const slots = this.#slots(laneRow ?? rows[0] ?? this.#grid!);
    const slot = slots.find((s) => !isRowHeader(s)) ?? slots[0];
    if (slot) this.#setActive(this.#itemsIn(slot)[0]!, false);
  }

  /**
   * When the focused element is removed (its card deleted, its rename finished), the browser
   * drops focus to the page; put it back on the grid's tab stop instead. A frame later, so a
   * component that refocuses on its own (a card moved by its grip) goes first.
   */
  #recoverFocus() {
    const lost = this.#focused;
    if (!lost || lost.isConnected) return;
    this.#focused = null;
    requestAnimationFrame(() => {
      const active = this.#active;
      if (active?.isConnected && (document.activeElement === document.body || document.activeElement === null)) this.#focus(active, true);
    });
  }

  /**
   * Scrolls `element` fully into the part of the scroller the sticky stage row and lane
   * column leave uncovered (unless it is itself in one of them).
   */
  #reveal(element: HTMLElement) {
    const grid = this.#grid;
    const scroller = grid?.parentElement;
    if (!grid || !scroller || !element.isConnected) return;
    const view = scroller.getBoundingClientRect();
    const corner = grid.querySelector(':scope > [role="row"] > [data-nav-skip]')?.getBoundingClientRect();
    const slot = this.#slotOf(element);
    const style = slot ? getComputedStyle(slot) : null;
    const sticky = style?.position === 'sticky';
    const box = element.getBoundingClientRect();
    const margin = 6;
    const top = (sticky && style?.top !== 'auto' ? view.top : (corner?.bottom ?? view.top)) + margin;
    const left = (sticky && style?.left !== 'auto' ? view.left : (corner?.right ?? view.left)) + margin;
    const bottom = view.top + scroller.clientTop + scroller.clientHeight - margin;
    const right = view.left + scroller.clientLeft + scroller.clientWidth - margin;
    const dy = box.top < top || box.height > bottom - top ? box.top - top : Math.max(0, box.bottom - bottom);
    const dx = box.left < left || box.width > right - left ? box.left - left : Math.max(0, box.right - right);
    const stuckTop = sticky && style?.top !== 'auto';
    const stuckLeft = sticky && style?.left !== 'auto';
    if ((dy !== 0 && !stuckTop) || (dx !== 0 && !stuckLeft)) {
      scroller.scrollBy({ top: stuckTop ? 0 : dy, left: stuckLeft ? 0 : dx, behavior: 'instant' });
    }
  }

  #rows(): HTMLElement[] {
    return this.#grid ? [...this.#grid.querySelectorAll<HTMLElement>(':scope > [role="row"]')] : [];
  }

  #slots(row: HTMLElement): HTMLElement[] {
    return this.#columns(row).map((entry) => entry.slot);
  }

  /** A row's slots with the grid columns each covers (the emotion curve spans every stage). */
  #columns(row: HTMLElement): { slot: HTMLElement; start: number; end: number }[] {
    const columns: { slot: HTMLElement; start: number; end: number }[] = [];
    let start = 0;
    for (const child of row.children) {
      if (!(child instanceof HTMLElement) || !child.matches(SLOT_ROLES)) continue;
      const span = Number(/span (\d+)/.exec(child.style.gridColumn)?.[1] ?? 1);
      if (!child.hasAttribute('data-nav-skip')) columns.push({ slot: child, start, end: start + span });
      start += span;
    }
    return columns;
  }

  #slotOf(element: Element): HTMLElement | null {
    const slot = element.closest<HTMLElement>(SLOT_ROLES);
    return slot && slot.parentElement?.parentElement === this.#grid && !slot.hasAttribute('data-nav-skip') ? slot : null;
  }

  #itemsIn(slot: HTMLElement): HTMLElement[] {
    const marked = [...slot.querySelectorAll<HTMLElement>('[data-nav-item]')];
    return marked.length > 0 ? marked : [slot];
  }

  #itemOf(element: Element): HTMLElement | null {
    const slot = this.#slotOf(element);
    return slot ? (this.#itemsIn(slot).find((item) => item.contains(element)) ?? null) : null;
  }

  /** The controls inside an item, in order, leaving out closed menus. */
  #controlsOf(item: HTMLElement): HTMLElement[] {
    return [...item.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (control) => !control.closest('[popover]') && !(control as HTMLButtonElement).disabled,
    );
  }
}

function isRowHeader(slot: HTMLElement): boolean {
  return slot.getAttribute('role') === 'rowheader';
}
