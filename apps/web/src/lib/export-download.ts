import { serverError } from './library-api';

/** The map's exports, each fetched with the page's link and saved as the file the server names. */

export type ExportFormat = 'json' | 'csv' | 'md' | 'png' | 'pdf';

export const EXPORT_FORMATS: readonly { readonly format: ExportFormat; readonly label: string }[] = [
  { format: 'json', label: 'JSON (to import again)' },
  { format: 'csv', label: 'CSV (cards, for a spreadsheet)' },
  { format: 'md', label: 'Markdown' },
  { format: 'png', label: 'PNG image' },
  { format: 'pdf', label: 'PDF' },
];

/**
 * The file name in a Content-Disposition header: `filename*` (RFC 5987) before `filename`;
 * `fallback` when there is none. Path separators never survive.
 */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(disposition);
    name = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2] ?? null) : null;
  }
  const safe = name?.replace(/[/\\]/g, '-').trim();
  return safe ? safe : fallback;
}

export type DownloadAnswer = { readonly ok: true; readonly fileName: string } | { readonly ok: false; readonly error: string };

/** Fetches the map's export and saves it as a download. */
export function downloadExport(mapId: string, token: string, format: ExportFormat, send: typeof fetch = fetch): Promise<DownloadAnswer> {
  return downloadFile(`/api/maps/${encodeURIComponent(mapId)}/export.${format}`, token, `journey-map.${format}`, send);
}

/** Fetches `path` with the link into a Blob and hands it to the browser as a download, named as the server says (else `fallbackName`). */
export async function downloadFile(path: string, token: string, fallbackName: string, send: typeof fetch = fetch): Promise<DownloadAnswer> {
  let response: Response;
  try {
    response = await send(path, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, error: 'the server could not be reached' };
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    return { ok: false, error: serverError(body) ?? `the server answered ${response.status}` };
  }
  const fileName = fileNameFrom(response.headers.get('content-disposition'), fallbackName);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; the URL can go a little later (revoking at once cancels it in some browsers).
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { ok: true, fileName };
}
