/** A piece of a comment's text: plain, or one of the names it mentions (`@Name`). */
export interface TextPiece {
  readonly text: string;
  readonly mention: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A comment's text cut at the names it mentions, so a view can mark them; longer names first. */
export function mentionPieces(text: string, mentions: readonly string[]): TextPiece[] {
  const names = mentions.filter((name) => name.trim() !== '').sort((a, b) => b.length - a.length);
  if (names.length === 0) return [{ text, mention: false }];
  const pattern = new RegExp(`@(?:${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > at) pieces.push({ text: text.slice(at, match.index), mention: false });
    pieces.push({ text: match[0], mention: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), mention: false });
  return pieces;
}

/** The @-mention being typed just before the caret: where its `@` is and what follows it, or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)@([^\s@][^@\n]{0,40}|)$/u.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** The names to offer for a query: those starting with it (case aside), then those containing it; at most `limit`. */
export function mentionSuggestions(names: readonly string[], query: string, limit = 6): string[] {
  const wanted = query.trim().toLowerCase();
  const starting = names.filter((name) => name.toLowerCase().startsWith(wanted));
  const containing = names.filter((name) => !starting.includes(name) && name.toLowerCase().includes(wanted));
  return [...starting, ...containing].slice(0, limit);
}

/** The text with the mention being typed (from `start` to the caret) replaced by `@name `, and where the caret goes. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}
