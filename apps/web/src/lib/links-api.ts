import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';
import type { LinkKind } from './link-kinds';

/**
 * Managed links as whoever manages them sees them: `GET`, `POST <path>` and
 * `DELETE <path>/:linkId` with the managing token, where the path is a map's
 * (`/api/maps/:id/links`, for its owner) or the workspace's (`/api/workspace/links`, for an
 * admin). Answers are decoded here, so the rest of the page only ever sees well-formed links.
 */

export interface ManagedLink<R extends string = string> {
  readonly id: string;
  readonly role: R;
  readonly label: string;
  /** One of the links of a map made before links had records. */
  readonly original: boolean;
  /** Made for one person, named by its label: whoever opens it takes part in rounds as them, on any device. */
  readonly personal: boolean;
  /** ms since the epoch; 0 for an original link, whose making was never recorded. */
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
  readonly url: string;
}

export interface NewLink<R extends string = string> {
  readonly role: R;
  readonly label: string;
  readonly expiresAt: number | null;
  /** For one named person (map links only; the label is their name). */
  readonly personal?: boolean;
}

/** Where one list of links is managed, and which kind they are. */
export interface LinksEndpoint<R extends string> {
  readonly path: string;
  readonly kind: LinkKind<R>;
}

/** `status` on a refusal is the server's (403: this token may not manage these links), 0 when there was none. */
export type LinksAnswer<T> = ApiAnswer<T>;

export const mapLinksPath = (mapId: string): string => `/api/maps/${encodeURIComponent(mapId)}/links`;
export const WORKSPACE_LINKS_PATH = '/api/workspace/links';

const time = (value: unknown): number | null | undefined =>
  value === null ? null : typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function decodeLink<R extends string>(value: unknown, kind: LinkKind<R>): ManagedLink<R> | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { id, role, label, original, url } = record;
  const createdAt = time(record['createdAt']);
  const expiresAt = time(record['expiresAt']);
  const lastUsedAt = time(record['lastUsedAt']);
  const revokedAt = time(record['revokedAt']);
  if (typeof id !== 'string' || id === '' || !kind.isRole(role) || typeof url !== 'string') return null;
  if (typeof createdAt !== 'number' || expiresAt === undefined || lastUsedAt === undefined || revokedAt === undefined) return null;
  return {
    id,
    role,
    label: typeof label === 'string' ? label : '',
    original: original === true,
    personal: record['personal'] === true,
    createdAt,
    expiresAt,
    lastUsedAt,
    revokedAt,
    url,
  };
}

export async function listLinks<R extends string>(
  at: LinksEndpoint<R>,
  token: string,
  send: Fetch = fetch,
): Promise<LinksAnswer<ManagedLink<R>[]>> {
  const answer = await apiRequest(at.path, { token }, send);
  if (!answer.ok) return answer;
  if (!Array.isArray(answer.value)) return notUnderstood;
  // A link this page cannot read is left out rather than failing the whole list.
  return {
    ok: true,
    value: answer.value.map((value) => decodeLink(value, at.kind)).filter((link): link is ManagedLink<R> => link !== null),
  };
}

export async function createLink<R extends string>(
  at: LinksEndpoint<R>,
  token: string,
  link: NewLink<R>,
  send: Fetch = fetch,
): Promise<LinksAnswer<ManagedLink<R>>> {
  const body = {
    role: link.role,
    ...(link.label.trim() ? { label: link.label.trim() } : {}),
    ...(link.expiresAt !== null ? { expiresAt: link.expiresAt } : {}),
    ...(link.personal ? { personal: true } : {}),
  };
  const answer = await apiRequest(at.path, { token, method: 'POST', body }, send);
  if (!answer.ok) return answer;
  const created = decodeLink(answer.value, at.kind);
  return created ? { ok: true, value: created } : notUnderstood;
}

export async function revokeLink(
  at: LinksEndpoint<string>,
  token: string,
  linkId: string,
  send: Fetch = fetch,
): Promise<LinksAnswer<null>> {
  const answer = await apiRequest(`${at.path}/${encodeURIComponent(linkId)}`, { token, method: 'DELETE' }, send);
  return answer.ok ? { ok: true, value: null } : answer;
}

const notUnderstood = NOT_UNDERSTOOD;
