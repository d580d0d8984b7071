import {
  MapExistsError,
  UnknownMapError,
  type LinkRecord,
  type MapListing,
  type MapStore,
  type MapSummary,
  type NewLink,
  type ActivityEntry,
  type DamageNote,
  type NewRound,
  type NewVersion,
  type RoundEntry,
  type RoundRecord,
  type StoredMap,
  type VersionRecord,
  type NewSurveyImport,
  type SurveyImportRecord,
  type Verbatim,
  type VerbatimQuery,
} from './map-store.js';

interface MemoryMap {
  snapshot: Uint8Array | null;
  snapshotSeq: number;
  log: { seq: number; update: Uint8Array }[];
  createdAt: number;
  summary: MapSummary | null;
  deletedAt: number | null;
  isTemplate: boolean;
  damage: DamageNote | null;
  versions: Map<string, { record: VersionRecord; state: Uint8Array }>;
}

/** Keeps maps in process memory: for tests and for trying Waymark without a disk. */
export class MemoryMapStore implements MapStore {
  readonly #maps = new Map<string, MemoryMap>();
  readonly #links = new Map<string, LinkRecord>();
  readonly #activity = new Map<string, ActivityEntry[]>();
  readonly #rounds = new Map<string, RoundRecord>();
  /** By round id, then by `voter` and entry id, in the order first stored. */
  readonly #roundEntries = new Map<string, Map<string, RoundEntry>>();
  readonly #surveyImports = new Map<string, SurveyImportRecord>();
  /** By import id, in row order. */
  readonly #verbatims = new Map<string, Verbatim[]>();

