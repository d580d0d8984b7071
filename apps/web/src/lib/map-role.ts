/** The roles a map link can carry, strongest first (the server's list). */
export type MapRole = 'owner' | 'editor' | 'participant' | 'commenter' | 'viewer';
export const MAP_ROLES: readonly MapRole[] = ['owner', 'editor', 'participant', 'commenter', 'viewer'];

export function isMapRole(value: unknown): value is MapRole {
  return typeof value === 'string' && (MAP_ROLES as readonly string[]).includes(value);
}

export type RoleLookup =
  /** `trashDays`: how long a deleted map stays restorable (told to owners only). */
  | { readonly kind: 'role'; readonly role: MapRole; readonly title: string | null; readonly trashDays: number | null }
  | {
      readonly kind: 'refused';
      readonly message: string;
      /** The server's reason when the link itself was revoked or has expired (403). */
      readonly ended?: string;
    }
  | { readonly kind: 'unreachable' };

/** Asks the server what this link may do (GET /api/maps/:id answers `{ id, role, meta }`). */
export async function lookUpRole(mapId: string, token: string): Promise<RoleLookup> {
  let response: Response;
  try {
    // The server marks every /api answer no-store, so a 410 (a map in the trash) is never served
    // again from the cache once the map is restored.
    response = await fetch(`/api/maps/${encodeURIComponent(mapId)}?token=${encodeURIComponent(token)}`);
  } catch {
    return { kind: 'unreachable' };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // fall through with body = null
  }
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (response.status === 401) return { kind: 'refused', message: 'This link is not valid for this map.' };
  if (response.status === 404) return { kind: 'refused', message: 'There is no map at this link.' };
  if (response.status === 403) {
    const error = typeof record['error'] === 'string' ? record['error'] : null;
    return { kind: 'refused', message: endedLinkHeadline(error), ended: error ?? 'this link no longer opens the map' };
  }
  if (response.status === 410) {
    const error = typeof record['error'] === 'string' ? record['error'] : 'this map was deleted';
    return { kind: 'refused', message: endedLinkHeadline(error), ended: error };
  }
  if (response.status === 409) {
    // The server cannot open this map (saved by a newer Waymark): its words say what to do.
    const error = typeof record['error'] === 'string' ? record['error'] : 'the server cannot open this map';
    return { kind: 'refused', message: `This map cannot be opened: ${error}.` };
  }
  if (!response.ok || !isMapRole(record['role'])) return { kind: 'unreachable' };
  const meta = record['meta'];
  const title =
    typeof meta === 'object' && meta !== null && typeof (meta as Record<string, unknown>)['title'] === 'string'
      ? ((meta as Record<string, unknown>)['title'] as string)
      : null;
  const trashDays = typeof record['trashDays'] === 'number' && Number.isInteger(record['trashDays']) ? record['trashDays'] : null;
  return { kind: 'role', role: record['role'], title, trashDays };
}

/**
 * The role written in the token itself, unverified. Used only to open a map offline (the
 * server checks every update anyway, and refuses writes a link does not allow).
 */
export function roleFromToken(token: string): MapRole | null {
  const [payload] = token.split('.');
  if (!payload) return null;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const role = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['r'] : null;
    return isMapRole(role) ? role : null;
  } catch {
    return null;
  }
}

/**
 * What a role may do to the map, as the server's policy table allows (the server enforces it;
 * the page only hides what would be refused):
 * - `shape-map`: title, goal, scope; stages, lanes and personas; the agreed emotion curve;
 * - `edit-cards`: add, type, move, colour, tag and attribute cards, and delete the ones this
 *   browser's document created;
 * - `delete-any-card`: delete cards whoever created them;
 * - `rate`: give one's own emotion rating of a stage;
 * - `comment`: write comments, resolve and reopen threads, and change or delete the comments this
 *   browser's document wrote (those with `shape-map` moderate anyone's).
 */
export type MapAbility = 'shape-map' | 'edit-cards' | 'delete-any-card' | 'rate' | 'comment';

const ABILITIES: Readonly<Record<MapRole, readonly MapAbility[]>> = {
  owner: ['shape-map', 'edit-cards', 'delete-any-card', 'rate', 'comment'],
  editor: ['shape-map', 'edit-cards', 'delete-any-card', 'rate', 'comment'],
  participant: ['edit-cards', 'rate', 'comment'],
  commenter: ['comment'],
  viewer: [],
};

export function roleMay(role: MapRole | null, ability: MapAbility): boolean {
  return role !== null && ABILITIES[role].includes(ability);
}

/** Why a revoked or expired link stopped working, from the server's reason (403, or close code 4403). */
export function endedLinkHeadline(reason: string | null): string {
  if (reason === 'this link was revoked') return 'This link was revoked by the map’s owner.';
  if (reason === 'this link has expired') return 'This link has expired.';
  if (reason?.startsWith('this map was deleted')) return 'This map was deleted. Its owner can restore it from the trash.';
  return reason ? `This link no longer opens the map: ${reason}.` : 'This link no longer opens the map.';
}

/** What a page says once the server ended its link's live session, for whoever holds the link. */
export function endedLinkMessage(reason: string): string {
  const next = reason.startsWith('this map was deleted') ? 'ask its owner to restore it' : 'ask the map’s owner for a new link';
  return `${endedLinkHeadline(reason)} This page no longer shows live changes or saves yours; ${next}.`;
}
