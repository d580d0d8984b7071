import { crc32 } from 'node:zlib';
import {
  CorruptMapError,
  MapExistsError,
  UnknownMapError,
  type ActivityEntry,
  type DamagedPart,
  type DamageNote,
  type LinkRecord,
  type MapListing,
  type MapStore,
  type MapSummary,
  type NewLink,
  type NewRound,
  type NewSurveyImport,
  type NewVersion,
  type RoundEntry,
  type RoundRecord,
  type StoredMap,
  type SurveyImportRecord,
  type Verbatim,
  type VerbatimQuery,
  type VersionKind,
  type VersionRecord,
} from './map-store.js';
import {
  FOREIGN_KEY_VIOLATION,
  PostgresConnection,
  PostgresStoreError,
  UNIQUE_VIOLATION,
  codeOf,
  type PostgresConnectionOptions,
} from './postgres-connection.js';
import { PostgresRounds } from './postgres-rounds.js';
import { PostgresSurveyImports } from './postgres-survey-imports.js';
import { linkRecord, type LinkRow } from './stored-rows.js';

export { PostgresStoreError };
export type PostgresStoreOptions = PostgresConnectionOptions;

const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface PendingAppend {
  updates: readonly Uint8Array[];
  resolve(seq: number): void;
  reject(error: unknown): void;
}

/**
 * The store for several identical nodes: every node opens one on the same database. Appends to a
 * map take their sequence numbers under the map row's lock, so two nodes never lose or reorder
 * each other's updates; a compaction replaces the snapshot only when it folds in more of the log
 * than the stored one (a compare-and-set on its sequence), so of two nodes compacting at once the
 * one that holds more wins, and the other changes nothing.
 */
export class PostgresMapStore implements MapStore {
  readonly #db: PostgresConnection;
  readonly #rounds: PostgresRounds;
  readonly #surveyImports: PostgresSurveyImports;
  /** Per map, the appends waiting for the one being written; they go together in the next statement. */
  readonly #appendQueues = new Map<string, PendingAppend[]>();
  readonly #appending = new Set<Promise<void>>();
  #closed: Promise<void> | null = null;

  constructor(readonly options: PostgresStoreOptions) {
    this.#db = new PostgresConnection(options);
    this.#rounds = new PostgresRounds(this.#db);
    this.#surveyImports = new PostgresSurveyImports(this.#db);
  }

  /** Resolves once the schema is created or migrated; rejects, with why, when the database cannot be reached or is newer. */
  get ready(): Promise<void> {
    return this.#db.ready;
  }

  /** Whether PostgreSQL answers now (for /healthz); see PostgresConnection.probe. */
  answers(): Promise<boolean> {
    return this.#db.probe();
  }

