import type { MapSnapshot } from '@waymark/model';
import { mapScene } from './map-scene.js';
import { sceneToPdf } from './scene-pdf.js';
import { sceneToPng } from './scene-png.js';

export const IMAGE_FORMATS = ['png', 'pdf'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export function isImageFormat(value: string): value is ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(value);
}

/** The whole map as a PNG or a PDF, drawn from one scene so both show the same picture. */
export function renderMapImage(format: ImageFormat, map: MapSnapshot): Promise<Buffer> {
  const scene = mapScene(map);
  return format === 'png' ? sceneToPng(scene) : sceneToPdf(scene, map.meta.title);
}
