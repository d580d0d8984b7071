import { cardText, spliceAtCaret, spliceCardText } from '@waymark/model';
import type * as Y from 'yjs';
import { pick } from './random.js';

type Random = () => number;

/** What a person types: words, single letters (repeated ones make a plain diff guess wrong), a line break, letters outside the BMP. */
export const TYPED = ['slow checkout', 'asks sales', 'a', 'aa', 's', ' ', 'é', '\n', '👍', 'calls 👍 support'];

/** What the textarea reads after one input event, and where the browser puts the caret. */
export interface Keystroke {
  readonly next: string;
  readonly caret: number;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A caret position the browser could report: never inside a surrogate pair. */
function caretIn(text: string, random: Random): number {
  const at = Math.floor(random() * (text.length + 1));
  return at > 0 && at < text.length && isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at)) ? at - 1 : at;
}

/** The length of the character before (`-1`) or after (`1`) `at`: 2 for a surrogate pair. */
function characterLength(text: string, at: number, direction: -1 | 1): number {
  if (direction < 0) return at >= 2 && isLow(text.charCodeAt(at - 1)) && isHigh(text.charCodeAt(at - 2)) ? 2 : 1;
  return isHigh(text.charCodeAt(at)) && isLow(text.charCodeAt(at + 1)) ? 2 : 1;
}

/**
 * One input event in a card's textarea, picked at random: typing at the caret, Backspace,
 * Delete, or typing over (or cutting, or pasting over) a selection.
 */
export function keystroke(previous: string, random: Random, typed: () => string = () => pick(random, TYPED)!): Keystroke {
  const caret = caretIn(previous, random);
  const roll = random();
  if (roll < 0.45) {
    const text = typed();
    return { next: previous.slice(0, caret) + text + previous.slice(caret), caret: caret + text.length };
  }
  if (roll < 0.65) {
    if (caret === 0) return { next: previous, caret };
    const from = caret - characterLength(previous, caret, -1);
    return { next: previous.slice(0, from) + previous.slice(caret), caret: from };
  }
  if (roll < 0.75) {
    if (caret === previous.length) return { next: previous, caret };
    return { next: previous.slice(0, caret) + previous.slice(caret + characterLength(previous, caret, 1)), caret };
  }
  const other = caretIn(previous, random);
  const [start, end] = caret < other ? [caret, other] : [other, caret];
  const text = random() < 0.3 ? '' : typed();
  return { next: previous.slice(0, start) + text + previous.slice(end), caret: start + text.length };
}

/**
 * Types into a card the way the web app's textarea binding writes (card-text-binding.ts): the
 * splice between the text shown and the text after the input, anchored at the caret, through
 * `spliceCardText`. Returns false when the card has no shared text to type into.
 */
export function typeIntoCard(doc: Y.Doc, id: string, random: Random, typed?: () => string): boolean {
  const text = cardText(doc, id);
  if (!text) return false;
  const previous = text.toString();
  const { next, caret } = keystroke(previous, random, typed);
  const splice = spliceAtCaret(previous, next, caret);
  if (splice === null) return true;
  spliceCardText(doc, id, splice);
  // The binding shows the document's text again if it differs: on one's own copy it never should.
  if (text.toString() !== next) {
    throw new Error(`typing into ${id} gave ${JSON.stringify(text.toString())}, the textarea reads ${JSON.stringify(next)}`);
  }
  return true;
}
