import { readWorkshop, serverOrigin, topLevelMap, type Workshop } from '@waymark/model';
import type { Request } from 'express';
import * as Y from 'yjs';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { Access, LinkAuthority } from '../access/link-authority.js';
import { roleMay } from '../access/roles.js';
import { HttpError } from './http-error.js';
import { authorizeMap } from './map-access.js';
import { readMapThroughRoom, requireLiveMap, type MapReadOptions } from './map-reads.js';

export interface Facilitating {
  mapId: string;
  access: Extract<Access, { ok: true }>;
  workshop: Workshop;
  /** The facilitator's name, for the activity log. */
  name: string;
}

/**
 * The caller holds the facilitator seat: an owner or editor link showing the seat id
 * (`X-Waymark-Seat`) recorded when the seat was taken. Everyone else is refused with who holds it.
 */
export async function requireFacilitator(
  options: MapReadOptions & { links: LinkAuthority },
  req: Request<{ id: string }>,
): Promise<Facilitating> {
  const mapId = req.params.id;
  const access = await authorizeMap(req, options.links, mapId);
  await requireLiveMap(options, mapId);
  const workshop = await readMapThroughRoom(options, mapId, readWorkshop);
  const seat = req.get('x-waymark-seat');
  if (!roleMay(access.permission.role, 'shape-map') || !workshop.facilitator || seat !== workshop.facilitator.seat) {
    throw new HttpError(
      403,
      workshop.facilitator ? `only the facilitator (${workshop.facilitator.name}) may do this` : 'take the facilitator seat first',
    );
  }
  return { mapId, access, workshop, name: workshop.facilitator.name };
}

/**
 * Changes the map's `workshop` (and, through `doc`, whatever else goes with it) as the server, in
 * one transaction every client receives as one change; `by` is noted as the editor.
 */
export function writeWorkshop<T>(
  rooms: RoomRegistry,
  mapId: string,
  by: string | null,
  change: (workshop: Y.Map<unknown>, doc: Y.Doc) => T,
): Promise<T> {
  return rooms.write(mapId, by, (doc) => {
    let result!: T;
    Y.transact(doc, () => (result = change(topLevelMap(doc, 'workshop'), doc)), serverOrigin());
    return result;
  });
}
