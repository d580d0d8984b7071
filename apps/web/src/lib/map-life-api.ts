import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';
import { decodeShareLinks, type ShareLinks } from './share-links';

/**
 * A map's life as its owner or a workspace admin changes it: duplicate, move to the trash,
 * restore, and the trash itself. Answers are decoded here; refusals carry the server's words.
 */

export type LifeAnswer<T> = ApiAnswer<T>;

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
  const answer = await apiRequest(
    `${mapPath(mapId)}/duplicate`,
    { token, method: 'POST', body, headers: options.workspace ? { 'x-waymark-workspace': options.workspace } : {} },
    send,
  );
  if (!answer.ok) return answer;
  const { id, links } = (typeof answer.value === 'object' && answer.value !== null ? answer.value : {}) as Record<string, unknown>;
  const decoded = decodeShareLinks(links);
  if (typeof id !== 'string' || decoded?.owner === undefined) return notUnderstood;
  return { ok: true, value: { id, links: { ...decoded, owner: decoded.owner } } };
}

/** Moves the map to the trash; every open page of it ends (close code 4410). */
export async function trashMap(mapId: string, token: string, send: Fetch = fetch): Promise<LifeAnswer<null>> {
  const answer = await apiRequest(mapPath(mapId), { token, method: 'DELETE' }, send);
  return answer.ok ? { ok: true, value: null } : answer;
}

export async function restoreMap(mapId: string, token: string, send: Fetch = fetch): Promise<LifeAnswer<null>> {
  const answer = await apiRequest(`${mapPath(mapId)}/restore`, { token, method: 'POST' }, send);
  return answer.ok ? { ok: true, value: null } : answer;
}

/** The workspace's trash; 403 for a member's link, which has no trash to see. */
export async function listTrash(token: string, send: Fetch = fetch): Promise<LifeAnswer<TrashedMap[]>> {
  const answer = await apiRequest('/api/maps?trash=1', { token }, send);
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

const notUnderstood = NOT_UNDERSTOOD;
