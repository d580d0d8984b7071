import { GlyphOutlines } from './glyph-outlines.js';
import type { Scene, Shape, TextShape } from './scene.js';
import { cleanText } from './text-lines.js';

/**
 * A scene as an SVG document, for resvg to rasterise. Text is drawn as glyph outlines (see
 * GlyphOutlines) and kept, escaped, in each line's `aria-label`, so the SVG still says what it
 * shows. Every string that reaches the markup goes through `escapeXml`: card text is whatever
 * anyone typed, and `</text><script>` in it must stay text.
 */

/** Text safe in XML content and in a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"'\n]/g, (char) => `&#${char.codePointAt(0)};`);
}

/** Coordinates to two decimals: exact enough for pixels, and never an exponent such as 1e-7. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Only #rrggbb or `none` reach a paint attribute; the model already checks card and persona colours. */
function paint(colour: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) || colour === 'none' ? colour : '#000000';
}

function dash(values: readonly number[] | undefined): string {
  return values ? ` stroke-dasharray="${values.map(n).join(' ')}"` : '';
}

function textSvg(shape: TextShape, glyphs: GlyphOutlines): string {
  const { uses, advance, unitsPerEm } = glyphs.line(cleanText(shape.text), shape.weight);
  const scale = shape.size / unitsPerEm;
  const width = advance * scale;
  const x = shape.anchor === 'middle' ? shape.x - width / 2 : shape.anchor === 'end' ? shape.x - width : shape.x;
  return `<g aria-label="${escapeXml(shape.text)}" fill="${paint(shape.fill)}" transform="translate(${n(x)} ${n(shape.y)}) scale(${scale.toFixed(6)} ${(-scale).toFixed(6)})">${uses}</g>`;
}

function shapeSvg(shape: Shape, glyphs: GlyphOutlines): string {
  switch (shape.kind) {
    case 'rect': {
      const radius = shape.radius ? ` rx="${n(shape.radius)}"` : '';
      const stroke = shape.stroke ? ` stroke="${paint(shape.stroke)}" stroke-width="${n(shape.strokeWidth ?? 1)}"${dash(shape.dash)}` : '';
      return `<rect x="${n(shape.x)}" y="${n(shape.y)}" width="${n(shape.width)}" height="${n(shape.height)}"${radius} fill="${paint(shape.fill)}"${stroke}/>`;
    }
    case 'line':
      return `<polyline points="${shape.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${paint(shape.stroke)}" stroke-width="${n(shape.width)}" stroke-linejoin="round" stroke-linecap="round"${dash(shape.dash)}/>`;
    case 'circle': {
      const stroke = shape.stroke ? ` stroke="${paint(shape.stroke)}" stroke-width="${n(shape.strokeWidth ?? 1)}"` : '';
      return `<circle cx="${n(shape.cx)}" cy="${n(shape.cy)}" r="${n(shape.r)}" fill="${paint(shape.fill)}"${stroke}/>`;
    }
    case 'text':
      return textSvg(shape, glyphs);
  }
}

export function sceneToSvg(scene: Scene): string {
  const glyphs = new GlyphOutlines();
  const body = scene.shapes.map((shape) => shapeSvg(shape, glyphs));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">`,
    `<defs>${glyphs.defs()}</defs>`,
    `<rect width="${scene.width}" height="${scene.height}" fill="${paint(scene.background)}"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}
