import type { MapSnapshot } from '@waymark/model';
import { parentPort } from 'node:worker_threads';
import { renderMapImage, type ImageFormat } from './map-images.js';

/** The worker thread MapImageRenderer starts: renders one map image per message, in order. */

export interface RenderRequest {
  readonly id: number;
  readonly format: ImageFormat;
  readonly map: MapSnapshot;
}

export type RenderReply = { readonly id: number; readonly bytes: Uint8Array } | { readonly id: number; readonly error: string };

const port = parentPort;
if (!port) throw new Error('render-worker.js runs as a worker thread of MapImageRenderer');

port.on('message', (request: RenderRequest) => {
  renderMapImage(request.format, request.map).then(
    (rendered) => {
      // A copy of its own: a small Buffer may share a pooled ArrayBuffer, which cannot be transferred.
      const bytes = new Uint8Array(rendered);
      port.postMessage({ id: request.id, bytes } satisfies RenderReply, [bytes.buffer]);
    },
    (error: unknown) =>
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies RenderReply),
  );
});
