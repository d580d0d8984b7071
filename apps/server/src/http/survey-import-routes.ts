import { addMetrics, dayOf, deleteMetric, importOrigin, newId, readMetrics, readPersonas, readStages } from '@waymark/model';
import { Router, type Request, type Response } from 'express';
import { PassThrough } from 'node:stream';
import * as Y from 'yjs';
import { z } from 'zod';
import type { LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import { DELIMITER_NAMES, SurveyImportError, tooLarge } from '../imports/survey-csv.js';
import { previewSurvey, readSurvey } from '../imports/survey-import.js';
import { DATE_FORMATS, ROW_MEANINGS } from '../imports/survey-mapping.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';
import { requesterName } from './versions-routes.js';

export interface SurveyImportRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
  /** The largest file one import takes; SURVEY_IMPORT_LIMIT_BYTES unless a test says otherwise. */
  surveyImportLimitBytes?: number;
}

/** The largest survey file one import takes. */
export const SURVEY_IMPORT_LIMIT_BYTES = 50 * 1024 * 1024;
/** The start of a file the preview reads; the browser sends 64 KB of it. */
const PREVIEW_LIMIT_BYTES = 256 * 1024;
/** Figures one import writes at most: stages × personas × months, two or three each (the score, the count, the drop-off). */
export const MAX_IMPORTED_METRICS = 2000;

const column = z.string().trim().max(200).optional();
const mappingQuery = z.object({
  file: z.string().trim().min(1, 'file must name the file being imported').max(200, 'file must be at most 200 characters'),
  delimiter: z.enum(DELIMITER_NAMES, { message: `delimiter must be one of ${DELIMITER_NAMES.join(', ')}` }),
  stage: z
    .string({ message: 'stage must name the column that holds the stage' })
    .trim()
    .min(1, 'stage must name the column that holds the stage')
    .max(200),
  score: column,
  metric: z.string().trim().max(60, 'metric must be at most 60 characters').optional(),
  date: column,
  dateFormat: z.enum(DATE_FORMATS, { message: `dateFormat must be one of ${DATE_FORMATS.join(', ')}` }).optional(),
  verbatim: column,
  persona: column,
  channel: column,
  skipUnmatched: z.enum(['true', 'false'], { message: 'skipUnmatched must be true or false' }).optional(),
  rowsAre: z.enum(ROW_MEANINGS, { message: `rowsAre must be one of ${ROW_MEANINGS.join(', ')}` }).optional(),
});
const previewQuery = z.object({
  delimiter: z.enum(DELIMITER_NAMES, { message: `delimiter must be one of ${DELIMITER_NAMES.join(', ')}` }).optional(),
  complete: z.enum(['true', 'false'], { message: 'complete must be true or false' }).optional(),
});
const verbatimQuery = z.object({
  stageId: z.string().max(64).optional(),
  q: z.string().trim().max(200, 'q must be at most 200 characters').optional(),
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1)
    .max(100, 'limit must be at most 100')
    .optional(),
});

/**
 * Survey and analytics files imported into a map (owners and editors): a preview of the file's
 * start, then the whole file streamed in the request body with the column mapping in the query
 * string, summed into metrics written in one change, its comments kept as verbatims. Nothing is
 * written when any row is bad. Anyone who may read the map lists the imports and searches the verbatims.
 */
