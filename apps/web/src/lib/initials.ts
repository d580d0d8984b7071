/**
 * The one or two letters drawn in a person's avatar. They come from the words of the name that
 * start with a letter, leaving out asides in brackets ("Cleo (CX lead)" is "C") and, when the name
 * has two or more capitalised words, the small words between them ("Sam from Support" is "SS").
 */
export function initials(name: string): string {
  const outside = letterWords(name.replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, ' '));
  // A name that is all aside, like "(CX lead)", still has letters to show.
  const words = outside.length > 0 ? outside : letterWords(name.replace(/[()[\]{}]/g, ' '));
  if (words.length === 0) return firstCharacter(name.trim()) ?? '?';
  const capitalised = words.filter((word) => /^\p{Lu}/u.test(word));
  const chosen = capitalised.length >= 2 ? capitalised : words;
  const first = chosen[0]!;
  const last = chosen.length > 1 ? chosen[chosen.length - 1]! : undefined;
  return ((firstCharacter(first) ?? '') + (last ? (firstCharacter(last) ?? '') : '')).toUpperCase();
}

/** The words of `text` whose first letter or digit is a letter, with leading quotes and marks dropped. */
function letterWords(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((word) => /^\p{L}/u.test(word));
}

function firstCharacter(text: string): string | undefined {
  return Array.from(text)[0];
}
