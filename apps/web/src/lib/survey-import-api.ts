import { apiRequest, headerSafe, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';
import { serverError } from './library-api';

/**
 * Survey and analytics files into the open map (`/api/maps/:id/imports`): a preview of the file's
 * start, the whole file streamed with the column mapping, the imports made, and the verbatims
 * they left. Every answer is decoded here; a refusal carries the server's words unchanged.
 */

/** The largest file one import takes (the server refuses more, whatever the page says). */
export const SURVEY_LIMIT_BYTES = 50 * 1024 * 1024;
/** The start of the file the preview reads. */
export const PREVIEW_BYTES = 64 * 1024;

export const DELIMITERS = ['comma', 'semicolon', 'tab'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export const DELIMITER_LABELS: Readonly<Record<Delimiter, string>> = { comma: 'Comma ( , )', semicolon: 'Semicolon ( ; )', tab: 'Tab' };

export const DATE_FORMATS = ['ymd', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const DATE_FORMAT_LABELS: Readonly<Record<DateFormat, string>> = {
  ymd: 'Year-month-day (2026-03-31)',
  dmy: 'Day/month/year (31/03/2026)',
  mdy: 'Month/day/year (03/31/2026)',
};

export type SurveyRole = 'stage' | 'score' | 'date' | 'verbatim' | 'persona' | 'channel';
export const SURVEY_ROLES: readonly { readonly role: SurveyRole; readonly label: string; readonly required: boolean }[] = [
  { role: 'stage', label: 'Stage', required: true },
  { role: 'score', label: 'Score', required: false },
  { role: 'date', label: 'Date', required: false },
  { role: 'verbatim', label: 'Verbatim comment', required: false },
  { role: 'persona', label: 'Persona', required: false },
  { role: 'channel', label: 'Channel', required: false },
];

/** What one row of the file is: it decides what the row count is written as. */
export const ROW_MEANINGS = ['responses', 'customers'] as const;
export type RowMeaning = (typeof ROW_MEANINGS)[number];
export const ROW_MEANING_LABELS: Readonly<Record<RowMeaning, string>> = {
  responses: 'A survey response (counted as Responses)',
  customers: 'A customer at a stage (counted as Volume, with the drop-off to the next stage)',
};

/** What a score column measures; any other name is a custom KPI, written as the mean. */
export const SCORE_METRICS = [
  { name: 'CSAT', label: 'CSAT: 1–5 answers, their mean' },
  { name: 'NPS', label: 'NPS: 0–10 answers, % promoters (9–10) minus % detractors (0–6)' },
  { name: 'CES', label: 'CES: 1–7 answers, their mean' },
] as const;

export interface SurveyPreview {
  readonly delimiter: Delimiter;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly problems: readonly { readonly row: number | null; readonly message: string }[];
  readonly suggested: Partial<Record<SurveyRole, string>>;
  readonly metric: string;
  readonly dateFormat: DateFormat;
}

export interface SurveySummary {
  readonly rows: number;
  readonly imported: number;
  readonly skipped: { readonly count: number; readonly values: readonly string[]; readonly rows: readonly number[] };
  readonly unmatchedPersonas: { readonly count: number; readonly values: readonly string[] };
  readonly stages: number;
  readonly metrics: number;
  readonly verbatims: number;
}

export interface SurveyImport {
  readonly id: string;
  readonly fileName: string;
  readonly importedAt: number;
  readonly importedBy: string | null;
  readonly rows: number;
  readonly verbatims: number;
  readonly metrics: number;
}

export interface FoundVerbatim {
  readonly importId: string;
  readonly fileName: string;
  readonly row: number;
  readonly stageId: string;
  readonly personaId: string;
  readonly channel: string;
  readonly score: number | null;
  readonly date: string;
  readonly text: string;
}

/** The mapping as the import takes it: a column per role ('' for none), what the score measures, and the choices around them. */
export interface SurveyMapping {
  readonly columns: Readonly<Record<SurveyRole, string>>;
  readonly metric: string;
  readonly dateFormat: DateFormat;
  readonly delimiter: Delimiter;
  readonly skipUnmatched: boolean;
  readonly rowsAre: RowMeaning;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const strings = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

export function decodePreview(value: unknown): SurveyPreview | null {
  if (!isRecord(value) || !isOneOf(DELIMITERS, value['delimiter']) || !isOneOf(DATE_FORMATS, value['dateFormat'])) return null;
  const header = strings(value['header']);
  if (!header || !Array.isArray(value['rows']) || !Array.isArray(value['problems']) || typeof value['metric'] !== 'string') return null;
  const rows = value['rows'].map(strings);
  if (rows.some((row) => row === null)) return null;
  const problems = value['problems'].map((problem) =>
    isRecord(problem) && typeof problem['message'] === 'string' && (problem['row'] === null || isCount(problem['row']))
      ? { row: problem['row'], message: problem['message'] }
      : null,
  );
  if (problems.some((problem) => problem === null)) return null;
  const guesses = isRecord(value['suggested']) ? value['suggested'] : {};
  // A guess is kept only when it names one of the file's columns.
  const suggested = Object.fromEntries(
    SURVEY_ROLES.map(({ role }) => [role, guesses[role]] as const).filter(
      (entry): entry is [SurveyRole, string] => typeof entry[1] === 'string' && header.includes(entry[1]),
    ),
  );
  return {
    delimiter: value['delimiter'],
    header,
    rows: rows as string[][],
    problems: problems as { row: number | null; message: string }[],
    suggested,
    metric: value['metric'],
    dateFormat: value['dateFormat'],
  };
}

export function decodeImport(value: unknown): SurveyImport | null {
  if (!isRecord(value)) return null;
  const { id, fileName, importedAt, importedBy, rows, verbatims, metrics } = value;
  if (typeof id !== 'string' || typeof fileName !== 'string' || typeof importedAt !== 'number') return null;
  if (!(importedBy === null || typeof importedBy === 'string') || !isCount(rows) || !isCount(verbatims) || !isCount(metrics)) return null;
  return { id, fileName, importedAt, importedBy, rows, verbatims, metrics };
}

export function decodeSummary(value: unknown): SurveySummary | null {
  if (!isRecord(value) || !isRecord(value['skipped']) || !isRecord(value['unmatchedPersonas'])) return null;
  const { rows, imported, stages, metrics, verbatims } = value;
  const skipped = value['skipped'];
  const personas = value['unmatchedPersonas'];
  const skippedValues = strings(skipped['values']);
  const skippedRows = Array.isArray(skipped['rows']) && skipped['rows'].every(isCount) ? (skipped['rows'] as number[]) : null;
  const personaValues = strings(personas['values']);
  if (![rows, imported, stages, metrics, verbatims, skipped['count'], personas['count']].every(isCount)) return null;
  if (!skippedValues || !skippedRows || !personaValues) return null;
  return {
    rows: rows as number,
    imported: imported as number,
    stages: stages as number,
    metrics: metrics as number,
    verbatims: verbatims as number,
    skipped: { count: skipped['count'] as number, values: skippedValues, rows: skippedRows },
    unmatchedPersonas: { count: personas['count'] as number, values: personaValues },
  };
}

function decodeVerbatim(value: unknown): FoundVerbatim | null {
  if (!isRecord(value)) return null;
  const { importId, fileName, row, stageId, personaId, channel, score, date, text } = value;
  if (typeof importId !== 'string' || typeof fileName !== 'string' || !isCount(row) || typeof stageId !== 'string') return null;
  if (typeof personaId !== 'string' || typeof channel !== 'string' || typeof date !== 'string' || typeof text !== 'string') return null;
  if (!(score === null || (typeof score === 'number' && Number.isFinite(score)))) return null;
  return { importId, fileName, row, stageId, personaId, channel, score, date, text };
}

const listOf =
  <T>(key: string, decode: (value: unknown) => T | null) =>
  (value: unknown): T[] | null => {
    if (!isRecord(value) || !Array.isArray(value[key])) return null;
    const items = value[key].map(decode);
    return items.some((item) => item === null) ? null : (items as T[]);
  };

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "12,345 rows, 36 measurements for 6 stages, 9,876 verbatims". */
export function summaryLine(summary: SurveySummary): string {
  return `${count(summary.rows, 'row', 'rows')}, ${count(summary.metrics, 'measurement', 'measurements')} for ${count(summary.stages, 'stage', 'stages')}, ${count(summary.verbatims, 'verbatim', 'verbatims')}`;
}

/** The preview's values of the stage column that name no stage of the map (case aside), with their rows. */
export function unmatchedStages(
  preview: SurveyPreview,
  column: string,
  stageNames: readonly string[],
): { values: string[]; rows: number[] } {
  const index = preview.header.indexOf(column);
  if (index === -1) return { values: [], rows: [] };
  const known = new Set(stageNames.map((name) => name.trim().toLocaleLowerCase()));
  const values: string[] = [];
  const rows: number[] = [];
  preview.rows.forEach((row, at) => {
    const value = (row[index] ?? '').trim();
    if (known.has(value.toLocaleLowerCase())) return;
    rows.push(at + 2);
    const shown = value === '' ? '(blank)' : value;
    if (!values.includes(shown)) values.push(shown);
  });
  return { values, rows };
}

/** Why a file is refused before it is sent, or null when it may go. */
export function fileRefusal(file: { readonly size: number; readonly name: string }): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > SURVEY_LIMIT_BYTES) {
    const megabytes = (file.size / (1024 * 1024)).toFixed(1);
    return `“${file.name}” is ${megabytes} MB; an import takes files of up to ${SURVEY_LIMIT_BYTES / (1024 * 1024)} MB. Split it by date and import each part.`;
  }
  return null;
}

/** The import's query string: the file's name and the mapping, leaving out the columns not chosen. */
export function importQuery(fileName: string, mapping: SurveyMapping): string {
  const params = new URLSearchParams({ file: fileName.slice(0, 200), delimiter: mapping.delimiter });
  for (const { role } of SURVEY_ROLES) if (mapping.columns[role]) params.set(role, mapping.columns[role]);
  if (mapping.columns.score) params.set('metric', mapping.metric.trim());
  if (mapping.columns.date) params.set('dateFormat', mapping.dateFormat);
  if (mapping.skipUnmatched) params.set('skipUnmatched', 'true');
  if (mapping.rowsAre !== 'responses') params.set('rowsAre', mapping.rowsAre);
  return params.toString();
}

export interface SurveyUpload {
  /** Settles when the server has answered (or the upload failed or was cancelled). */
  readonly done: Promise<ApiAnswer<{ import: SurveyImport; summary: SurveySummary }>>;
  /** Stops sending: the server writes nothing. */
  cancel(): void;
}

export interface SurveyImportClient {
  readonly mapId: string;
  readonly token: string;
  readonly person?: () => string;
  readonly send?: Fetch;
}

export class SurveyImportApi {
  readonly #client: SurveyImportClient;

  constructor(client: SurveyImportClient) {
    this.#client = client;
  }

  get #base(): string {
    return `/api/maps/${encodeURIComponent(this.#client.mapId)}`;
  }

  /** The file's first 64 KB read by the server: delimiter, header, first rows, guesses and problems. */
  async preview(file: Blob, delimiter?: Delimiter): Promise<ApiAnswer<SurveyPreview>> {
    const complete = file.size <= PREVIEW_BYTES;
    const params = new URLSearchParams({ complete: String(complete), ...(delimiter ? { delimiter } : {}) });
    const send = this.#client.send ?? ((input, init) => fetch(input, init));
    let response: Response;
    try {
      response = await send(`${this.#base}/imports/preview?${params}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#client.token}`, 'content-type': 'text/csv' },
        body: file.slice(0, PREVIEW_BYTES),
      });
    } catch {
      return { ok: false, status: 0, error: 'the server could not be reached' };
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) return { ok: false, status: response.status, error: serverError(body) || `the server answered ${response.status}` };
    const preview = decodePreview(body);
    return preview ? { ok: true, value: preview } : NOT_UNDERSTOOD;
  }

  /** Sends the whole file with its mapping; `onProgress` hears the bytes sent so far. */
  upload(file: File, mapping: SurveyMapping, onProgress: (sent: number, total: number) => void): SurveyUpload {
    const xhr = new XMLHttpRequest();
    const done = new Promise<ApiAnswer<{ import: SurveyImport; summary: SurveySummary }>>((resolve) => {
      xhr.open('POST', `${this.#base}/imports?${importQuery(file.name, mapping)}`);
      xhr.setRequestHeader('authorization', `Bearer ${this.#client.token}`);
      xhr.setRequestHeader('content-type', 'text/csv');
      const person = this.#client.person?.().trim();
      if (person) xhr.setRequestHeader('x-waymark-person', headerSafe(person));
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onabort = () => resolve({ ok: false, status: 0, error: 'the import was cancelled; nothing was imported' });
      xhr.onerror = () => resolve({ ok: false, status: 0, error: 'the server could not be reached; nothing was imported' });
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText) as unknown;
        } catch {
          // Said below as an answer not understood.
        }
        if (xhr.status < 200 || xhr.status >= 300) {
          resolve({ ok: false, status: xhr.status, error: serverError(body) || `the server answered ${xhr.status}` });
          return;
        }
        const made = isRecord(body) ? decodeImport(body['import']) : null;
        const summary = isRecord(body) ? decodeSummary(body['summary']) : null;
        resolve(made && summary ? { ok: true, value: { import: made, summary } } : NOT_UNDERSTOOD);
      };
      xhr.send(file);
    });
    return { done, cancel: () => xhr.abort() };
  }

  async list(): Promise<ApiAnswer<SurveyImport[]>> {
    return this.#decoded(`${this.#base}/imports`, 'GET', listOf('imports', decodeImport));
  }

  /** Deletes an import: its measurements leave the map and its verbatims the server. */
  async remove(importId: string): Promise<ApiAnswer<unknown>> {
    return apiRequest(
      `${this.#base}/imports/${encodeURIComponent(importId)}`,
      { token: this.#client.token, method: 'DELETE' },
      this.#client.send,
    );
  }

  async verbatims(query: { stageId?: string; text?: string; limit?: number }): Promise<ApiAnswer<FoundVerbatim[]>> {
    const params = new URLSearchParams();
    if (query.stageId) params.set('stageId', query.stageId);
    if (query.text?.trim()) params.set('q', query.text.trim());
    params.set('limit', String(query.limit ?? 20));
    return this.#decoded(`${this.#base}/verbatims?${params}`, 'GET', listOf('verbatims', decodeVerbatim));
  }

  async #decoded<T>(path: string, method: string, decode: (value: unknown) => T | null): Promise<ApiAnswer<T>> {
    const answer = await apiRequest(path, { token: this.#client.token, method }, this.#client.send);
    if (!answer.ok) return answer;
    const value = decode(answer.value);
    return value === null ? NOT_UNDERSTOOD : { ok: true, value };
  }
}
