import { EXPORT_FORMAT, type ExportedRecord, type MapExport } from '@waymark/model';
import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer } from './api-request';
import { decodeShareLinks, type ShareLinks } from './share-links';

/**
 * A map's versions as the server keeps them: listed, named, read, restored, forked and deleted.
 * Every answer is decoded here; a refusal carries the server's words.
 */

export type VersionKind = 'auto' | 'named' | 'before-restore' | 'before-import';
const KINDS: readonly VersionKind[] = ['auto', 'named', 'before-restore', 'before-import'];

export interface MapVersion {
  readonly id: string;
  readonly kind: VersionKind;
  readonly name: string | null;
  readonly createdAt: number;
  readonly createdBy: string | null;
  readonly bytes: number;
}

export interface VersionWithMap extends MapVersion {
  readonly map: MapExport;
}

export interface ForkedMap {
  readonly id: string;
  readonly links: ShareLinks & { readonly owner: string };
}

export type { ApiAnswer } from './api-request';

type Fetch = typeof fetch;

export interface VersionsClient {
  readonly mapId: string;
  readonly token: string;
  /** The person's display name, so the versions they make say who made them. */
  readonly person?: () => string;
  /** The workspace link this browser holds: a server where only workspace links make maps needs it for a fork. */
  readonly workspace?: () => string | null;
  readonly send?: Fetch;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function decodeVersion(value: unknown): MapVersion | null {
  if (!isRecord(value)) return null;
  const { id, kind, name, createdAt, createdBy, bytes } = value;
  if (typeof id !== 'string' || id === '' || !KINDS.includes(kind as VersionKind) || typeof createdAt !== 'number') return null;
  return {
    id,
    kind: kind as VersionKind,
    name: typeof name === 'string' && name !== '' ? name : null,
    createdAt,
    createdBy: typeof createdBy === 'string' && createdBy !== '' ? createdBy : null,
    bytes: typeof bytes === 'number' ? bytes : 0,
  };
}

/** A collection of records: an object of objects, anything else left out. */
function decodeRecords(value: unknown): Record<string, ExportedRecord> | null {
  if (!isRecord(value)) return null;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, ExportedRecord] => isRecord(entry[1])));
}

/**
 * A map export as a version's content. Only its shape is checked: the preview reads every field
 * with a type check of its own, so a field it does not know is never trusted.
 */
export function decodeMapExport(value: unknown): MapExport | null {
  if (!isRecord(value) || value['format'] !== EXPORT_FORMAT || !isRecord(value['meta'])) return null;
  const stages = decodeRecords(value['stages']);
  const lanes = decodeRecords(value['lanes']);
  const personas = decodeRecords(value['personas']);
  const cards = decodeRecords(value['cards']);
  if (!stages || !lanes || !personas || !cards) return null;
  const emotions = isRecord(value['emotions'])
    ? Object.fromEntries(Object.entries(value['emotions']).filter((entry): entry is [string, number] => typeof entry[1] === 'number'))
    : {};
  return { format: EXPORT_FORMAT, formatVersion: 1, meta: value['meta'], stages, lanes, personas, cards, emotions };
}

const notUnderstood = NOT_UNDERSTOOD;

export class VersionsApi {
  readonly #client: VersionsClient;

  constructor(client: VersionsClient) {
    this.#client = client;
  }

  get #base(): string {
    return `/api/maps/${encodeURIComponent(this.#client.mapId)}`;
  }

  #version(id: string): string {
    return `${this.#base}/versions/${encodeURIComponent(id)}`;
  }

  /** Newest first. */
  async list(): Promise<ApiAnswer<MapVersion[]>> {
    const answer = await this.#request(`${this.#base}/versions`, { method: 'GET' });
    if (!answer.ok) return answer;
    if (!Array.isArray(answer.value)) return notUnderstood;
    const versions = answer.value.map(decodeVersion).filter((version): version is MapVersion => version !== null);
    return { ok: true, value: versions.sort((a, b) => b.createdAt - a.createdAt) };
  }

  async name(name: string): Promise<ApiAnswer<MapVersion>> {
    const answer = await this.#request(`${this.#base}/versions`, { method: 'POST', body: { name } });
    if (!answer.ok) return answer;
    const version = decodeVersion(answer.value);
    return version ? { ok: true, value: version } : notUnderstood;
  }

  async read(id: string): Promise<ApiAnswer<VersionWithMap>> {
    const answer = await this.#request(this.#version(id), { method: 'GET' });
    if (!answer.ok) return answer;
    const version = decodeVersion(answer.value);
    const map = isRecord(answer.value) ? decodeMapExport(answer.value['map']) : null;
    return version && map ? { ok: true, value: { ...version, map } } : notUnderstood;
  }

  /** Makes the live map equal to the version, for everyone; `before` is the version taken first, which undoes it. */
  async restore(id: string): Promise<ApiAnswer<{ restored: MapVersion; before: MapVersion }>> {
    const answer = await this.#request(`${this.#version(id)}/restore`, { method: 'POST', body: {} });
    if (!answer.ok) return answer;
    const restored = isRecord(answer.value) ? decodeVersion(answer.value['restored']) : null;
    const before = isRecord(answer.value) ? decodeVersion(answer.value['before']) : null;
    return restored && before ? { ok: true, value: { restored, before } } : notUnderstood;
  }

  async fork(id: string, title: string): Promise<ApiAnswer<ForkedMap>> {
    const workspace = this.#client.workspace?.() ?? null;
    const answer = await this.#request(`${this.#version(id)}/fork`, {
      method: 'POST',
      body: title.trim() ? { title: title.trim() } : {},
      headers: workspace ? { 'x-waymark-workspace': workspace } : {},
    });
    if (!answer.ok) return answer;
    const created = decodeCreatedMap(answer.value);
    return created ? { ok: true, value: created } : notUnderstood;
  }

  async remove(id: string): Promise<ApiAnswer<null>> {
    const answer = await this.#request(this.#version(id), { method: 'DELETE' });
    return answer.ok ? { ok: true, value: null } : answer;
  }

  #request(path: string, init: { method: string; body?: unknown; headers?: Record<string, string> }): Promise<ApiAnswer<unknown>> {
    return apiRequest(path, { token: this.#client.token, person: this.#client.person?.(), ...init }, this.#client.send);
  }
}

/** `{ id, links }` as POST /api/maps, a fork or an import answers it; null when it is not that. */
export function decodeCreatedMap(value: unknown): ForkedMap | null {
  if (!isRecord(value)) return null;
  const links = decodeShareLinks(value['links']);
  if (typeof value['id'] !== 'string' || links?.owner === undefined) return null;
  return { id: value['id'], links: { ...links, owner: links.owner } };
}

export { headerSafe } from './api-request';
