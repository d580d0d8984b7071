import { Router } from 'express';
import type { LinkAuthority } from '../access/link-authority.js';
import type { ActivityEntry } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { requireLiveMap, type MapReadOptions } from './map-reads.js';

export interface ActivityRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/** Entries read to find each record's last edit: the feed's recent past, not its whole life. */
const EDITS_LOOKBACK = 2000;

const shown = ({ mapId: _mapId, ...entry }: ActivityEntry, inProgress = false) => ({ ...entry, ...(inProgress ? { inProgress } : {}) });

/**
 * A map's activity: the entries still gathering edits (stored once their people pause), and the
 * stored ones, newest first, at most `limit` of them.
 */
export async function activityOf(
  { store, rooms }: Pick<MapReadOptions, 'store' | 'rooms'>,
  mapId: string,
  limit: number,
): Promise<{ inProgress: ActivityEntry[]; stored: ActivityEntry[] }> {
  const inProgress = (await rooms.peek(mapId))?.activityInProgress ?? [];
  return { inProgress, stored: await store.listActivity(mapId, limit) };
}

/**
 * Who changed what, for anyone who can open the map: `GET /api/maps/:id/activity?limit=` (the
 * feed, newest first, entries still gathering edits marked `inProgress`) and
 * `GET /api/maps/:id/edits` (each record's last editor and when, edits in progress included).
 */
export function activityRoutes(options: ActivityRoutesOptions): Router {
  const { links } = options;
  const router = Router();

  router.get('/api/maps/:id/activity', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'limit must be a whole number from 1 to 500');
    // Entries of people still editing (stored once they pause) among the stored ones, by their last edit.
    const { inProgress: open, stored } = await activityOf(options, mapId, limit);
    const merged = [...open.map((entry) => shown(entry, true)), ...stored.map((entry) => shown(entry))];
    merged.sort((a, b) => b.endedAt - a.endedAt);
    res.json(merged.slice(0, limit));
  });

  router.get('/api/maps/:id/edits', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const edits: Record<string, { at: number; person: string | null; link: string | null; role: string }> = {};
    const { inProgress, stored } = await activityOf(options, mapId, EDITS_LOOKBACK);
    const entries = [...inProgress, ...stored].sort((a, b) => b.endedAt - a.endedAt);
    for (const entry of entries) {
      for (const group of [...entry.created, ...entry.changed]) {
        if (!Object.hasOwn(edits, group)) edits[group] = { at: entry.endedAt, person: entry.person, link: entry.link, role: entry.role };
      }
    }
    res.json(edits);
  });

  return router;
}
