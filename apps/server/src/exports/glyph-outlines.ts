import { exportFont, type Weight } from './export-font.js';

/**
 * Text for the PNG is drawn as glyph outlines, not as SVG `<text>`: fontkit shapes each line with
 * the export font (the same shaping pdfkit uses for the PDF, so Arabic joins and accents sit the
 * same in both) and each glyph's outline is defined once and then placed with `<use>`. resvg's
 * own layout of `<text>` outlines every glyph anew and took seconds for a 500-card map; placing
 * shared outlines costs a fraction of that, and no font on the rendering machine can take part.
 */
export class GlyphOutlines {
  readonly #defs = new Map<string, string>();

  /** One line as `<use>`s of glyphs in font units (y up), and its advance width in font units. */
  line(text: string, weight: Weight): { uses: string; advance: number; unitsPerEm: number } {
    const font = exportFont(weight);
    const run = font.layout(text);
    let pen = 0;
    let uses = '';
    run.glyphs.forEach((glyph, index) => {
      const position = run.positions[index]!;
      const id = `${weight === 'bold' ? 'b' : 'r'}${glyph.id}`;
      if (!this.#defs.has(id)) {
        const outline = glyph.path.toSVG();
        this.#defs.set(id, outline ? `<path id="${id}" d="${outline}"/>` : '');
      }
      if (this.#defs.get(id)) {
        const x = Math.round(pen + position.xOffset);
        const y = Math.round(position.yOffset);
        uses += `<use href="#${id}" x="${x}"${y ? ` y="${y}"` : ''}/>`;
      }
      pen += position.xAdvance;
    });
    return { uses, advance: pen, unitsPerEm: font.unitsPerEm };
  }

  /** The outlines of every glyph placed so far, for the SVG's `<defs>`. */
  defs(): string {
    return [...this.#defs.values()].join('');
  }
}
