import { serverError } from './library-api';
import { decodeCreatedMap, type ForkedMap } from './versions-api';

/** A JSON export read from a file and sent to `POST /api/maps/import` as a new map. */

export type ImportAnswer =
  | { readonly ok: true; readonly map: ForkedMap; readonly title: string }
  | { readonly ok: false; readonly error: string; readonly status: number };

/** The file's JSON, or why it is not JSON at all (the server never sees a file that is not). */
export function parseExportFile(text: string): { ok: true; data: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'this file cannot be imported: it is not JSON (choose the .json file a Waymark export downloaded)' };
  }
}

/** The title written in an export, for the list of recent maps. */
export function exportTitle(data: unknown): string {
  const meta = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['meta'] : null;
  const title = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['title'] : null;
  return typeof title === 'string' && title.trim() !== '' ? title : 'Imported map';
}

/** `token`: the workspace link; a server that lets anyone make maps takes an import without one. */
export async function importMap(data: unknown, token: string | null, send: typeof fetch = fetch): Promise<ImportAnswer> {
  let response: Response;
  try {
    response = await send('/api/maps/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(data),
    });
  } catch {
    return { ok: false, error: 'the server could not be reached', status: 0 };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    return { ok: false, error: serverError(body) ?? `the server answered ${response.status}`, status: response.status };
  }
  const map = decodeCreatedMap(body);
  return map
    ? { ok: true, map, title: exportTitle(data) }
    : { ok: false, error: 'the server sent an answer this page does not understand', status: 0 };
}
