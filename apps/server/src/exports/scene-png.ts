import { renderAsync } from '@resvg/resvg-js';
import type { Scene } from './scene.js';
import { sceneToSvg } from './scene-svg.js';

/**
 * A scene as a PNG, rasterised by resvg from the scene's SVG. The SVG carries its text as outlines
 * of the export font, and resvg is given no fonts at all (system fonts left out), so nothing on
 * the machine can change the picture.
 */

/** Twice the CSS size: sharp on a high-density screen and in a slide. */
export const PNG_ZOOM = 2;
/**
 * Beyond these the image is scaled down to fit: wider than 8000 px is past what image viewers and
 * slide tools show well, and 24 megapixels (96 MB of pixels while rendering) is where a long
 * map's raster stops being worth its memory; the PDF keeps the full map as vectors and text.
 */
export const PNG_MAX_WIDTH = 8000;
export const PNG_MAX_PIXELS = 24_000_000;

export function pngZoom(scene: Pick<Scene, 'width' | 'height'>): number {
  return Math.min(PNG_ZOOM, PNG_MAX_WIDTH / scene.width, Math.sqrt(PNG_MAX_PIXELS / (scene.width * scene.height)));
}

export async function sceneToPng(scene: Scene): Promise<Buffer> {
  const image = await renderAsync(sceneToSvg(scene), {
    fitTo: { mode: 'zoom', value: pngZoom(scene) },
    font: { loadSystemFonts: false },
    logLevel: 'off',
  });
  return image.asPng();
}
