/** `GET /api/maps`: every map of the workspace, read with a workspace link. */

export interface LibraryMap {
  readonly id: string;
  readonly title: string;
  readonly goal: string;
  readonly template: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Name of whoever edited it last, when the server knows. */
  readonly updatedBy: string | null;
  /** Names of the people on the map now. */
  readonly people: readonly string[];
  /** Saved as a template of the workspace: offered in "Start a map". */
  readonly isTemplate: boolean;
}

export type LibrarySort = 'updated' | 'title';

export type WorkspaceRole = 'admin' | 'member';

export type LibraryAnswer =
  /** `role`: the workspace link's, from the answer's `X-Waymark-Role`; null when it does not say. */
  | { readonly ok: true; readonly maps: readonly LibraryMap[]; readonly role: WorkspaceRole | null }
  /** 401 or 403: the workspace link is unknown, revoked or expired. */
  | { readonly ok: false; readonly linkEnded: boolean; readonly message: string };

function decodeMap(value: unknown): LibraryMap | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, title, goal, template, createdAt, updatedAt, updatedBy, people, isTemplate } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof template !== 'string') return null;
  if (typeof createdAt !== 'number' || typeof updatedAt !== 'number') return null;
  if (updatedBy !== null && updatedBy !== undefined && typeof updatedBy !== 'string') return null;
  const names = Array.isArray(people) ? people.filter((name): name is string => typeof name === 'string' && name !== '') : [];
  return {
    id,
    title,
    goal: typeof goal === 'string' ? goal : '',
    template,
    createdAt,
    updatedAt,
    updatedBy: updatedBy || null,
    people: [...new Set(names)],
    isTemplate: isTemplate === true,
  };
}

/** The maps, or why they could not be listed; throws only when an aborted request ends. */
export async function fetchLibrary(token: string, query: string, sort: LibrarySort, signal?: AbortSignal): Promise<LibraryAnswer> {
  const params = new URLSearchParams({ sort });
  if (query.trim() !== '') params.set('q', query.trim());
  let response: Response;
  try {
    response = await fetch(`/api/maps?${params}`, { headers: { authorization: `Bearer ${token}` }, signal: signal ?? null });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, linkEnded: false, message: 'The server could not be reached. Check your connection and try again.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401 || response.status === 403) {
    return { ok: false, linkEnded: true, message: serverError(body) ?? `the server answered ${response.status}` };
  }
  if (!response.ok) {
    const reason = serverError(body);
    return {
      ok: false,
      linkEnded: false,
      message: `The library could not be loaded: ${reason ?? `the server answered ${response.status}`}.`,
    };
  }
  if (!Array.isArray(body)) return { ok: false, linkEnded: false, message: 'The server sent an answer this page does not understand.' };
  const role = response.headers.get('x-waymark-role');
  return {
    ok: true,
    maps: body.map(decodeMap).filter((map): map is LibraryMap => map !== null),
    role: role === 'admin' || role === 'member' ? role : null,
  };
}

/** The `error` of a JSON error answer, if it has one. */
export function serverError(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const message = (body as Record<string, unknown>)['error'];
  return typeof message === 'string' ? message : null;
}
