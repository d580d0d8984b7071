import type * as Y from 'yjs';
import { cardText, onWriterCard, writerAuthor, writerCards } from '../sync/bench-document.js';

/**
 * What one document holds of each bench writer's card (bench-document.ts): each writer types
 * only into its own card, one character per keystroke, so the text's length is the number of
 * its keystrokes the document holds, without gaps (Yjs integrates one client's updates in order).
 */
export class TypedCards {
  /** Writer id → its card's id, once the card is here. */
  readonly #cards = new Map<string, string>();
  /** Length of each writer's text when last seen, to hand `grown` the new keystrokes only. */
  readonly #lengths = new Map<string, number>();

  /**
   * `grown(writerId, before, now)` is called as keystrokes arrive: those numbered before+1..now
   * are new here.
   */
  constructor(
    readonly doc: Y.Doc,
    readonly writers: readonly string[],
    readonly grown: (writerId: string, before: number, now: number) => void = () => {},
  ) {
    const byAuthor = new Map(writers.map((writerId) => [writerAuthor(writerId), writerId]));
    onWriterCard(doc, (author, cardId) => {
      const writerId = byAuthor.get(author);
      if (writerId !== undefined) this.#watch(writerId, cardId);
    });
  }

  /** Keystrokes of the writer this document holds (0 while its card has not arrived). */
  held(writerId: string): number {
    return this.text(writerId).length;
  }

  text(writerId: string): string {
    const cardId = this.#cardOf(writerId);
    return (cardId === undefined ? undefined : cardText(this.doc, cardId)?.toString()) ?? '';
  }

  hasCard(writerId: string): boolean {
    return this.#cardOf(writerId) !== undefined;
  }

  #cardOf(writerId: string): string | undefined {
    if (!this.#cards.has(writerId)) {
      // A card that came before the observer saw it (in the document from the start).
      const cardId = writerCards(this.doc).get(writerAuthor(writerId));
      if (cardId !== undefined) this.#watch(writerId, cardId);
    }
    return this.#cards.get(writerId);
  }

  #watch(writerId: string, cardId: string): void {
    const text = cardText(this.doc, cardId);
    if (this.#cards.has(writerId) || !text) return;
    this.#cards.set(writerId, cardId);
    this.#lengths.set(writerId, text.length);
    text.observe(() => {
      const before = this.#lengths.get(writerId) ?? 0;
      if (text.length <= before) return;
      this.#lengths.set(writerId, text.length);
      this.grown(writerId, before, text.length);
    });
  }
}

/** The text a writer's card holds after `count` keystrokes (typeKeystroke in bench-document.ts). */
export function expectedText(count: number): string {
  let text = '';
  for (let seq = 1; seq <= count; seq++) text += String.fromCharCode(97 + (seq % 26));
  return text;
}
