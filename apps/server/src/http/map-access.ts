import type { Request } from 'express';
import type { Access, LinkAuthority } from '../access/link-authority.js';
import { HttpError } from './http-error.js';

const MAP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The token a request carries: `Authorization: Bearer …`, else `?token=`. */
export function requestToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const query = typeof req.query.token === 'string' ? req.query.token : undefined;
  return bearer ?? query;
}

/**
 * The workspace link a request carries: `X-Waymark-Workspace`, else its own token. A map's owner
 * who duplicates it shows the map's owner link as the request's token and the workspace link
 * here, since making a map needs both.
 */
export function workspaceToken(req: Request): string | undefined {
  return req.get('x-waymark-workspace')?.trim() || requestToken(req);
}

/** What the request's link may do on map `mapId`: 400 for a malformed id, 401 or 403 when nothing. */
export async function authorizeMap(req: Request, links: LinkAuthority, mapId: string): Promise<Extract<Access, { ok: true }>> {
  if (!MAP_ID.test(mapId)) throw new HttpError(400, 'map id is malformed');
  const access = await links.forMap(requestToken(req), mapId);
  if (!access.ok) throw new HttpError(access.status, access.reason);
  return access;
}
