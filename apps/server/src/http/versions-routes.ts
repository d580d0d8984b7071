import { diffMaps, exportMap, migrateDoc, writeMapState, type MapExport, serverOrigin } from '@waymark/model';
import { Router, type Request } from 'express';
import * as Y from 'yjs';
import { z } from 'zod';
import type { Access, LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import type { MapHistory } from '../history/map-history.js';
import { CorruptMapError, type MapStore, type VersionRecord } from '../storage/map-store.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { copyOfState, type MapCreation } from './map-creation.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';

export interface VersionsRoutesOptions extends MapReadOptions {
  links: LinkAuthority;
  history: MapHistory;
}

const title = z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters');
const namedVersionBody = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
});
const forkBody = z.object({ title: title.optional() });

/** Restoring tries again when edits land between taking the "before" version and writing the restore. */
const RESTORE_ATTEMPTS = 3;

const shown = ({ id, kind, name, createdAt, createdBy, bytes }: VersionRecord) => ({ id, kind, name, createdAt, createdBy, bytes });

/**
 * A map's versions: listed and read by anyone who can open the map; named by its owners and
 * editors; restored (as a new change everyone sees live) by them; deleted by its owner; forked
 * into a new map by its owner.
 */
export function versionsRoutes(options: VersionsRoutesOptions, creation: MapCreation): Router {
  const { store, rooms, links, history } = options;
  const router = Router();
  const base = '/api/maps/:id/versions';

  const who = (req: Request, access: Extract<Access, { ok: true }>) => requesterName(store, req, access);

  const mayShape = (access: Extract<Access, { ok: true }>, what: string) => {
    if (!roleMay(access.permission.role, 'shape-map')) throw new HttpError(403, `only the map's owners and editors may ${what}`);
  };

  /** The version's state, as a document migrated to this server's schema; 404 when the map has no such version. */
  const versionDoc = async (mapId: string, versionId: string): Promise<{ version: VersionRecord; doc: Y.Doc }> => {
    const version = (await store.listVersions(mapId)).find((candidate) => candidate.id === versionId);
    let state: Uint8Array | null | undefined;
    try {
      state = version && (await store.loadVersion(mapId, versionId));
    } catch (error) {
      if (error instanceof CorruptMapError)
        throw new HttpError(409, 'this version was damaged on the server’s disk and cannot be read; choose another');
      throw error;
    }
    if (!version || !state) throw new HttpError(404, 'this map has no version with this id');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    migrateDoc(doc);
    return { version, doc };
  };

  router.get(base, async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    res.json((await store.listVersions(mapId)).map(shown));
  });

  router.post(base, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    mayShape(access, 'name a version');
    const parsed = namedVersionBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const state = await readMapThroughRoom(options, mapId, (doc) => Y.encodeStateAsUpdate(doc));
    const version = await history.take(mapId, state, { kind: 'named', name: parsed.data.name, createdBy: await who(req, access) });
    res.status(201).json(shown(version));
  });

  router.get(`${base}/:versionId`, async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const { version, doc } = await versionDoc(mapId, req.params.versionId);
    res.json({ ...shown(version), map: exportMap(doc) });
    doc.destroy();
  });

  /** `GET /api/maps/:id/diff?from=<version>&to=<version or now>`: what changed, record by record. */
  router.get('/api/maps/:id/diff', async (req, res) => {
    const mapId = req.params.id;
    await authorizeMap(req, links, mapId);
    await requireLiveMap(options, mapId);
    const { from, to = 'now' } = req.query;
    if (typeof from !== 'string' || from === '' || typeof to !== 'string') {
      throw new HttpError(400, 'give the versions to compare: ?from=<version id>&to=<version id, or now>');
    }
    const stateOf = async (id: string): Promise<MapExport> => {
      if (id === 'now') return readMapThroughRoom(options, mapId, exportMap);
      const { doc } = await versionDoc(mapId, id);
      const exported = exportMap(doc);
      doc.destroy();
      return exported;
    };
    res.json(diffMaps(await stateOf(from), await stateOf(to)));
  });

  router.delete(`${base}/:versionId`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner may delete a version");
    await requireLiveMap(options, mapId);
    if (!(await store.listVersions(mapId)).some((version) => version.id === req.params.versionId)) {
      throw new HttpError(404, 'this map has no version with this id');
    }
    await store.deleteVersions(mapId, [req.params.versionId]);
    res.status(204).end();
  });

  /**
   * Restores a version as a new change: the map as it is first becomes a "before restore"
   * version (so restoring that one undoes this), then the map is made equal to the version in
   * one transaction that every connected client receives.
   */
  router.post(`${base}/:versionId/restore`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    mayShape(access, 'restore a version');
    await requireLiveMap(options, mapId);
    const { version, doc } = await versionDoc(mapId, req.params.versionId);
    const target = exportMap(doc);
    doc.destroy();
    const by = await who(req, access);
    for (let attempt = 0; attempt < RESTORE_ATTEMPTS; attempt++) {
      const before = await readMapThroughRoom(options, mapId, (current) => ({
        vector: Y.encodeStateVector(current),
        state: Y.encodeStateAsUpdate(current),
      }));
      const saved = await history.take(mapId, before.state, { kind: 'before-restore', createdBy: by });
      const restored = await rooms.write(mapId, by, (current) => {
        // Edits that landed since the "before" version was read would not be in it: read again.
        if (!sameBytes(Y.encodeStateVector(current), before.vector)) return false;
        writeMapState(current, target, serverOrigin());
        return true;
      });
      if (restored) {
        await rooms.clearDamage(mapId);
        res.json({ restored: shown(version), before: shown(saved) });
        return;
      }
    }
    throw new HttpError(503, 'the map kept changing while it was being restored; try again');
  });

  /** A new map that starts as the version: the as-is map becoming the start of a to-be map. */
  router.post(`${base}/:versionId/fork`, async (req, res) => {
    const mapId = req.params.id;
    const access = await authorizeMap(req, links, mapId);
    if (access.permission.role !== 'owner') throw new HttpError(403, "only the map's owner link or a workspace admin may fork it");
    const parsed = forkBody.safeParse(req.body ?? {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    await requireLiveMap(options, mapId);
    const { version, doc } = await versionDoc(mapId, req.params.versionId);
    await creation.mayCreate(req, res);
    const was = doc.getMap('meta').get('title');
    const fork = copyOfState(Y.encodeStateAsUpdate(doc), (meta) =>
      meta.set(
        'title',
        parsed.data.title ?? `${typeof was === 'string' ? was : 'Map'} (from ${version.name ?? 'a version'})`.slice(0, 200),
      ),
    );
    doc.destroy();
    await creation.store(res, fork);
    fork.destroy();
  });

  return router;
}

/** Who asked, for the version list: the person's name if the page gave it, and the link's label or role. */
export async function requesterName(store: MapStore, req: Request, access: Extract<Access, { ok: true }>): Promise<string> {
  const person = personName(req.get('x-waymark-person'));
  const label = (await store.getLink(access.linkId))?.label || `${access.permission.role} link`;
  return person ? `${person} (${label})` : label;
}

/** The person's name from `X-Waymark-Person`: percent-encoded UTF-8 (any script), at most 100 characters. */
export function personName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    name = header;
  }
  // Control characters never make it into the list.
  const clean = name
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, 100);
  return clean || undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