  async createMap(id: string, initialState: Uint8Array, createdAt: number): Promise<void> {
    try {
      await this.#db.query(
        'creating a map',
        'INSERT INTO maps (id, created_at, snapshot, snapshot_seq, snapshot_crc, last_seq) VALUES ($1, $2, $3, 1, $4, 1)',
        [id, createdAt, toBuffer(initialState), crc32(initialState)],
      );
    } catch (error) {
      if (codeOf(error) === UNIQUE_VIOLATION) throw new MapExistsError(id);
      throw error;
    }
  }

  async hasMap(id: string): Promise<boolean> {
    return (await this.#db.query('looking up a map', 'SELECT 1 FROM maps WHERE id = $1', [id])).rowCount === 1;
  }

  /** Reads the map row and its log from one snapshot of the database, so a compaction is never seen half-way. */
  async load(id: string): Promise<StoredMap> {
    const stored = await this.#db.transaction(
      `loading map ${id}`,
      async (client) => {
        const { rows } = await client.query<{
          snapshot: Buffer | null;
          snapshot_seq: number;
          snapshot_crc: number | null;
          last_seq: number;
          damage: DamageNote | null;
        }>('SELECT snapshot, snapshot_seq, snapshot_crc, last_seq, damage FROM maps WHERE id = $1', [id]);
        const row = rows[0];
        if (!row) throw new UnknownMapError(id);
        const log = await client.query<{ seq: number; data: Buffer; crc: number; stored_at: number }>(
          'SELECT seq, data, crc, stored_at FROM updates WHERE map_id = $1 AND seq > $2 ORDER BY seq',
          [id, row.snapshot_seq],
        );
        return { row, log: log.rows };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
    const { row, log } = stored;
    const damaged: DamagedPart[] = [];
    let snapshot = row.snapshot;
    const snapshotIntact = snapshot !== null && row.snapshot_crc !== null;
    if (snapshotIntact && crc32(snapshot!) !== row.snapshot_crc) {
      damaged.push({ part: 'snapshot', seq: row.snapshot_seq, storedAt: null });
      snapshot = null;
    }
    const updates: Buffer[] = [];
    for (const update of log) {
      if (crc32(update.data) !== update.crc) damaged.push({ part: 'update', seq: update.seq, storedAt: update.stored_at });
      else updates.push(update.data);
    }
    return {
      snapshot,
      updates,
      lastSeq: row.last_seq,
      logBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
      snapshotIntact: snapshot !== null && snapshotIntact,
      damaged,
      damage: row.damage,
    };
  }

  /**
   * Appends to one map leave this node one statement at a time, in the order they were asked for;
   * those asked for while one is being written go together in the next. Each statement takes its
   * sequence numbers from the map row under the row's lock, so another node's appends fall before
   * or after it, never in between or on the same numbers.
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new PostgresStoreError(`appending to map ${id}`, new Error('the store is closed')));
      const waiting = this.#appendQueues.get(id);
      if (waiting) return void waiting.push({ updates, resolve, reject });
      const queue: PendingAppend[] = [{ updates, resolve, reject }];
      this.#appendQueues.set(id, queue);
      const writing = this.#writeAppends(id, queue).finally(() => this.#appending.delete(writing));
      this.#appending.add(writing);
    });
  }

  async #writeAppends(id: string, queue: PendingAppend[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      const updates = batch.flatMap((append) => append.updates);
      try {
        const last = await this.#insertUpdates(id, updates);
        let seq = last - updates.length;
        for (const append of batch) append.resolve((seq += append.updates.length));
      } catch (error) {
        for (const append of batch) append.reject(error);
      }
    }
    this.#appendQueues.delete(id);
  }

  /** One statement: the sequence numbers and the rows commit together, or neither does. */
  async #insertUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    if (updates.length === 0) {
      const { rows } = await this.#db.query<{ last_seq: number }>(`reading map ${id}`, 'SELECT last_seq FROM maps WHERE id = $1', [id]);
      if (!rows[0]) throw new UnknownMapError(id);
      return rows[0].last_seq;
    }
    const { rows } = await this.#db.query<{ last_seq: number | null }>(
      `appending to map ${id}`,
      `WITH head AS (UPDATE maps SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq),
       added AS (
         INSERT INTO updates (map_id, seq, data, crc, stored_at)
         SELECT $1, head.last_seq - $2 + u.ord, u.data, u.crc, $5
         FROM head, unnest($3::bytea[], $4::bigint[]) WITH ORDINALITY AS u (data, crc, ord)
         RETURNING 1
       )
       SELECT (SELECT last_seq FROM head) AS last_seq, (SELECT count(*) FROM added) AS added`,
      [id, updates.length, updates.map(toBuffer), updates.map((update) => crc32(update)), Date.now()],
    );
    const lastSeq = rows[0]?.last_seq;
    if (lastSeq === null || lastSeq === undefined) throw new UnknownMapError(id);
    return lastSeq;
  }

  /**
   * Replaces the snapshot and trims the log through `throughSeq`, as a compare-and-set on the
   * snapshot's sequence: only when it folds in more than the stored snapshot does. The caller's
   * document must hold every stored update through `throughSeq` (with other nodes appending, the
   * room knows how far that is: StoredThrough); then it also holds everything a snapshot another
   * node stored meanwhile folded in, and the rows after `throughSeq` stay. Resolves with whether it
   * replaced the snapshot; not doing so is safe to ignore (another node folded in as much or more).
   */
  async tryCompact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<boolean> {
    return this.#db.transaction(`compacting map ${id}`, async (client) => {
      const { rows } = await client.query<{ snapshot_seq: number; last_seq: number }>(
        'SELECT snapshot_seq, last_seq FROM maps WHERE id = $1 FOR UPDATE',
        [id],
      );
      const row = rows[0];
      if (!row) throw new UnknownMapError(id);
      if (throughSeq > row.last_seq)
        throw new PostgresStoreError(`compacting map ${id}`, new Error(`its log ends at ${row.last_seq}, before ${throughSeq}`));
      if (throughSeq <= row.snapshot_seq) return false;
      await client.query('UPDATE maps SET snapshot = $2, snapshot_seq = $3, snapshot_crc = $4 WHERE id = $1', [
        id,
        toBuffer(snapshot),
        throughSeq,
        crc32(snapshot),
      ]);
      await client.query('DELETE FROM updates WHERE map_id = $1 AND seq <= $2', [id, throughSeq]);
      return true;
    });
  }

  /** See tryCompact: a compaction that lost to another node's changes nothing, and is no error. */
  async compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    await this.tryCompact(id, snapshot, throughSeq);
  }

  async listMaps(): Promise<MapListing[]> {
    const { rows } = await this.#db.query<{
      id: string;
      created_at: number;
      deleted_at: number | null;
      summary: MapSummary | null;
      is_template: boolean;
    }>('listing maps', 'SELECT id, created_at, deleted_at, summary, is_template FROM maps');
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
      summary: row.summary,
      isTemplate: row.is_template,
    }));
  }

  async deletedAt(id: string): Promise<number | null> {
    const { rows } = await this.#db.query<{ deleted_at: number | null }>('reading a map', 'SELECT deleted_at FROM maps WHERE id = $1', [
      id,
    ]);
    if (!rows[0]) throw new UnknownMapError(id);
    return rows[0].deleted_at;
  }

  async setDeleted(id: string, at: number | null): Promise<void> {
    await this.#updateMap(id, 'moving a map to or from the trash', 'deleted_at = $2', [at]);
  }

  async setTemplate(id: string, isTemplate: boolean): Promise<void> {
    await this.#updateMap(id, 'marking a template', 'is_template = $2', [isTemplate]);
  }

  async updateSummary(id: string, summary: MapSummary): Promise<void> {
    await this.#updateMap(id, 'writing a summary', 'summary = $2', [JSON.stringify(summary)]);
  }

  async noteDamage(id: string, note: DamageNote | null): Promise<void> {
    await this.#updateMap(id, 'noting damage', 'damage = $2', [note && JSON.stringify(note)]);
  }

  async #updateMap(id: string, operation: string, assignment: string, values: unknown[]): Promise<void> {
    const result = await this.#db.query(operation, `UPDATE maps SET ${assignment} WHERE id = $1`, [id, ...values]);
    if (result.rowCount === 0) throw new UnknownMapError(id);
  }

  async purgeDeleted(before: number): Promise<string[]> {
    const ids = await this.#db.transaction('emptying the trash', async (client) => {
      const { rows } = await client.query<{ id: string }>(
        'SELECT id FROM maps WHERE deleted_at IS NOT NULL AND deleted_at < $1 ORDER BY id FOR UPDATE',
        [before],
      );
      const ids = rows.map((row) => row.id);
      if (ids.length === 0) return ids;
      // Everything else goes with its map (ON DELETE CASCADE); links name it without a foreign key.
      await client.query('DELETE FROM links WHERE map_id = ANY($1) OR id = ANY($2)', [ids, ids.map((id) => `o.${id}`)]);
      await client.query('DELETE FROM maps WHERE id = ANY($1)', [ids]);
      return ids;
    });
    return ids;
  }

  async keepDamagedCopy(id: string): Promise<void> {
    const now = Date.now();
    await this.#db.transaction(`keeping a copy of damaged map ${id}`, async (client) => {
      await client.query(
        "INSERT INTO damaged_parts (map_id, part, seq, data, kept_at) SELECT id, 'snapshot', snapshot_seq, snapshot, $2 FROM maps WHERE id = $1",
        [id, now],
      );
      await client.query(
        "INSERT INTO damaged_parts (map_id, part, seq, data, kept_at) SELECT map_id, 'update', seq, data, $2 FROM updates WHERE map_id = $1",
        [id, now],
      );
    });
  }

  async createVersion(version: NewVersion): Promise<void> {
    try {
      await this.#db.query(
        'storing a version',
        'INSERT INTO versions (map_id, id, kind, name, created_at, created_by, state, state_crc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          version.mapId,
          version.id,
          version.kind,
          version.name,
          version.createdAt,
          version.createdBy,
          toBuffer(version.state),
          crc32(version.state),
        ],
      );
    } catch (error) {
      if (codeOf(error) === FOREIGN_KEY_VIOLATION) throw new UnknownMapError(version.mapId);
      throw error;
    }
  }

  async listVersions(mapId: string): Promise<VersionRecord[]> {
    const { rows } = await this.#db.query<{
      id: string;
      kind: VersionKind;
      name: string | null;
      created_at: number;
      created_by: string | null;
      bytes: number;
    }>(
      'listing versions',
      'SELECT id, kind, name, created_at, created_by, octet_length(state) AS bytes FROM versions WHERE map_id = $1 ORDER BY created_at DESC, id DESC',
      [mapId],
    );
    return rows.map((row) => ({
      id: row.id,
      mapId,
      kind: row.kind,
      name: row.name,
      createdAt: row.created_at,
      createdBy: row.created_by,
      bytes: row.bytes,
    }));
  }

  async loadVersion(mapId: string, versionId: string): Promise<Uint8Array | null> {
    const { rows } = await this.#db.query<{ state: Buffer; state_crc: number }>(
      'reading a version',
      'SELECT state, state_crc FROM versions WHERE map_id = $1 AND id = $2',
      [mapId, versionId],
    );
    const row = rows[0];
    if (!row) return null;
    if (crc32(row.state) !== row.state_crc) throw new CorruptMapError(mapId, `version ${versionId} does not match its checksum`);
    return new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength);
  }

  async deleteVersions(mapId: string, versionIds: readonly string[]): Promise<void> {
    await this.#db.query('deleting versions', 'DELETE FROM versions WHERE map_id = $1 AND id = ANY($2)', [mapId, [...versionIds]]);
  }

  async appendActivity(entry: ActivityEntry): Promise<void> {
    const records = JSON.stringify({ created: entry.created, changed: entry.changed, deleted: entry.deleted });
    await this.#db.query(
      'recording activity',
      'INSERT INTO activity (map_id, started_at, ended_at, person, link, role, records) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [entry.mapId, entry.startedAt, entry.endedAt, entry.person, entry.link, entry.role, records],
    );
  }

  async listActivity(mapId: string, limit: number): Promise<ActivityEntry[]> {
    const { rows } = await this.#db.query<{
      started_at: number;
      ended_at: number;
      person: string | null;
      link: string | null;
      role: string;
      records: Pick<ActivityEntry, 'created' | 'changed' | 'deleted'>;
    }>(
      'reading activity',
      'SELECT started_at, ended_at, person, link, role, records FROM activity WHERE map_id = $1 ORDER BY ended_at DESC, pos DESC LIMIT $2',
      [mapId, limit],
    );
    return rows.map((row) => ({
      mapId,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      person: row.person,
      link: row.link,
      role: row.role,
      ...row.records,
    }));
  }

  async createLink(link: NewLink): Promise<void> {
    await this.#db.query(
      'creating a link',
      'INSERT INTO links (id, map_id, role, label, personal, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [link.id, link.mapId, link.role, link.label, link.personal ?? false, link.createdAt, link.expiresAt],
    );
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const { rows } = await this.#db.query<LinkRow>('reading a link', 'SELECT * FROM links WHERE id = $1', [id]);
    return rows[0] ? linkRecord(rows[0]) : null;
  }

  async listLinks(mapId: string | null): Promise<LinkRecord[]> {
    const { rows } = await this.#db.query<LinkRow>(
      'listing links',
      'SELECT * FROM links WHERE map_id IS NOT DISTINCT FROM $1::text ORDER BY created_at, id',
      [mapId],
    );
    return rows.map(linkRecord);
  }

  async revokeLink(id: string, at: number): Promise<boolean> {
    const result = await this.#db.query('revoking a link', 'UPDATE links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
      id,
      at,
    ]);
    return result.rowCount === 1;
  }

  async touchLink(id: string, at: number): Promise<void> {
    await this.#db.query('noting a link used', 'UPDATE links SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  createRound(round: NewRound): Promise<void> {
    return this.#rounds.create(round);
  }

  getRound(id: string): Promise<RoundRecord | null> {
    return this.#rounds.get(id);
  }

  listRounds(mapId: string): Promise<RoundRecord[]> {
    return this.#rounds.list(mapId);
  }

  putRoundEntry(entry: RoundEntry): Promise<boolean> {
    return this.#rounds.putEntry(entry);
  }

  deleteRoundEntry(roundId: string, voter: string, entryId: string): Promise<boolean> {
    return this.#rounds.deleteEntry(roundId, voter, entryId);
  }

  listRoundEntries(roundId: string, voter?: string): Promise<RoundEntry[]> {
    return this.#rounds.listEntries(roundId, voter);
  }

  closeRound(id: string, outcome: 'revealed' | 'cancelled', at: number): Promise<boolean> {
    return this.#rounds.close(id, outcome, at);
  }

  beginSurveyImport(entry: NewSurveyImport): Promise<void> {
    return this.#surveyImports.begin(entry);
  }

  addVerbatims(verbatims: readonly Verbatim[]): Promise<void> {
    return this.#surveyImports.addVerbatims(verbatims);
  }

  finishSurveyImport(importId: string, counts: Pick<SurveyImportRecord, 'rows' | 'verbatims' | 'metrics'>): Promise<boolean> {
    return this.#surveyImports.finish(importId, counts);
  }

  deleteSurveyImport(mapId: string, importId: string): Promise<boolean> {
    return this.#surveyImports.delete(mapId, importId);
  }

  listSurveyImports(mapId: string): Promise<SurveyImportRecord[]> {
    return this.#surveyImports.list(mapId);
  }

  searchVerbatims(mapId: string, query: VerbatimQuery): Promise<Verbatim[]> {
    return this.#surveyImports.search(mapId, query);
  }

  purgePendingSurveyImports(): Promise<number> {
    return this.#surveyImports.purgePending();
  }

  /** Lets the appends already asked for finish, then closes every connection. */
  close(): Promise<void> {
    return (this.#closed ??= (async () => {
      while (this.#appending.size > 0) await Promise.allSettled([...this.#appending]);
      await this.#db.end();
    })());
  }
}
