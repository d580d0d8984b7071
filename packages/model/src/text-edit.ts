import { isHighSurrogate, isLowSurrogate } from './surrogates.js';

/**
 * Turning "the textarea used to read `previous` and now reads `next`" into one splice.
 * A plain prefix/suffix diff is ambiguous on repeated letters: typing "a" at the start of
 * "aa" looks like an append. For text others are editing at the same moment the position
 * matters, so the change is anchored at the caret the browser reports after the input.
 */

export interface TextSplice {
  readonly index: number;
  readonly remove: number;
  readonly insert: string;
}

/**
 * The splice that turns `previous` into `next`, assuming the edited region ends at
 * `caret` (an index into `next`). Returns null when nothing changed.
 */
export function spliceAtCaret(previous: string, next: string, caret: number): TextSplice | null {
  if (previous === next) return null;
  const end = Math.max(0, Math.min(caret, next.length));
  // The text after the caret is untouched by typing, so match the suffix first, up to it.
  let suffix = 0;
  const maxSuffix = Math.min(previous.length, next.length - end);
  while (suffix < maxSuffix && previous.charCodeAt(previous.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) {
    suffix++;
  }
  if (suffix > 0 && isLowSurrogate(next.charCodeAt(next.length - suffix))) suffix--;
  let prefix = 0;
  const maxPrefix = Math.min(previous.length, next.length) - suffix;
  while (prefix < maxPrefix && previous.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(next.charCodeAt(prefix - 1))) prefix--;
  return {
    index: prefix,
    remove: previous.length - prefix - suffix,
    insert: next.slice(prefix, next.length - suffix),
  };
}

/** Applies a splice to a string, for checking and for optimistic views. */
export function applySplice(text: string, splice: TextSplice): string {
  return text.slice(0, splice.index) + splice.insert + text.slice(splice.index + splice.remove);
}
