import { readMap, readRounds, readWorkshop } from '@waymark/model';
import { Router, type Request, type Response } from 'express';
import type { LinkAuthority } from '../access/link-authority.js';
import { buildWorkshopSummary, summaryToMarkdown, summaryToPdf } from '../exports/workshop-summary.js';
import { activityOf } from './activity-routes.js';
import { attach } from './exports-routes.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';

export interface SummaryRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/** The activity a summary reads: enough for a day's workshop on a busy map. */
const ACTIVITY_LOOKBACK = 2000;

/**
 * `GET /api/maps/:id/workshop/summary` (JSON, for the app) and `…/summary.md` / `…/summary.pdf`
 * (downloads), for anyone who can open the map: the agenda as run, the revealed rounds, the
 * parking lot and the changes made during the session.
 */
export function summaryRoutes(options: SummaryRoutesOptions): Router {
  const router = Router();

  const summaryOf = async (mapId: string) => {
    const { map, workshop, rounds } = await readMapThroughRoom(options, mapId, (doc) => ({
      map: readMap(doc),
      workshop: readWorkshop(doc),
      rounds: readRounds(doc),
    }));
    const { inProgress, stored } = await activityOf(options, mapId, ACTIVITY_LOOKBACK);
    return buildWorkshopSummary(map, workshop, rounds, [...inProgress, ...stored], Date.now());
  };

  const serve = async (req: Request<{ id: string }>, res: Response, format: string) => {
    const mapId = req.params.id;
    if (!['json', 'md', 'pdf'].includes(format)) throw new HttpError(404, `no workshop summary as ${format}; there are: json, md, pdf`);
    await authorizeMap(req, options.links, mapId);
    await requireLiveMap(options, mapId);
    const summary = await summaryOf(mapId);
    if (format === 'json') {
      res.json(summary);
      return;
    }
    const file = format === 'md' ? summaryToMarkdown(summary) : await summaryToPdf(summary);
    attach(res, format as 'md' | 'pdf', `${summary.mapTitle} workshop summary`);
    res.send(file);
  };
  router.get('/api/maps/:id/workshop/summary', (req, res) => serve(req, res, 'json'));
  router.get('/api/maps/:id/workshop/summary.:format', (req, res) => serve(req, res, req.params.format));

  return router;
}
