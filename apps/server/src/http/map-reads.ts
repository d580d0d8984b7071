import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { RoomLoadError } from '../rooms/room-load-error.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { UnknownMapError, type MapStore } from '../storage/map-store.js';
import { CloseCode, MAP_IN_TRASH } from '../sync/sync-socket.js';
import { HttpError } from './http-error.js';

export interface MapReadOptions {
  store: MapStore;
  rooms: RoomRegistry;
  logger: Logger;
}

/** Room refusals that pass with time (a full or closing server): the client should retry. */
const TEMPORARY_REFUSALS: ReadonlySet<number> = new Set([CloseCode.unavailable, CloseCode.goingAway, CloseCode.tryAgainLater]);

/**
 * Reads a map for an HTTP route through its room, so a read sees what a sync sees: migrated,
 * version-checked, loaded once. Failures are answered the way the sync endpoint reports them,
 * which also checks the store first: an unknown map 404, one in the trash 410, storage that
 * cannot be read 503.
 */
export async function readMapThroughRoom<T>(
  { store, rooms, logger }: MapReadOptions,
  mapId: string,
  read: (document: Y.Doc) => T,
): Promise<T> {
  await requireLiveMap({ store, logger }, mapId);
  try {
    return await rooms.read(mapId, read);
  } catch (error) {
    if (error instanceof UnknownMapError) throw new HttpError(404, 'no map with this id');
    if (!(error instanceof RoomLoadError)) throw error;
    // Otherwise the room refused the stored map itself (it was saved by a newer Waymark):
    // retrying will not help, upgrading the server will.
    throw new HttpError(TEMPORARY_REFUSALS.has(error.closeCode) ? 503 : 409, error.message);
  }
}

/** 404 for a map that is not there, 410 for one in the trash, 503 when storage cannot say. */
export async function requireLiveMap({ store, logger }: Pick<MapReadOptions, 'store' | 'logger'>, mapId: string): Promise<void> {
  let deletedAt: number | null;
  try {
    deletedAt = await store.deletedAt(mapId);
  } catch (error) {
    if (error instanceof UnknownMapError) throw new HttpError(404, 'no map with this id');
    logger.error({ err: error, mapId }, 'map read refused: storage unavailable');
    throw new HttpError(503, 'storage unavailable; try again shortly');
  }
  if (deletedAt !== null) throw new HttpError(410, MAP_IN_TRASH);
}
