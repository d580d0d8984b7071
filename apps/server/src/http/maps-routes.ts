import { createMapFromTemplate, readMeta, templateIds } from '@waymark/model';
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { CloseCode, MAP_IN_TRASH } from '../sync/sync-socket.js';
import * as Y from 'yjs';
import { z } from 'zod';
import type { LinkAuthority } from '../access/link-authority.js';
import { ROLES } from '../access/roles.js';
import { HttpError } from './http-error.js';
import { authorizeMap, requestToken } from './map-access.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';
import { AddressRateLimit } from './rate-limit.js';

export interface MapsRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
  publicUrl: string;
  /** Maps one client address may create per minute. */
  mapCreationRate: number;
  /** Who may create maps: workspace links only, or anyone. */
  mapCreation: 'workspace' | 'anyone';
}

const createMapBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  template: z.string().refine((id) => templateIds.includes(id), {
    message: `template must be one of: ${templateIds.join(', ')}`,
  }),
  goal: z.string().max(2000, 'goal must be at most 2000 characters').optional(),
  scope: z.string().max(2000, 'scope must be at most 2000 characters').optional(),
});

const duplicateBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters').optional(),
});

const newMapId = () => randomBytes(12).toString('base64url');

/** POST /api/maps creates a map and returns its links; GET /api/maps/:id reads its meta. */
export function mapsRoutes(options: MapsRoutesOptions): Router {
  const { store, links } = options;
  const router = Router();
  const creations = new AddressRateLimit(options.mapCreationRate);
  // Read on each request: with PORT=0 the public URL is known only once the server listens.
  const link = (id: string, token: string) => `${options.publicUrl}/maps/${id}#token=${token}`;

  /** A new map may be made only by a workspace link (unless MAP_CREATION=anyone), a few a minute per address. */
  const mayCreate = async (req: Request, res: Response) => {
    if (options.mapCreation === 'workspace') {
      const access = await links.forWorkspace(requestToken(req));
      if (!access.ok) {
        throw new HttpError(
          access.status,
          access.status === 401
            ? 'creating maps needs a workspace link; ask your Waymark admin for one (whoever started the server finds the admin link in its log)'
            : `your workspace link no longer works: ${access.reason}`,
        );
      }
    }
    const wait = creations.take(req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpError(429, `at most ${options.mapCreationRate} maps a minute from one address; try again in ${wait} s`);
    }
  };

  /** Stores a new map from `doc`, with its summary and one link per role; answers 201 with them. */
  const storeNewMap = async (res: Response, doc: Y.Doc) => {
    const id = newMapId();
    const now = Date.now();
    const meta = readMeta(doc);
    await store.createMap(id, Y.encodeStateAsUpdate(doc), now);
    await store.updateSummary(id, { title: meta.title, goal: meta.goal, template: meta.template, updatedAt: now, updatedBy: null });
    const created = await links.createMapLinks(id);
    res.status(201).json({
      id,
      links: Object.fromEntries(ROLES.map((role) => [role, link(id, created[role].token)])),
    });
  };

  router.post('/api/maps', async (req, res) => {
    await mayCreate(req, res);
    const parsed = createMapBody.safeParse(req.body);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { title, template, goal, scope } = parsed.data;
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title, template, goal, scope }, { kind: 'server' });
    await storeNewMap(res, doc);
    doc.destroy();
  });

  /** A copy of a map as it is now, under a new title, with links of its own (its owner or an admin). */
  router.post('/api/maps/:id/duplicate', async (req, res) => {
    const id = req.params.id;
    const access = await authorizeMap(req, links, id);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner link or a workspace admin may duplicate it");
    await mayCreate(req, res);
    const parsed = duplicateBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const state = await readMapThroughRoom(options, id, (doc) => ({ update: Y.encodeStateAsUpdate(doc), title: readMeta(doc).title }));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, state.update);
    Y.transact(
      copy,
      () => {
        const meta = copy.getMap('meta');
        meta.set('title', parsed.data.title ?? `Copy of ${state.title}`.slice(0, 200));
        meta.set('createdAt', Date.now());
      },
      { kind: 'server' },
    );
    await storeNewMap(res, copy);
    copy.destroy();
  });

  router.get('/api/maps/:id', async (req, res) => {
    const id = req.params.id;
    const { permission } = await authorizeMap(req, links, id);
    const meta = await readMapThroughRoom(options, id, readMeta);
    res.json({ id, role: permission.role, meta });
  });

  /** The map's owner (or a workspace admin); 404 for a map that is not there. */
  const owner = async (req: Request, id: string) => {
    const access = await authorizeMap(req, links, id);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner link or a workspace admin may delete or restore it");
    if (!(await store.hasMap(id))) throw new HttpError(404, 'no map with this id');
  };

  router.delete('/api/maps/:id', async (req, res) => {
    const id = req.params.id;
    await owner(req, id);
    if ((await store.deletedAt(id)) !== null) throw new HttpError(409, 'this map is in the trash already');
    await store.setDeleted(id, Date.now());
    await options.rooms.evict(id, MAP_IN_TRASH, CloseCode.gone);
    res.status(204).end();
  });

  router.post('/api/maps/:id/restore', async (req, res) => {
    const id = req.params.id;
    await owner(req, id);
    if ((await store.deletedAt(id)) === null) throw new HttpError(409, 'this map is not in the trash');
    await store.setDeleted(id, null);
    res.status(204).end();
  });

  return router;
}
