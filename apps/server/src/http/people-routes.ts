import { readActions } from '@waymark/model';
import { Router } from 'express';
import type { LinkAuthority } from '../access/link-authority.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';

export interface PeopleRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
}

/**
 * The names of the people on a map, for anyone with a link to it (to offer as @mentions): the
 * labels of its live links and the owners of its actions. Only names: no tokens, link ids or roles,
 * since the links themselves are their owner's to see.
 */
export function peopleRoutes(options: PeopleRoutesOptions): Router {
  const router = Router();

  router.get('/api/maps/:id/people', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, options.links, mapId);
    const owners = await readMapThroughRoom(options, mapId, (doc) => readActions(doc).map((action) => action.owner));
    const now = Date.now();
    const live = (await options.links.mapLinks(mapId)).filter(
      (link) => link.revokedAt === null && (link.expiresAt === null || link.expiresAt > now),
    );
    const names = new Map<string, string>();
    for (const name of [...live.map((link) => link.label), ...owners]) {
      const trimmed = name.trim();
      if (trimmed !== '' && !names.has(trimmed.toLowerCase())) names.set(trimmed.toLowerCase(), trimmed);
    }
    res.json({ names: [...names.values()].sort((a, b) => a.localeCompare(b)) });
  });

  return router;
}
