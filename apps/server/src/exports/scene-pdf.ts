import PDFDocument from 'pdfkit';
import { fontBytes } from './export-font.js';
import type { Scene, Shape } from './scene.js';

/**
 * A scene as a PDF on one page the size of the map, its text real text (selectable, searchable,
 * read aloud), set in the same DejaVu Sans the PNG uses, embedded as a subset.
 *
 * One page rather than many: a journey map is read across its stages and down its lanes, and
 * cutting it into printer pages would split a stage's column or a lane's row between sheets.
 * Viewers zoom and pan a large page well, and a print dialog's "fit to page" still prints it.
 */

/** CSS pixels to PDF points (96 px = 72 pt = one inch), so the page prints at the size it shows. */
const POINTS_PER_PIXEL = 0.75;
/** Acrobat's limit for a page side (200 inches); a larger map is scaled down to fit it. */
const MAX_PAGE_SIDE = 14_400;

export function pdfScale(scene: Pick<Scene, 'width' | 'height'>): number {
  return Math.min(POINTS_PER_PIXEL, MAX_PAGE_SIDE / scene.width, MAX_PAGE_SIDE / scene.height);
}

function draw(doc: PDFKit.PDFDocument, shape: Shape): void {
  switch (shape.kind) {
    case 'rect': {
      if (shape.radius) doc.roundedRect(shape.x, shape.y, shape.width, shape.height, shape.radius);
      else doc.rect(shape.x, shape.y, shape.width, shape.height);
      if (shape.stroke) {
        doc.lineWidth(shape.strokeWidth ?? 1).strokeColor(shape.stroke);
        if (shape.dash) doc.dash(shape.dash[0]!, { space: shape.dash[1] ?? shape.dash[0]! });
        if (shape.fill === 'none') doc.stroke();
        else doc.fillColor(shape.fill).fillAndStroke();
        if (shape.dash) doc.undash();
      } else if (shape.fill !== 'none') {
        doc.fillColor(shape.fill).fill();
      }
      return;
    }
    case 'line': {
      const [first, ...rest] = shape.points;
      if (!first) return;
      doc.moveTo(first[0], first[1]);
      for (const [x, y] of rest) doc.lineTo(x, y);
      doc.lineWidth(shape.width).strokeColor(shape.stroke).lineJoin('round').lineCap('round');
      if (shape.dash) doc.dash(shape.dash[0]!, { space: shape.dash[1] ?? shape.dash[0]! });
      doc.stroke();
      if (shape.dash) doc.undash();
      return;
    }
    case 'circle': {
      doc.circle(shape.cx, shape.cy, shape.r);
      if (shape.stroke)
        doc
          .lineWidth(shape.strokeWidth ?? 1)
          .strokeColor(shape.stroke)
          .fillColor(shape.fill)
          .fillAndStroke();
      else doc.fillColor(shape.fill).fill();
      return;
    }
    case 'text': {
      doc.font(shape.weight).fontSize(shape.size).fillColor(shape.fill);
      const width = shape.anchor === 'start' ? 0 : doc.widthOfString(shape.text);
      const x = shape.anchor === 'middle' ? shape.x - width / 2 : shape.anchor === 'end' ? shape.x - width : shape.x;
      doc.text(shape.text, x, shape.y, { lineBreak: false, baseline: 'alphabetic' });
      return;
    }
  }
}

/**
 * A PDF of Waymark's: titled, its two weights of DejaVu Sans registered as `regular` and `bold`
 * (embedded as subsets), and its bytes once `doc.end()` is called.
 */
export function startPdf(title: string, options: PDFKit.PDFDocumentOptions): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({ ...options, info: { Title: title, Creator: 'Waymark' }, displayTitle: true });
  doc.registerFont('regular', fontBytes('regular'));
  doc.registerFont('bold', fontBytes('bold'));
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

export function sceneToPdf(scene: Scene, title: string): Promise<Buffer> {
  const scale = pdfScale(scene);
  const { doc, done } = startPdf(title, { size: [scene.width * scale, scene.height * scale], margin: 0 });
  doc.scale(scale);
  doc.rect(0, 0, scene.width, scene.height).fillColor(scene.background).fill();
  for (const shape of scene.shapes) draw(doc, shape);
  doc.end();
  return done;
}
