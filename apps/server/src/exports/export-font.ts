import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * The one typeface of the PNG and PDF exports: DejaVu Sans, shipped by the `dejavu-fonts-ttf`
 * npm package and loaded from there by path, so a fresh `pnpm install` renders the same glyphs
 * everywhere without a browser or system fonts. It covers Latin with all its accents, Greek,
 * Cyrillic, Armenian, Georgian, Hebrew, basic Arabic, IPA and many symbols, arrows and dashes;
 * it has no CJK, no Indic or Thai scripts and no colour emoji (see `isCovered`).
 */

export type Weight = 'regular' | 'bold';

const fontDirectory = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONT_FILES: Readonly<Record<Weight, string>> = Object.freeze({
  regular: join(fontDirectory, 'DejaVuSans.ttf'),
  bold: join(fontDirectory, 'DejaVuSans-Bold.ttf'),
});

interface LoadedFont {
  readonly bytes: Buffer;
  readonly font: Font;
  /** Advance width per code point, in font units: measuring 500 cards asks for the same few hundred. */
  readonly advances: Map<number, number>;
}

const loaded = new Map<Weight, LoadedFont>();

function load(weight: Weight): LoadedFont {
  let entry = loaded.get(weight);
  if (!entry) {
    const bytes = readFileSync(FONT_FILES[weight]);
    const font = create(bytes);
    if (!('unitsPerEm' in font)) throw new Error(`${FONT_FILES[weight]} is a font collection, not one font`);
    entry = { bytes, font, advances: new Map() };
    loaded.set(weight, entry);
  }
  return entry;
}

/** The font as fontkit reads it: shaping and glyph outlines for the PNG's SVG. */
export function exportFont(weight: Weight): Font {
  return load(weight).font;
}

/** The TrueType file's bytes, for the PDF to embed (pdfkit keeps only the glyphs used). */
export function fontBytes(weight: Weight): Buffer {
  return load(weight).bytes;
}

/**
 * The width of `text` set in `size` px, from the glyphs' advance widths. Kerning is left out;
 * DejaVu Sans kerns little, and layouts leave a few pixels of slack for it.
 */
export function measureText(text: string, size: number, weight: Weight = 'regular'): number {
  const { font, advances } = load(weight);
  let units = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    let advance = advances.get(codePoint);
    if (advance === undefined) {
      advance = font.glyphForCodePoint(codePoint).advanceWidth;
      advances.set(codePoint, advance);
    }
    units += advance;
  }
  return (units * size) / font.unitsPerEm;
}

/** Whether the export font draws this character (otherwise an empty box, or nothing, shows). */
export function isCovered(char: string): boolean {
  const codePoint = char.codePointAt(0);
  return codePoint !== undefined && load('regular').font.hasGlyphForCodePoint(codePoint);
}
