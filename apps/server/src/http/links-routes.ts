import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { LinkAuthority, ListedLink } from '../access/link-authority.js';
import { ROLES } from '../access/roles.js';
import type { MapStore } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { linkExpiry } from './link-expiry.js';
import { authorizeMap } from './map-access.js';
import { requireLiveMap } from './map-reads.js';

export interface LinksRoutesOptions {
  store: MapStore;
  logger: Logger;
  links: LinkAuthority;
  publicUrl: string;
}

const newLinkBody = z.object({
  role: z.enum(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` }),
  label: z.string().trim().max(200, 'label must be at most 200 characters').optional(),
  /** Made for one named person (the label): their votes in workshop rounds are the link's own. */
  personal: z.boolean({ message: 'personal must be true or false' }).optional(),
  /** ms since the epoch, or an ISO 8601 date and time. */
  expiresAt: z.union([z.number().int(), z.string()]).nullable().optional(),
});

/**
 * A map's links, for its owner (or a workspace admin): list them, make one (role, label, whether
 * it is personal, optional expiry), revoke one. A revoked link's live sessions end at once.
 */
export function linksRoutes(options: LinksRoutesOptions): Router {
  const { links } = options;
  const router = Router();
  const url = (mapId: string, token: string) => `${options.publicUrl}/maps/${mapId}#token=${token}`;
  const shown = (mapId: string, link: ListedLink) => ({
    id: link.id,
    role: link.role,
    label: link.label,
    personal: link.personal,
    original: link.original,
    createdAt: link.createdAt,
    expiresAt: link.expiresAt,
    lastUsedAt: link.lastUsedAt,
    revokedAt: link.revokedAt,
    url: url(mapId, link.token),
  });

  /** The map's owner (or a workspace admin) on an existing map; 404 for a map that is not there. */
  const owner = async (req: Parameters<typeof authorizeMap>[0], mapId: string) => {
    const access = await authorizeMap(req, links, mapId);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner link or a workspace admin may manage its links");
    await requireLiveMap(options, mapId);
    return access;
  };

  router.get('/api/maps/:id/links', async (req, res) => {
    await owner(req, req.params.id);
    const listed = await links.mapLinks(req.params.id);
    res.json(listed.map((link) => shown(req.params.id, link)));
  });

  router.post('/api/maps/:id/links', async (req, res) => {
    await owner(req, req.params.id);
    const parsed = newLinkBody.safeParse(req.body);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { role, label, personal, expiresAt } = parsed.data;
    if (personal && !label) throw new HttpError(400, "a personal link needs the person's name as its label");
    const link = await links.issue({
      mapId: req.params.id,
      role,
      label: label ?? '',
      personal: personal ?? false,
      expiresAt: linkExpiry(expiresAt),
    });
    res.status(201).json({ ...shown(req.params.id, link), token: link.token });
  });

  router.delete('/api/maps/:id/links/:linkId', async (req, res) => {
    await owner(req, req.params.id);
    if (!(await links.revoke(req.params.linkId, req.params.id))) {
      throw new HttpError(404, 'this map has no such link, or it was revoked already');
    }
    res.status(204).end();
  });

  return router;
}