export function surveyImportRoutes(options: SurveyImportRoutesOptions): Router {
  const { links, rooms, store, logger } = options;
  const limitBytes = options.surveyImportLimitBytes ?? SURVEY_IMPORT_LIMIT_BYTES;
  const router = Router();

  const mayImport = async (req: Request, mapId: string, what: string) => {
    const access = await authorizeMap(req, links, mapId);
    if (!roleMay(access.permission.role, 'shape-map')) throw new HttpError(403, `only the map's owners and editors may ${what}`);
    await requireLiveMap(options, mapId);
    return { mapId, access };
  };

  router.post('/api/maps/:id/imports/preview', async (req, res) => {
    await mayImport(req, req.params.id, 'import survey data');
    const query = previewQuery.safeParse(req.query);
    if (!query.success) throw HttpError.fromZod(query.error);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > PREVIEW_LIMIT_BYTES)
        throw new HttpError(413, `a preview reads at most the first ${PREVIEW_LIMIT_BYTES / 1024} KB of a file`);
      chunks.push(chunk);
    }
    try {
      res.json(await previewSurvey(Buffer.concat(chunks), query.data.complete === 'true', query.data.delimiter));
    } catch (error) {
      if (error instanceof SurveyImportError) throw new HttpError(400, `this file cannot be imported: ${error.message}`);
      throw error;
    }
  });

  router.post('/api/maps/:id/imports', async (req, res) => {
    const { mapId, access } = await mayImport(req, req.params.id, 'import survey data');
    const parsed = mappingQuery.safeParse(req.query);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const declared = Number(req.get('content-length') ?? Number.NaN);
    if (declared > limitBytes) {
      res.setHeader('Connection', 'close');
      throw new HttpError(413, `this file cannot be imported: ${tooLarge(limitBytes).message}`);
    }
    const { file, delimiter, skipUnmatched, ...mapping } = parsed.data;
    const map = await readMapThroughRoom(options, mapId, (doc) => ({ stages: readStages(doc), personas: readPersonas(doc) }));
    const by = await requesterName(store, req, access);
    const importId = newId();
    await store.beginSurveyImport({ id: importId, mapId, fileName: file, importedAt: Date.now(), importedBy: by });

    const body = new PassThrough();
    const aborted = () => {
      if (!req.complete) body.destroy(new Error('the upload was cancelled'));
    };
    req.on('close', aborted);
    req.pipe(body);
    try {
      const { summary, metrics } = await readSurvey({
        source: body,
        limitBytes,
        delimiter,
        mapping: { ...mapping, skipUnmatched: skipUnmatched === 'true' },
        stages: map.stages.map((stage) => ({ id: stage.id, name: stage.name })),
        personas: map.personas.map((persona) => ({ id: persona.id, name: persona.name })),
        today: dayOf(Date.now()),
        onRows: (rows) => store.addVerbatims(rows.map((row) => ({ importId, ...row }))),
      });
      if (metrics.length > MAX_IMPORTED_METRICS) {
        throw new SurveyImportError(
          `the file makes ${metrics.length.toLocaleString('en')} figures (one per stage, persona and month); one import writes at most ${MAX_IMPORTED_METRICS.toLocaleString('en')}: import fewer months at a time`,
        );
      }
      // Marked done first, the figures written last: a stop between the two leaves an import that is
      // listed (and deleted in one step), never figures no import accounts for. A failure of the
      // write (all or none) deletes the import below.
      await store.finishSurveyImport(importId, { rows: summary.rows, verbatims: summary.verbatims, metrics: metrics.length });
      try {
        await rooms.write(mapId, by, (doc) => addMetrics(doc, metrics, { source: 'import', origin: importId }, importOrigin()));
      } catch (error) {
        // addMetrics checks every figure before writing any: a stage or persona deleted meanwhile refuses them all.
        if (error instanceof Error && /unknown (stage|persona)/.test(error.message)) {
          throw new SurveyImportError('a stage or persona was deleted while the file was being imported; import it again');
        }
        throw error;
      }
      const record = (await store.listSurveyImports(mapId)).find((entry) => entry.id === importId);
      res.status(201).json({ import: record, summary });
    } catch (error) {
      await store.deleteSurveyImport(mapId, importId).catch((failure: unknown) => {
        // Left pending, it goes at the next start; left done, it is listed to be deleted.
        logger.error({ err: failure, mapId, importId }, 'could not remove a failed survey import');
      });
      req.unpipe(body);
      stopReading(req, res, declared, limitBytes);
      if (error instanceof SurveyImportError) throw new HttpError(error.status, `this file cannot be imported: ${error.message}`);
      if (error instanceof Error && error.message === 'the upload was cancelled')
        throw new HttpError(400, 'the upload was cancelled; nothing was imported');
      throw error;
    } finally {
      req.off('close', aborted);
    }
  });

  router.get('/api/maps/:id/imports', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const imports = await store.listSurveyImports(mapId);
    res.json({
      imports: imports.map(({ id, fileName, importedAt, importedBy, rows, verbatims, metrics }) => ({
        id,
        fileName,
        importedAt,
        importedBy,
        rows,
        verbatims,
        metrics,
      })),
    });
  });

  router.delete('/api/maps/:id/imports/:importId', async (req, res) => {
    const { mapId, access } = await mayImport(req, req.params.id, 'delete imported survey data');
    const importId = req.params.importId;
    const known = (await store.listSurveyImports(mapId)).find((entry) => entry.id === importId);
    if (!known) throw new HttpError(404, 'this map has no such import');
    const by = await requesterName(store, req, access);
    // Its figures go first: should removing the import itself fail, it stays listed to be deleted again.
    const removed = await rooms.write(mapId, by, (doc) => {
      const origin = importOrigin();
      const ids = readMetrics(doc)
        .filter((metric) => metric.source === 'import' && metric.origin === importId)
        .map((metric) => metric.id);
      Y.transact(doc, () => ids.forEach((id) => deleteMetric(doc, id, origin)), origin);
      return ids.length;
    });
    await store.deleteSurveyImport(mapId, importId);
    res.json({ deleted: importId, metrics: removed, verbatims: known.verbatims });
  });

  router.get('/api/maps/:id/verbatims', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const query = verbatimQuery.safeParse(req.query);
    if (!query.success) throw HttpError.fromZod(query.error);
    const { stageId, q, limit = 20 } = query.data;
    const [imports, verbatims] = await Promise.all([
      store.listSurveyImports(mapId),
      store.searchVerbatims(mapId, { stageId, text: q || undefined, limit }),
    ]);
    const files = new Map(imports.map((entry) => [entry.id, entry.fileName]));
    res.json({ verbatims: verbatims.map((verbatim) => ({ ...verbatim, fileName: files.get(verbatim.importId) ?? '' })) });
  });

  return router;
}

/**
 * After a refusal the rest of the body is read and dropped when it is no larger than the limit,
 * so the browser, still sending, gets the answer; a larger or unannounced one closes the connection.
 */
function stopReading(req: Request, res: Response, declared: number, limitBytes: number): void {
  if (req.complete || req.destroyed) return;
  if (Number.isFinite(declared) && declared <= limitBytes) req.resume();
  else res.setHeader('Connection', 'close');
}
