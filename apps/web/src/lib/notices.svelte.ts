export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly id: number;
  readonly message: string;
  readonly tone: 'info' | 'error';
  readonly action?: NoticeAction;
}

const VISIBLE_MS = 8000;

/** Short messages at the bottom of the page: "Stage deleted · Undo", a failed write. */
export class Notices {
  #items = $state.raw<readonly Notice[]>([]);
  #nextId = 1;
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();

  get items(): readonly Notice[] {
    return this.#items;
  }

  /**
   * Shows a notice for a while. The same message again (a refusal on each keystroke, a second
   * "Card deleted") renews the one on screen rather than stacking copies of it.
   */
  show(message: string, options: { tone?: Notice['tone']; action?: NoticeAction } = {}): number {
    const tone = options.tone ?? 'info';
    for (const notice of this.#items) if (notice.message === message && notice.tone === tone) this.dismiss(notice.id);
    const id = this.#nextId++;
    const notice: Notice = { id, message, tone, ...(options.action ? { action: options.action } : {}) };
    this.#items = [...this.#items.slice(-2), notice];
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), VISIBLE_MS),
    );
    return id;
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.#items = this.#items.filter((notice) => notice.id !== id);
  }

  /** Drops every offer to undo: once something newer happened, "Undo" would undo that. */
  dismissActions(): void {
    for (const notice of this.#items) if (notice.action) this.dismiss(notice.id);
  }

  destroy(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
  }
}
