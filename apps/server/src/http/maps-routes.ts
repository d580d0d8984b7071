import { createMapFromTemplate, readMeta, templateIds } from '@waymark/model';
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import type { CapabilitySigner } from '../access/capability.js';
import { ROLES, type Permission } from '../access/roles.js';
import { HttpError } from './http-error.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';

export interface MapsRoutesOptions extends MapReadOptions {
  signer: CapabilitySigner;
  publicUrl: string;
}

const createMapBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  template: z.string().refine((id) => templateIds.includes(id), {
    message: `template must be one of: ${templateIds.join(', ')}`,
  }),
  goal: z.string().max(2000, 'goal must be at most 2000 characters').optional(),
  scope: z.string().max(2000, 'scope must be at most 2000 characters').optional(),
});

const MAP_ID = /^[A-Za-z0-9_-]{1,64}$/;

const newMapId = () => randomBytes(12).toString('base64url');

/** POST /api/maps creates a map and returns its links; GET /api/maps/:id reads its meta. */
export function mapsRoutes(options: MapsRoutesOptions): Router {
  const { store, signer } = options;
  const router = Router();
  // Read on each request: with PORT=0 the public URL is known only once the server listens.
  const link = (id: string, token: string) => `${options.publicUrl}/maps/${id}#token=${token}`;

  router.post('/api/maps', async (req, res) => {
    const parsed = createMapBody.safeParse(req.body);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { title, template, goal, scope } = parsed.data;
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title, template, goal, scope }, { kind: 'server' });
    const id = newMapId();
    await store.createMap(id, Y.encodeStateAsUpdate(doc), Date.now());
    doc.destroy();
    res.status(201).json({
      id,
      links: Object.fromEntries(ROLES.map((role) => [role, link(id, signer.sign(id, role))])),
    });
  });

  router.get('/api/maps/:id', async (req, res) => {
    const id = req.params.id;
    if (!MAP_ID.test(id)) throw new HttpError(400, 'map id is malformed');
    const permission = authorize(req, signer, id);
    const meta = await readMapThroughRoom(options, id, readMeta);
    res.json({ id, role: permission.role, meta });
  });

  return router;
}

/** Reads the token from `Authorization: Bearer …` or `?token=`; 401 when it grants nothing. */
function authorize(req: Request, signer: CapabilitySigner, mapId: string): Permission {
  const header = req.get('authorization');
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const query = typeof req.query.token === 'string' ? req.query.token : undefined;
  const permission = signer.verify(bearer ?? query, mapId);
  if (!permission) throw new HttpError(401, 'a valid token for this map is required');
  return permission;
}
