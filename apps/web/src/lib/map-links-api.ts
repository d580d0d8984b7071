import { isMapRole, type MapRole } from './map-role';

/**
 * A map's links as its owner manages them: `GET`, `POST /api/maps/:id/links` and
 * `DELETE /api/maps/:id/links/:linkId`, with the owner's token. Answers are decoded here, so
 * the rest of the page only ever sees well-formed links.
 */

export interface MapLink {
  readonly id: string;
  readonly role: MapRole;
  readonly label: string;
  /** One of the links of a map made before links had records. */
  readonly original: boolean;
  /** ms since the epoch; 0 for an original link, whose making was never recorded. */
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
  readonly url: string;
}

export interface NewLink {
  readonly role: MapRole;
  readonly label: string;
  readonly expiresAt: number | null;
}

export type LinksAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

type Fetch = typeof fetch;

const time = (value: unknown): number | null | undefined =>
  value === null ? null : typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function decodeMapLink(value: unknown): MapLink | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { id, role, label, original, url } = record;
  const createdAt = time(record['createdAt']);
  const expiresAt = time(record['expiresAt']);
  const lastUsedAt = time(record['lastUsedAt']);
  const revokedAt = time(record['revokedAt']);
  if (typeof id !== 'string' || id === '' || !isMapRole(role) || typeof url !== 'string') return null;
  if (typeof createdAt !== 'number' || expiresAt === undefined || lastUsedAt === undefined || revokedAt === undefined) return null;
  return {
    id,
    role,
    label: typeof label === 'string' ? label : '',
    original: original === true,
    createdAt,
    expiresAt,
    lastUsedAt,
    revokedAt,
    url,
  };
}

/** The token a link carries in its fragment (`…#token=…`), or null. */
export function tokenInLink(url: string): string | null {
  const hash = url.indexOf('#');
  return hash < 0 ? null : new URLSearchParams(url.slice(hash + 1)).get('token');
}

export async function listMapLinks(mapId: string, token: string, send: Fetch = fetch): Promise<LinksAnswer<MapLink[]>> {
  const answer = await request(send, linksPath(mapId), token, { method: 'GET' });
  if (!answer.ok) return answer;
  if (!Array.isArray(answer.value)) return notUnderstood;
  // A link this page cannot read is left out rather than failing the whole list.
  return { ok: true, value: answer.value.map(decodeMapLink).filter((link): link is MapLink => link !== null) };
}

export async function createMapLink(mapId: string, token: string, link: NewLink, send: Fetch = fetch): Promise<LinksAnswer<MapLink>> {
  const body = { role: link.role, ...(link.label.trim() ? { label: link.label.trim() } : {}), ...(link.expiresAt !== null ? { expiresAt: link.expiresAt } : {}) };
  const answer = await request(send, linksPath(mapId), token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) return answer;
  const created = decodeMapLink(answer.value);
  return created ? { ok: true, value: created } : notUnderstood;
}

export async function revokeMapLink(mapId: string, token: string, linkId: string, send: Fetch = fetch): Promise<LinksAnswer<null>> {
  const answer = await request(send, `${linksPath(mapId)}/${encodeURIComponent(linkId)}`, token, { method: 'DELETE' });
  return answer.ok ? { ok: true, value: null } : answer;
}

const notUnderstood = { ok: false, error: 'the server sent an answer this page does not understand' } as const;

const linksPath = (mapId: string) => `/api/maps/${encodeURIComponent(mapId)}/links`;

/** One request with the owner's token; the server's own words when it refuses. */
async function request(send: Fetch, path: string, token: string, init: RequestInit): Promise<LinksAnswer<unknown>> {
  let response: Response;
  try {
    response = await send(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, error: 'the server could not be reached' };
  }
  if (response.status === 204) return { ok: true, value: null };
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body };
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['error'] : null;
  return { ok: false, error: typeof error === 'string' && error !== '' ? error : `the server answered ${response.status}` };
}
