/**
 * UTF-16 surrogate halves: a text edit must never cut between them, or Yjs replaces the lone
 * half with U+FFFD. Every text diff in the model trims its prefix and suffix with these.
 */

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
