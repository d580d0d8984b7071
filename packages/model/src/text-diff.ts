import type * as Y from 'yjs';
import { isHighSurrogate, isLowSurrogate } from './surrogates.js';

/**
 * Replacing a card's whole Y.Text would wipe out what someone else is typing into it at
 * the same moment. Keeping the common prefix and suffix limits the edit to the part that
 * actually changed, so concurrent typing elsewhere in the note survives.
 */

/**
 * Lengths of the common prefix and suffix (UTF-16 units) of two strings, never splitting a
 * surrogate pair: Yjs replaces half a pair with U+FFFD when an edit cuts through it.
 */
export function commonAffixes(previous: string, next: string): { prefix: number; suffix: number } {
  const shorter = Math.min(previous.length, next.length);
  let prefix = 0;
  while (prefix < shorter && previous.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(previous.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (suffix < shorter - prefix && previous.charCodeAt(previous.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) {
    suffix++;
  }
  if (suffix > 0 && isLowSurrogate(previous.charCodeAt(previous.length - suffix))) suffix--;
  return { prefix, suffix };
}

/** Makes `text` read `next` with one delete and one insert of the changed middle. */
export function replaceText(text: Y.Text, next: string): void {
  const previous = text.toString();
  if (previous === next) return;
  const { prefix, suffix } = commonAffixes(previous, next);
  const removed = previous.length - prefix - suffix;
  if (removed > 0) text.delete(prefix, removed);
  const inserted = next.slice(prefix, next.length - suffix);
  if (inserted !== '') text.insert(prefix, inserted);
}
