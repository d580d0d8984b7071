import { measureText, type Weight } from './export-font.js';

/**
 * Card text is whatever anyone typed: it is cleaned of what no drawing can show, then broken into
 * lines that fit a width, the way the editor wraps it (at spaces, and inside a word only when the
 * word alone is wider than the line).
 */

/**
 * Control characters (C0 but tab and line feed, DEL, C1), lone surrogates and the noncharacters
 * U+FFFE/U+FFFF. XML 1.0 forbids most of them even as character references, so an SVG holding one
 * does not parse; a PDF would show them as boxes.
 */
const UNDRAWABLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(UNDRAWABLE, '');
}

export interface TextStyle {
  readonly size: number;
  readonly weight: Weight;
}

const ELLIPSIS = '…';

/** The longest prefix of `text` no wider than `width`, whole code points, at least one. */
function fittingPrefix(text: string, width: number, measure: (text: string) => number): string {
  let prefix = '';
  let prefixWidth = 0;
  for (const char of text) {
    prefixWidth += measure(char);
    if (prefix && prefixWidth > width) break;
    prefix += char;
  }
  return prefix;
}

/**
 * `text` in lines no wider than `width`. Line breaks in the text are kept; runs of spaces become
 * one. With `maxLines`, a longer text ends in an ellipsis on the last line (and is not read past
 * it, so a megabyte of text costs no more than a screenful).
 */
export function wrapText(text: string, width: number, style: TextStyle, maxLines = Number.POSITIVE_INFINITY): string[] {
  const measure = (line: string) => measureText(line, style.size, style.weight);
  const space = measure(' ');
  const lines: string[] = [];
  const full = () => lines.length > maxLines;
  for (const paragraph of cleanText(text).split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      if (!word) continue;
      const wordWidth = measure(word);
      if (line && lineWidth + space + wordWidth <= width) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line) lines.push(line);
      if (full()) break;
      line = word;
      lineWidth = wordWidth;
      if (wordWidth <= width) continue;
      // A word wider than the line (a URL, a hash) is broken where it must be.
      line = '';
      lineWidth = 0;
      for (const char of word) {
        const charWidth = measure(char);
        if (line && lineWidth + charWidth > width) {
          lines.push(line);
          if (full()) break;
          line = '';
          lineWidth = 0;
        }
        line += char;
        lineWidth += charWidth;
      }
      if (full()) break;
    }
    if (full()) break;
    lines.push(line);
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] =
    measure(`${last}${ELLIPSIS}`) <= width
      ? `${last}${ELLIPSIS}`
      : `${fittingPrefix(last, width - measure(ELLIPSIS), measure).trimEnd()}${ELLIPSIS}`;
  return kept;
}
