import { shiftSelection, spliceAtCaret, type TextDeltaOp, type TextSplice } from '@waymark/model';
import type * as Y from 'yjs';

export interface CardTextBindingOptions {
  /** Whether a transaction came from this textarea's own writes (those are already shown). */
  readonly isOwnEdit: (origin: unknown) => boolean;
  readonly write: (splice: TextSplice) => void;
}

/**
 * Binds a plain <textarea> to a card's Y.Text. Local typing becomes one splice at the caret;
 * everyone else's edits (and undo) are applied to the textarea with the caret and selection
 * carried through the change, so two people typing in one note both keep their place.
 */
export function bindCardText(text: Y.Text, options: CardTextBindingOptions) {
  return (textarea: HTMLTextAreaElement): (() => void) => {
    let shown = text.toString();
    textarea.value = shown;

    const onInput = () => {
      const next = textarea.value;
      const splice = spliceAtCaret(shown, next, textarea.selectionEnd);
      shown = next;
      if (splice === null) return;
      options.write(splice);
      // A refused or clamped write leaves the text different from what was typed. Its length
      // (kept by Yjs) tells without reading the text back, except for a same-length replacement.
      const differs = text.length !== next.length || (splice.remove === splice.insert.length && text.toString() !== next);
      if (differs) showRemote(null);
    };

    const showRemote = (delta: readonly TextDeltaOp[] | null) => {
      const next = text.toString();
      if (next === textarea.value) {
        shown = next;
        return;
      }
      const focused = document.activeElement === textarea;
      const selection = { start: textarea.selectionStart, end: textarea.selectionEnd };
      const direction = textarea.selectionDirection;
      textarea.value = next;
      shown = next;
      if (focused) {
        const moved = delta ? shiftSelection(selection, delta) : selection;
        textarea.setSelectionRange(moved.start, moved.end, direction);
      }
    };

    const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (options.isOwnEdit(transaction.origin)) return;
      showRemote(event.delta as TextDeltaOp[]);
    };

    textarea.addEventListener('input', onInput);
    text.observe(observer);
    return () => {
      textarea.removeEventListener('input', onInput);
      text.unobserve(observer);
    };
  };
}
