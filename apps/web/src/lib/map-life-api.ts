import { serverError } from './library-api';
import { decodeShareLinks, type ShareLinks } from './share-links';

/**
 * A map's life as its owner or a workspace admin changes it: duplicate, move to the trash,
 * restore, and the trash itself. Answers are decoded here; refusals carry the server's words.
 */

export type LifeAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly error: string };

export interface DuplicatedMap {
  readonly id: string;
  readonly links: ShareLinks & { readonly owner: string };
}

export interface TrashedMap {
  readonly id: string;
  readonly title: string;
  readonly goal: string;
  readonly template: string;
  readonly deletedAt: number;
}

type Fetch = typeof fetch;

const mapPath = (mapId: string) => `/api/maps/${encodeURIComponent(mapId)}`;

export interface DuplicateOptions {
  /** Save the copy as a template of the workspace, offered in "Start a map". */
  readonly asTemplate?: boolean;
  /**
   * The workspace link this browser holds, sent beside the map's owner link: a server where only
   * workspace links make maps needs both.
   */
  readonly workspace?: string | null;
}

export async function duplicateMap(
  mapId: string,
  token: string,
  title: string,
  options: DuplicateOptions = {},
  send: Fetch = fetch,
): Promise<LifeAnswer<DuplicatedMap>> {
  const body = { ...(title.trim() ? { title: title.trim() } : {}), ...(options.asTemplate ? { asTemplate: true } : {}) };
  const answer = await request(send, `${mapPath(mapId)}/duplicate`, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.workspace ? { 'x-waymark-workspace': options.workspace } : {}) },
    body: JSON.stringify(body),
  });
  if (!answer.ok) return answer;
  const { id, links } = (typeof answer.value === 'object' && answer.value !== null ? answer.value : {}) as Record<string, unknown>;
  const decoded = decodeShareLinks(links);
  if (typeof id !== 'string' || decoded?.owner === undefined) return notUnderstood;
  return { ok: true, value: { id, links: { ...decoded, owner: decoded.owner } } };
}

/** Moves the map to the trash; every open page of it ends (close code 4410). */
export async function trashMap(mapId: string, token: string, send: Fetch = fetch): Promise<LifeAnswer<null>> {
  const answer = await request(send, mapPath(mapId), token, { method: 'DELETE' });
  return answer.ok ? { ok: true, value: null } : answer;
}

export async function restoreMap(mapId: string, token: string, send: Fetch = fetch): Promise<LifeAnswer<null>> {
  const answer = await request(send, `${mapPath(mapId)}/restore`, token, { method: 'POST' });
  return answer.ok ? { ok: true, value: null } : answer;
}

/** The workspace's trash; 403 for a member's link, which has no trash to see. */
export async function listTrash(token: string, send: Fetch = fetch): Promise<LifeAnswer<TrashedMap[]>> {
  const answer = await request(send, '/api/maps?trash=1', token, { method: 'GET' });
  if (!answer.ok) return answer;
  if (!Array.isArray(answer.value)) return notUnderstood;
  return { ok: true, value: answer.value.map(decodeTrashed).filter((map): map is TrashedMap => map !== null) };
}

function decodeTrashed(value: unknown): TrashedMap | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, title, goal, template, deletedAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof deletedAt !== 'number') return null;
  return { id, title, goal: typeof goal === 'string' ? goal : '', template: typeof template === 'string' ? template : '', deletedAt };
}

const notUnderstood = { ok: false, status: 0, error: 'the server sent an answer this page does not understand' } as const;

async function request(send: Fetch, path: string, token: string, init: RequestInit): Promise<LifeAnswer<unknown>> {
  let response: Response;
  try {
    response = await send(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, status: 0, error: 'the server could not be reached' };
  }
  if (response.status === 204) return { ok: true, value: null };
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: body };
  return { ok: false, status: response.status, error: serverError(body) || `the server answered ${response.status}` };
}