  async createMap(id: string, initialState: Uint8Array, createdAt: number): Promise<void> {
    if (this.#maps.has(id)) throw new MapExistsError(id);
    this.#maps.set(id, {
      snapshot: initialState.slice(),
      snapshotSeq: 1,
      log: [],
      createdAt,
      summary: null,
      deletedAt: null,
      isTemplate: false,
      damage: null,
      versions: new Map(),
    });
  }

  async hasMap(id: string): Promise<boolean> {
    return this.#maps.has(id);
  }

  async load(id: string): Promise<StoredMap> {
    const map = this.#get(id);
    const updates = map.log.map((entry) => entry.update.slice());
    return {
      snapshot: map.snapshot?.slice() ?? null,
      updates,
      lastSeq: map.log.at(-1)?.seq ?? map.snapshotSeq,
      logBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
      // Kept as copies in this process: nothing can change them behind the store's back.
      snapshotIntact: true,
      damaged: [],
      damage: map.damage && { ...map.damage },
    };
  }

  async appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    const map = this.#get(id);
    let seq = map.log.at(-1)?.seq ?? map.snapshotSeq;
    for (const update of updates) map.log.push({ seq: ++seq, update: update.slice() });
    return seq;
  }

  async compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    const map = this.#get(id);
    map.snapshot = snapshot.slice();
    map.snapshotSeq = Math.max(map.snapshotSeq, throughSeq);
    map.log = map.log.filter((entry) => entry.seq > throughSeq);
  }

  async listMaps(): Promise<MapListing[]> {
    return [...this.#maps].map(([id, map]) => ({
      id,
      createdAt: map.createdAt,
      deletedAt: map.deletedAt,
      summary: map.summary && { ...map.summary },
      isTemplate: map.isTemplate,
    }));
  }

  async deletedAt(id: string): Promise<number | null> {
    return this.#get(id).deletedAt;
  }

  async setDeleted(id: string, at: number | null): Promise<void> {
    this.#get(id).deletedAt = at;
  }

  async keepDamagedCopy(): Promise<void> {
    // Parts kept in this process as copies are never damaged: there is nothing to keep aside.
  }

  async noteDamage(id: string, note: DamageNote | null): Promise<void> {
    this.#get(id).damage = note && { ...note };
  }

  async setTemplate(id: string, isTemplate: boolean): Promise<void> {
    this.#get(id).isTemplate = isTemplate;
  }

  async purgeDeleted(before: number): Promise<string[]> {
    const purged = [...this.#maps].filter(([, map]) => map.deletedAt !== null && map.deletedAt < before).map(([id]) => id);
    for (const id of purged) this.#maps.delete(id);
    for (const [roundId, round] of this.#rounds) {
      if (purged.includes(round.mapId)) {
        this.#rounds.delete(roundId);
        this.#roundEntries.delete(roundId);
      }
    }
    for (const [linkId, link] of this.#links) if (link.mapId !== null && purged.includes(link.mapId)) this.#links.delete(linkId);
    for (const entry of [...this.#surveyImports.values()]) if (purged.includes(entry.mapId)) this.#dropSurveyImport(entry.id);
    return purged;
  }

  async updateSummary(id: string, summary: MapSummary): Promise<void> {
    this.#get(id).summary = { ...summary };
  }

  async createVersion(version: NewVersion): Promise<void> {
    const { state, ...record } = version;
    this.#get(version.mapId).versions.set(version.id, { record: { ...record, bytes: state.byteLength }, state: state.slice() });
  }

  async listVersions(mapId: string): Promise<VersionRecord[]> {
    const versions = [...(this.#maps.get(mapId)?.versions.values() ?? [])].map(({ record }) => ({ ...record }));
    return versions.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async loadVersion(mapId: string, versionId: string): Promise<Uint8Array | null> {
    return this.#maps.get(mapId)?.versions.get(versionId)?.state.slice() ?? null;
  }

  async deleteVersions(mapId: string, versionIds: readonly string[]): Promise<void> {
    const versions = this.#maps.get(mapId)?.versions;
    for (const id of versionIds) versions?.delete(id);
  }

  async appendActivity(entry: ActivityEntry): Promise<void> {
    const list = this.#activity.get(entry.mapId) ?? [];
    list.push(structuredClone(entry));
    this.#activity.set(entry.mapId, list);
  }

  async listActivity(mapId: string, limit: number): Promise<ActivityEntry[]> {
    const list = this.#activity.get(mapId) ?? [];
    return list
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => b.entry.endedAt - a.entry.endedAt || b.index - a.index)
      .slice(0, limit)
      .map(({ entry }) => structuredClone(entry));
  }

  async createLink(link: NewLink): Promise<void> {
    if (this.#links.has(link.id)) throw new Error(`link ${link.id} already exists`);
    this.#links.set(link.id, { ...link, personal: link.personal ?? false, revokedAt: null, lastUsedAt: null });
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const link = this.#links.get(id);
    return link ? { ...link } : null;
  }

  async listLinks(mapId: string | null): Promise<LinkRecord[]> {
    return [...this.#links.values()]
      .filter((link) => link.mapId === mapId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map((link) => ({ ...link }));
  }

  async revokeLink(id: string, at: number): Promise<boolean> {
    const link = this.#links.get(id);
    if (!link || link.revokedAt !== null) return false;
    link.revokedAt = at;
    return true;
  }

  async touchLink(id: string, at: number): Promise<void> {
    const link = this.#links.get(id);
    if (link) link.lastUsedAt = at;
  }

  async createRound(round: NewRound): Promise<void> {
    if (this.#rounds.has(round.id)) throw new Error(`round ${round.id} already exists`);
    this.#get(round.mapId);
    this.#rounds.set(round.id, { ...round, closedAt: null, outcome: null });
  }

  async getRound(id: string): Promise<RoundRecord | null> {
    const round = this.#rounds.get(id);
    return round ? { ...round } : null;
  }

  async listRounds(mapId: string): Promise<RoundRecord[]> {
    return [...this.#rounds.values()].filter((round) => round.mapId === mapId).map((round) => ({ ...round }));
  }

  async putRoundEntry(entry: RoundEntry): Promise<boolean> {
    if (this.#rounds.get(entry.roundId)?.closedAt !== null) return false;
    const entries = this.#roundEntries.get(entry.roundId) ?? new Map<string, RoundEntry>();
    this.#roundEntries.set(entry.roundId, entries);
    entries.set(JSON.stringify([entry.voter, entry.entryId]), { ...entry });
    return true;
  }

  async deleteRoundEntry(roundId: string, voter: string, entryId: string): Promise<boolean> {
    if (this.#rounds.get(roundId)?.closedAt !== null) return false;
    return this.#roundEntries.get(roundId)?.delete(JSON.stringify([voter, entryId])) ?? false;
  }

  async listRoundEntries(roundId: string, voter?: string): Promise<RoundEntry[]> {
    return [...(this.#roundEntries.get(roundId)?.values() ?? [])]
      .filter((entry) => voter === undefined || entry.voter === voter)
      .map((entry) => ({ ...entry }));
  }

  async closeRound(id: string, outcome: 'revealed' | 'cancelled', at: number): Promise<boolean> {
    const round = this.#rounds.get(id);
    if (!round || round.closedAt !== null) return false;
    round.closedAt = at;
    round.outcome = outcome;
    if (outcome === 'cancelled') this.#roundEntries.delete(id);
    return true;
  }

  async beginSurveyImport(entry: NewSurveyImport): Promise<void> {
    this.#get(entry.mapId);
    if (this.#surveyImports.has(entry.id)) throw new Error(`import ${entry.id} already exists`);
    this.#surveyImports.set(entry.id, { ...entry, state: 'pending', rows: 0, verbatims: 0, metrics: 0 });
    this.#verbatims.set(entry.id, []);
  }

  async addVerbatims(verbatims: readonly Verbatim[]): Promise<void> {
    const unknown = verbatims.find((verbatim) => this.#surveyImports.get(verbatim.importId)?.state !== 'pending');
    if (unknown) throw new Error(`import ${unknown.importId} is not pending`);
    for (const verbatim of verbatims) this.#verbatims.get(verbatim.importId)!.push({ ...verbatim });
  }

  async finishSurveyImport(importId: string, counts: Pick<SurveyImportRecord, 'rows' | 'verbatims' | 'metrics'>): Promise<boolean> {
    const entry = this.#surveyImports.get(importId);
    if (entry?.state !== 'pending') return false;
    Object.assign(entry, { state: 'done', rows: counts.rows, verbatims: counts.verbatims, metrics: counts.metrics });
    return true;
  }

  async deleteSurveyImport(mapId: string, importId: string): Promise<boolean> {
    if (this.#surveyImports.get(importId)?.mapId !== mapId) return false;
    this.#dropSurveyImport(importId);
    return true;
  }

  async listSurveyImports(mapId: string): Promise<SurveyImportRecord[]> {
    return [...this.#surveyImports.values()]
      .filter((entry) => entry.mapId === mapId && entry.state === 'done')
      .sort((a, b) => b.importedAt - a.importedAt)
      .map((entry) => ({ ...entry }));
  }

  async searchVerbatims(mapId: string, query: VerbatimQuery): Promise<Verbatim[]> {
    const words = query.text?.toLowerCase();
    const found: Verbatim[] = [];
    for (const entry of await this.listSurveyImports(mapId)) {
      for (const verbatim of this.#verbatims.get(entry.id) ?? []) {
        if (found.length >= query.limit) return found;
        if (query.stageId !== undefined && verbatim.stageId !== query.stageId) continue;
        if (words && !verbatim.text.toLowerCase().includes(words)) continue;
        found.push({ ...verbatim });
      }
    }
    return found;
  }

  async purgePendingSurveyImports(): Promise<number> {
    const pending = [...this.#surveyImports.values()].filter((entry) => entry.state === 'pending');
    for (const entry of pending) this.#dropSurveyImport(entry.id);
    return pending.length;
  }

  async close(): Promise<void> {}

  #dropSurveyImport(importId: string): void {
    this.#surveyImports.delete(importId);
    this.#verbatims.delete(importId);
  }

  #get(id: string): MemoryMap {
    const map = this.#maps.get(id);
    if (!map) throw new UnknownMapError(id);
    return map;
  }
}
