import { createMapFromTemplate, readMeta, templateIds, serverOrigin } from '@waymark/model';
import { Router, type Request } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { copyOfState, type MapCreation, type MapCreationOptions } from './map-creation.js';
import { readMapThroughRoom, type MapReadOptions } from './map-reads.js';
import { WORKSPACE_TEMPLATE, workspaceTemplateMap } from './templates-routes.js';

export interface MapsRoutesOptions extends MapReadOptions, MapCreationOptions {
  /** Days a deleted map stays restorable in the trash (TRASH_DAYS), said to those who may delete it. */
  trashDays: number;
}

const createMapBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters'),
  template: z.string().refine((id) => templateIds.includes(id) || WORKSPACE_TEMPLATE.test(id), {
    message: `template must be one of: ${templateIds.join(', ')}, or workspace:<map id> for a template of the workspace`,
  }),
  goal: z.string().max(2000, 'goal must be at most 2000 characters').optional(),
  scope: z.string().max(2000, 'scope must be at most 2000 characters').optional(),
});

const duplicateBody = z.object({
  title: z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters').optional(),
  /** Save the copy as a template of the workspace, offered in "Start a map". */
  asTemplate: z.boolean({ message: 'asTemplate must be true or false' }).optional(),
});

/** POST /api/maps creates a map and returns its links; GET /api/maps/:id reads its meta. */
export function mapsRoutes(options: MapsRoutesOptions, creation: MapCreation): Router {
  const { store, links } = options;
  const router = Router();

  /** A copy of map `id` as it is now, with `changes` written into its meta; it keeps the built-in template it descends from. */
  const copyOf = async (id: string, changes: (meta: Y.Map<unknown>, title: string) => void) => {
    const state = await readMapThroughRoom(options, id, (doc) => ({ update: Y.encodeStateAsUpdate(doc), title: readMeta(doc).title }));
    return copyOfState(state.update, (meta) => changes(meta, state.title));
  };

  router.post('/api/maps', async (req, res) => {
    const parsed = createMapBody.safeParse(req.body);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { title, template, goal, scope } = parsed.data;
    if (WORKSPACE_TEMPLATE.test(template)) {
      await creation.mayCreate(req, res, true);
      const doc = await copyOf(await workspaceTemplateMap(options, template), (meta) => {
        meta.set('title', title);
        if (goal !== undefined) meta.set('goal', goal);
        if (scope !== undefined) meta.set('scope', scope);
      });
      await creation.store(res, doc);
      doc.destroy();
      return;
    }
    await creation.mayCreate(req, res);
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title, template, goal, scope }, serverOrigin());
    await creation.store(res, doc);
    doc.destroy();
  });

  /** A copy of a map as it is now, under a new title, with links of its own (its owner or an admin). */
  router.post('/api/maps/:id/duplicate', async (req, res) => {
    const id = req.params.id;
    const access = await authorizeMap(req, links, id);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner link or a workspace admin may duplicate it");
    const parsed = duplicateBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const { title, asTemplate = false } = parsed.data;
    await creation.mayCreate(req, res, asTemplate);
    const copy = await copyOf(id, (meta, was) => meta.set('title', title ?? `Copy of ${was}`.slice(0, 200)));
    await creation.store(res, copy, asTemplate);
    copy.destroy();
  });

  router.get('/api/maps/:id', async (req, res) => {
    const id = req.params.id;
    const { permission } = await authorizeMap(req, links, id);
    const meta = await readMapThroughRoom(options, id, readMeta);
    res.json({ id, role: permission.role, meta, ...(permission.role === 'owner' ? { trashDays: options.trashDays } : {}) });
  });

  /** The map's owner (or a workspace admin); 404 for a map that is not there. */
  const owner = async (req: Request, id: string) => {
    const access = await authorizeMap(req, links, id);
    if (access.permission.role !== 'owner')
      throw new HttpError(403, "only the map's owner link or a workspace admin may delete or restore it");
    if (!(await store.hasMap(id))) throw new HttpError(404, 'no map with this id');
  };

  router.delete('/api/maps/:id', async (req, res) => {
    const id = req.params.id;
    await owner(req, id);
    if ((await store.deletedAt(id)) !== null) throw new HttpError(409, 'this map is in the trash already');
    await store.setDeleted(id, Date.now());
    await options.rooms.trashed(id);
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
