import { MAP_LINKS } from './link-kinds';
import { LinkList } from './link-list.svelte';
import { mapLinksPath, type ManagedLink } from './links-api';
import type { MapRole } from './map-role';

export type MapLink = ManagedLink<MapRole>;

/** Every link of one map, for its owner (the share panel). */
export class MapLinks extends LinkList<MapRole> {
  constructor(
    readonly mapId: string,
    token: string,
    send?: typeof fetch,
  ) {
    super({ path: mapLinksPath(mapId), kind: MAP_LINKS }, token, 'this map’s links', send);
  }
}
