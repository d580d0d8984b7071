import {
  checkMapExport,
  exportMap,
  importOrigin,
  MapImportError,
  migrateDoc,
  readActions,
  readMap,
  SCHEMA_VERSION,
  writeMapState,
  serverOrigin,
} from '@waymark/model';
import { Router, type Response } from 'express';
import * as Y from 'yjs';
import type { LinkAuthority } from '../access/link-authority.js';
import { RendererBusyError, type MapImageRenderer } from '../exports/image-renderer.js';
import { isImageFormat } from '../exports/map-images.js';
import { actionsToCsv, actionsToMarkdown } from '../exports/action-plan.js';
import { mapToCsv, mapToMarkdown } from '../exports/text-exports.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import type { MapCreation } from './map-creation.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';

export interface ExportsRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
  /** Draws PNGs and PDFs on its worker thread; the server closes it when it stops. */
  images: MapImageRenderer;
}

/** The largest export `POST /api/maps/import` takes. */
export const IMPORT_LIMIT = '32mb';

const FORMATS = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  png: 'image/png',
  pdf: 'application/pdf',
} as const;
export type Format = keyof typeof FORMATS;

/** A file name from the map's title: letters, digits and dashes, never empty. */
export function fileNameFor(title: string, extension: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .toLowerCase();
  return `${base || 'journey-map'}.${extension}`;
}

/** Sends the answer as a file download named after `title`. */
export function attach(res: Response, format: Format, title: string): void {
  res.setHeader('Content-Type', FORMATS[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${fileNameFor(title, format)}"`);
}

/**
 * `GET /api/maps/:id/export.json|csv|md|png|pdf` for anyone who can open the map, and
 * `POST /api/maps/import` (a JSON export as a new map) for whoever may create maps.
 */
export function exportsRoutes(options: ExportsRoutesOptions, creation: MapCreation): Router {
  const { links, images } = options;
  const router = Router();

  router.get('/api/maps/:id/export.:format', async (req, res) => {
    const mapId = req.params.id;
    const format = req.params.format;
    if (!Object.hasOwn(FORMATS, format)) throw new HttpError(404, `no export as ${format}; there are: ${Object.keys(FORMATS).join(', ')}`);
    await authorizeMap(req, links, mapId);
    if (isImageFormat(format)) {
      const map = await readMapThroughRoom(options, mapId, readMap);
      let image: Buffer;
      try {
        image = await images.render(format, map);
      } catch (error) {
        if (error instanceof RendererBusyError) throw new HttpError(503, error.message);
        throw error;
      }
      attach(res, format, map.meta.title);
      res.send(image);
      return;
    }
    if (format === 'json') {
      const data = await readMapThroughRoom(options, mapId, exportMap);
      attach(res, format, typeof data.meta['title'] === 'string' ? data.meta['title'] : '');
      res.send(JSON.stringify(data, null, 2));
      return;
    }
    const map = await readMapThroughRoom(options, mapId, readMap);
    attach(res, format as Format, map.meta.title);
    res.send(format === 'csv' ? mapToCsv(map) : mapToMarkdown(map));
  });

  /** The action plan as a spreadsheet or a document, for anyone who can open the map. */
  router.get('/api/maps/:id/actions.:format', async (req, res) => {
    const mapId = req.params.id;
    const format = req.params.format;
    if (format !== 'csv' && format !== 'md') throw new HttpError(404, `no action plan as ${format}; there are: csv, md`);
    await authorizeMap(req, links, mapId);
    const { map, actions } = await readMapThroughRoom(options, mapId, (doc) => ({ map: readMap(doc), actions: readActions(doc) }));
    attach(res, format, `${map.meta.title} action plan`);
    res.send(format === 'csv' ? actionsToCsv(map, actions, Date.now()) : actionsToMarkdown(map, actions, Date.now()));
  });

  router.post('/api/maps/import', async (req, res) => {
    await creation.mayCreate(req, res);
    let checked;
    try {
      checked = checkMapExport(req.body);
    } catch (error) {
      if (error instanceof MapImportError) throw new HttpError(400, `this file cannot be imported: ${error.message}`);
      throw error;
    }
    const doc = new Y.Doc();
    writeMapState(doc, checked, importOrigin());
    Y.transact(
      doc,
      () => {
        const meta = doc.getMap('meta');
        meta.set('schemaVersion', typeof checked.meta['schemaVersion'] === 'number' ? checked.meta['schemaVersion'] : SCHEMA_VERSION);
        meta.set('template', typeof checked.meta['template'] === 'string' ? checked.meta['template'] : 'blank');
        meta.set('createdAt', Date.now());
      },
      serverOrigin(),
    );
    migrateDoc(doc);
    await creation.store(res, doc);
    doc.destroy();
  });

  return router;
}
