import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';

/**
 * Who changed what, as the server records it: `GET /api/maps/:id/activity` (each person's burst
 * of edits, newest first) and `GET /api/maps/:id/edits` (each record's last editor). Any link to
 * the map may read both. Answers are decoded here; an entry that is not well formed is left out.
 */

/** Who made an edit: the name they went by (null when they never gave one), their link's label and role. */
export interface Editor {
  readonly person: string | null;
  readonly link: string | null;
  readonly role: string;
}

/** One person's burst of edits; the records are groups such as `cards/<id>` or `meta/title`. */
export interface ActivityEntry extends Editor {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly created: readonly string[];
  readonly changed: readonly string[];
  readonly deleted: readonly string[];
}

/** A record's last edit. */
export interface LastEdit extends Editor {
  readonly at: number;
}

export type ActivityAnswer<T> = ApiAnswer<T>;

export interface ActivityClient {
  readonly mapId: string;
  readonly token: string;
  readonly send?: Fetch;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optionalText = (value: unknown): string | null | undefined =>
  value === null ? null : typeof value === 'string' ? value || null : undefined;
const groups = (value: unknown): string[] | null =>
  Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string' && group !== '') : null;

function decodeEditor(value: Record<string, unknown>): Editor | null {
  const person = optionalText(value['person']);
  const link = optionalText(value['link']);
  const role = value['role'];
  if (person === undefined || link === undefined || typeof role !== 'string') return null;
  return { person: person?.trim() || null, link: link?.trim() || null, role };
}

export function decodeActivityEntry(value: unknown): ActivityEntry | null {
  if (!isRecord(value)) return null;
  const editor = decodeEditor(value);
  const { startedAt, endedAt } = value;
  const created = groups(value['created']);
  const changed = groups(value['changed']);
  const deleted = groups(value['deleted']);
  if (!editor || !isTime(startedAt) || !isTime(endedAt) || !created || !changed || !deleted) return null;
  return { ...editor, startedAt, endedAt, created, changed, deleted };
}

/** Group → last edit; a Map, since groups hold ids a peer chose (one could be "__proto__"). */
export function decodeLastEdits(value: unknown): Map<string, LastEdit> | null {
  if (!isRecord(value)) return null;
  const edits = new Map<string, LastEdit>();
  for (const [group, edit] of Object.entries(value)) {
    if (!isRecord(edit) || !isTime(edit['at'])) continue;
    const editor = decodeEditor(edit);
    if (editor) edits.set(group, { ...editor, at: edit['at'] });
  }
  return edits;
}

const notUnderstood = NOT_UNDERSTOOD;

export class ActivityApi {
  readonly #client: ActivityClient;

  constructor(client: ActivityClient) {
    this.#client = client;
  }

  /** The latest `limit` entries, newest first. */
  async list(limit = 50): Promise<ActivityAnswer<ActivityEntry[]>> {
    const answer = await this.#get(`activity?limit=${limit}`);
    if (!answer.ok) return answer;
    if (!Array.isArray(answer.value)) return notUnderstood;
    const entries = answer.value.map(decodeActivityEntry).filter((entry): entry is ActivityEntry => entry !== null);
    return { ok: true, value: entries.sort((a, b) => b.endedAt - a.endedAt) };
  }

  async lastEdits(): Promise<ActivityAnswer<Map<string, LastEdit>>> {
    const answer = await this.#get('edits');
    if (!answer.ok) return answer;
    const edits = decodeLastEdits(answer.value);
    return edits ? { ok: true, value: edits } : notUnderstood;
  }

  #get(path: string): Promise<ActivityAnswer<unknown>> {
    return apiRequest(`/api/maps/${encodeURIComponent(this.#client.mapId)}/${path}`, { token: this.#client.token }, this.#client.send);
  }
}
