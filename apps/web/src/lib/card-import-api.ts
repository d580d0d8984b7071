import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';

/**
 * Cards from a CSV file into the open map, for its owners and editors, in three asks of
 * `POST /api/maps/:id/cards/import`: the file's columns, then the cards it would make, then the
 * cards made. Every answer is decoded here; a refusal carries the server's words unchanged.
 */

/** The largest file the page sends; the server takes 10 MB of JSON, and escaping can double a file. */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** Which column (by its header) holds what: stage, lane and text are needed, personas and tags are not. */
export interface CardColumns {
  readonly stage: string;
  readonly lane: string;
  readonly text: string;
  readonly personas?: string;
  readonly tags?: string;
}

export type ColumnRole = keyof CardColumns;
export const COLUMN_ROLES: readonly { readonly role: ColumnRole; readonly label: string; readonly required: boolean }[] = [
  { role: 'stage', label: 'Stage', required: true },
  { role: 'lane', label: 'Lane', required: true },
  { role: 'text', label: 'Card text', required: true },
  { role: 'personas', label: 'Personas', required: false },
  { role: 'tags', label: 'Tags', required: false },
];

/** The file as the server read it: its header, how many rows, the first rows, and a guess at which column is which. */
export interface CsvColumns {
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly sample: readonly (readonly string[])[];
  readonly suggested: Partial<Record<ColumnRole, string>>;
}

export interface PreviewCard {
  /** The row's number in the file, the header being row 1. */
  readonly row: number;
  readonly stage: string;
  readonly lane: string;
  readonly text: string;
  readonly personas: readonly string[];
  readonly tags: readonly string[];
}

export interface ImportPreview {
  readonly count: number;
  /** The first cards only (the server sends up to 20). */
  readonly preview: readonly PreviewCard[];
}

export interface ImportResult {
  readonly added: number;
  /** The version taken just before the cards were added: restoring it undoes the import. */
  readonly before: { readonly id: string; readonly kind: 'before-import'; readonly createdAt: number };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const strings = (value: unknown): string[] | null =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;

export function decodeCsvColumns(value: unknown): CsvColumns | null {
  if (!isRecord(value)) return null;
  const columns = strings(value['columns']);
  if (!columns || columns.length === 0 || !isCount(value['rowCount']) || !Array.isArray(value['sample'])) return null;
  const sample = value['sample'].map(strings);
  if (sample.some((row) => row === null)) return null;
  const guesses = isRecord(value['suggested']) ? value['suggested'] : {};
  // A guess is kept only when it names one of the file's columns.
  const suggested = Object.fromEntries(
    COLUMN_ROLES.map(({ role }) => [role, guesses[role]] as const).filter(
      (entry): entry is [ColumnRole, string] => typeof entry[1] === 'string' && columns.includes(entry[1]),
    ),
  );
  return { columns, rowCount: value['rowCount'], sample: sample as string[][], suggested };
}

function decodePreviewCard(value: unknown): PreviewCard | null {
  if (!isRecord(value)) return null;
  const { row, stage, lane, text } = value;
  const personas = strings(value['personas']);
  const tags = strings(value['tags']);
  if (!isCount(row) || typeof stage !== 'string' || typeof lane !== 'string' || typeof text !== 'string' || !personas || !tags) return null;
  return { row, stage, lane, text, personas, tags };
}

export function decodeImportPreview(value: unknown): ImportPreview | null {
  if (!isRecord(value) || !isCount(value['count']) || !Array.isArray(value['preview'])) return null;
  const preview = value['preview'].map(decodePreviewCard);
  if (preview.some((card) => card === null)) return null;
  return { count: value['count'], preview: preview as PreviewCard[] };
}

export function decodeImportResult(value: unknown): ImportResult | null {
  if (!isRecord(value) || !isCount(value['added']) || !isRecord(value['before'])) return null;
  const { id, kind, createdAt } = value['before'];
  if (typeof id !== 'string' || id === '' || kind !== 'before-import' || typeof createdAt !== 'number') return null;
  return { added: value['added'], before: { id, kind, createdAt } };
}

/** What the columns step chose ('' for "none"), as the server takes it: an unchosen optional column is left out. */
export function chosenColumns(choice: Readonly<Record<ColumnRole, string>>): CardColumns | null {
  const { stage, lane, text, personas, tags } = choice;
  if (!stage || !lane || !text) return null;
  return { stage, lane, text, ...(personas ? { personas } : {}), ...(tags ? { tags } : {}) };
}

/** Why a file is refused before it is sent, or null when it may go. */
export function fileRefusal(file: { readonly size: number; readonly name: string }): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (file.size > MAX_CSV_BYTES) {
    const megabytes = (file.size / (1024 * 1024)).toFixed(1);
    return `“${file.name}” is ${megabytes} MB; an import takes files of up to ${MAX_CSV_BYTES / (1024 * 1024)} MB. Split it into smaller files and import each.`;
  }
  return null;
}

export function cardsWillBeAdded(count: number): string {
  return count === 1 ? '1 card will be added' : `${count} cards will be added`;
}

export function cardsAdded(count: number): string {
  return `${count === 1 ? '1 card' : `${count} cards`} added. To undo, restore the ‘Before an import’ version in History.`;
}

export interface CardImportClient {
  readonly mapId: string;
  readonly token: string;
  /** The person's display name, so the "Before an import" version says who made it. */
  readonly person?: () => string;
  readonly send?: Fetch;
}

const notUnderstood = NOT_UNDERSTOOD;

export class CardImportApi {
  readonly #client: CardImportClient;

  constructor(client: CardImportClient) {
    this.#client = client;
  }

  /** The file's columns, a sample of its rows and a guess at which column is which; nothing is added. */
  async columns(csv: string): Promise<ApiAnswer<CsvColumns>> {
    return this.#decoded({ csv }, decodeCsvColumns);
  }

  /** Every row read as a card of the map now, the first few shown; nothing is added. */
  async preview(csv: string, columns: CardColumns): Promise<ApiAnswer<ImportPreview>> {
    return this.#decoded({ csv, columns, dryRun: true }, decodeImportPreview);
  }

  /** Adds every card in one change, for everyone, after a "Before an import" version. */
  async add(csv: string, columns: CardColumns): Promise<ApiAnswer<ImportResult>> {
    return this.#decoded({ csv, columns }, decodeImportResult);
  }

  async #decoded<T>(body: unknown, decode: (value: unknown) => T | null): Promise<ApiAnswer<T>> {
    const path = `/api/maps/${encodeURIComponent(this.#client.mapId)}/cards/import`;
    const answer = await apiRequest(
      path,
      { token: this.#client.token, method: 'POST', body, person: this.#client.person?.() },
      this.#client.send,
    );
    if (!answer.ok) return answer;
    const value = decode(answer.value);
    return value === null ? notUnderstood : { ok: true, value };
  }
}
