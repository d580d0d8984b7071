/** A question the page asks before doing something that cannot be undone (ConfirmDialog shows it). */
export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
}

/** Whatever holds the question being asked: a map page's MapUi, or a Confirmation of its own. */
export interface ConfirmAsker {
  readonly confirm: ConfirmRequest | null;
  ask(request: ConfirmRequest): void;
  answered(): void;
}

/** The question being asked, for a page with no MapUi (the library). */
export class Confirmation implements ConfirmAsker {
  #confirm = $state.raw<ConfirmRequest | null>(null);

  get confirm(): ConfirmRequest | null {
    return this.#confirm;
  }

  ask(request: ConfirmRequest): void {
    this.#confirm = request;
  }

  answered(): void {
    this.#confirm = null;
  }
}
