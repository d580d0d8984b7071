import { readMeta } from '@waymark/model';
import { Router } from 'express';
import type { LinkAuthority } from '../access/link-authority.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { MapStore, MapSummary } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { requestToken } from './map-access.js';
import { readMapThroughRoom } from './map-reads.js';
import type { Logger } from 'pino';

export interface LibraryRoutesOptions {
  store: MapStore;
  rooms: RoomRegistry;
  links: LinkAuthority;
  logger: Logger;
}

const SORTS = ['updated', 'title'] as const;

/**
 * `GET /api/maps?q=&sort=` for a workspace link: every map with its title, goal, template, when
 * and by whom it was last edited, and who is on it now; searched by title and goal, sorted by
 * last edit (newest first, the default) or title. The `X-Waymark-Role` header says whether the
 * link is an admin's or a member's.
 */
export function libraryRoutes(options: LibraryRoutesOptions): Router {
  const { store, rooms, links } = options;
  const router = Router();

  router.get('/api/maps', async (req, res) => {
    const access = await links.forWorkspace(requestToken(req));
    if (!access.ok) throw new HttpError(access.status, access.reason);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().toLowerCase() : '';
    const sort = req.query.sort ?? 'updated';
    if (typeof sort !== 'string' || !(SORTS as readonly string[]).includes(sort)) {
      throw new HttpError(400, `sort must be one of: ${SORTS.join(', ')}`);
    }
    // ?trash=1: the maps in the trash instead, for an admin to restore.
    const trash = req.query.trash === '1';
    if (trash && access.role !== 'admin') throw new HttpError(403, 'only a workspace admin sees the trash');
    const listed = await Promise.all(
      (await store.listMaps())
        .filter(({ deletedAt }) => (deletedAt !== null) === trash)
        .map(async ({ id, createdAt, deletedAt, summary, isTemplate }) => {
          const known = summary ?? (trash ? null : await summaryFromRoom(id, createdAt));
          const live = await rooms.peek(id);
          return known && { id, createdAt, ...known, isTemplate, ...(trash ? { deletedAt } : {}), people: live?.people ?? [] };
        }),
    );
    const maps = listed.filter((map) => map !== null && (q === '' || `${map.title}\n${map.goal}`.toLowerCase().includes(q)));
    maps.sort((a, b) => (sort === 'title' ? a!.title.localeCompare(b!.title) || a!.id.localeCompare(b!.id) : b!.updatedAt - a!.updatedAt));
    // The link's role, so a page shows an admin's tools without asking for them and being refused.
    res.setHeader('X-Waymark-Role', access.role);
    res.json(maps);
  });

  /** A map stored before summaries were kept: read once through its room, and its summary kept. */
  async function summaryFromRoom(id: string, createdAt: number): Promise<MapSummary | null> {
    try {
      const meta = await readMapThroughRoom(options, id, readMeta);
      const summary = { title: meta.title, goal: meta.goal, template: meta.template, updatedAt: createdAt, updatedBy: null };
      await store.updateSummary(id, summary);
      return summary;
    } catch (error) {
      options.logger.warn({ err: error, mapId: id }, 'library: map could not be read; left out');
      return null;
    }
  }

  return router;
}
