import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { likeEscaped, linkRecord, roundRecord, type LinkRow, type RoundRow } from './stored-rows.js';
import {
  CorruptMapError,
  MapExistsError,
  UnknownMapError,
  type LinkRecord,
  type MapListing,
  type MapStore,
  type MapSummary,
  type NewLink,
  type ActivityEntry,
  type DamagedPart,
  type DamageNote,
  type NewRound,
  type NewVersion,
  type RoundEntry,
  type RoundRecord,
  type StoredMap,
  type VersionKind,
  type VersionRecord,
  type NewSurveyImport,
  type SurveyImportRecord,
  type Verbatim,
  type VerbatimQuery,
} from './map-store.js';

export type SqliteSync = 'normal' | 'full';

/** What the start-up check found: in words, and which map lost how many parts when it is one map's. */
export interface IntegrityProblem {
  message: string;
  mapId?: string;
  lostParts?: number;
}

/** How soon after a commit the acknowledged sequence numbers are written beside the database. */
const ACKNOWLEDGED_WRITE_MS = 2_000;

export interface SqliteStoreOptions {
  /** Path of the database file; its folder is created if missing. */
  file: string;
  /**
   * 'normal' (the default) keeps every committed update across a crash of the process; 'full'
   * also across a power loss, at the cost of an fsync per commit (SQLite's WAL documentation).
   */
  sync?: SqliteSync;
  /** How long a write waits for a lock held by another connection before it fails. */
  busyTimeoutMs?: number;
  /**
   * Called at each step of a compaction. The crash tests kill the process from here
   * (WAYMARK_CRASH_AT) to show that a compaction interrupted anywhere leaves a loadable map.
   */
  onCompactStep?: (step: CompactStep) => void;
}

export const COMPACT_STEPS = ['begin', 'snapshot-written', 'log-trimmed', 'committed'] as const;
export type CompactStep = (typeof COMPACT_STEPS)[number];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS maps (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  snapshot BLOB,
  snapshot_seq INTEGER NOT NULL,
  snapshot_crc INTEGER
);
CREATE TABLE IF NOT EXISTS updates (
  map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (map_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (
  id TEXT PRIMARY KEY,
  map_id TEXT,
  role TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS links_by_map ON links (map_id, created_at);
CREATE TABLE IF NOT EXISTS versions (
  map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  state BLOB NOT NULL,
  state_crc INTEGER NOT NULL,
  PRIMARY KEY (map_id, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS versions_by_time ON versions (map_id, created_at);
CREATE TABLE IF NOT EXISTS activity (
  map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  person TEXT,
  link TEXT,
  role TEXT NOT NULL,
  records TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activity_by_time ON activity (map_id, ended_at);
CREATE TABLE IF NOT EXISTS rounds (
  id TEXT PRIMARY KEY,
  map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  settings TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,
  outcome TEXT
);
CREATE INDEX IF NOT EXISTS rounds_by_map ON rounds (map_id, opened_at);
CREATE TABLE IF NOT EXISTS round_entries (
  round_id TEXT NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
  voter TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  voter_name TEXT NOT NULL,
  body TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (round_id, voter, entry_id)
);
CREATE TABLE IF NOT EXISTS survey_imports (
  id TEXT PRIMARY KEY,
  map_id TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  imported_by TEXT,
  state TEXT NOT NULL,
  rows INTEGER NOT NULL DEFAULT 0,
  verbatims INTEGER NOT NULL DEFAULT 0,
  metrics INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS survey_imports_by_map ON survey_imports (map_id, imported_at);
CREATE TABLE IF NOT EXISTS verbatims (
  import_id TEXT NOT NULL REFERENCES survey_imports(id) ON DELETE CASCADE,
  row INTEGER NOT NULL,
  stage_id TEXT NOT NULL,
  persona_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  score REAL,
  date TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (import_id, row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS verbatims_by_stage ON verbatims (stage_id, import_id);
CREATE TABLE IF NOT EXISTS damaged_parts (
  map_id TEXT NOT NULL,
  part TEXT NOT NULL,
  seq INTEGER NOT NULL,
  data BLOB,
  kept_at INTEGER NOT NULL
);
`;

interface VersionRow {
  id: string;
  map_id: string;
  kind: VersionKind;
  name: string | null;
  created_at: number;
  created_by: string | null;
  bytes: number;
}

interface RoundEntryRow {
  round_id: string;
  voter: string;
  entry_id: string;
  voter_name: string;
  body: string;
  at: number;
}

interface SurveyImportRow {
  id: string;
  map_id: string;
  file_name: string;
  imported_at: number;
  imported_by: string | null;
  state: 'pending' | 'done';
  rows: number;
  verbatims: number;
  metrics: number;
}

const surveyImportRecord = (row: SurveyImportRow): SurveyImportRecord => ({
  id: row.id,
  mapId: row.map_id,
  fileName: row.file_name,
  importedAt: row.imported_at,
  importedBy: row.imported_by,
  state: row.state,
  rows: row.rows,
  verbatims: row.verbatims,
  metrics: row.metrics,
});

interface VerbatimRow {
  import_id: string;
  row: number;
  stage_id: string;
  persona_id: string;
  channel: string;
  score: number | null;
  date: string;
  text: string;
}

const toBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** An append waiting for the turn's shared transaction. */
interface PendingAppend {
  id: string;
  updates: readonly Uint8Array[];
  resolve(seq: number): void;
  reject(error: unknown): void;
}

interface MapRow {
  snapshot: Buffer | null;
  snapshot_seq: number;
  /** CRC-32 of `snapshot` as written; null in files written before the column existed. */
  snapshot_crc: number | null;
  /** A DamageNote as JSON, or null. */
  damage: string | null;
}

interface UpdateRow {
  seq: number;
  data: Buffer;
  /** CRC-32 of `data` as written, and when; null in rows written before the columns existed. */
  crc: number | null;
  stored_at: number | null;
}

/** The embedded store: one SQLite file in WAL mode, written through better-sqlite3. */
export class SqliteMapStore implements MapStore {
  readonly #db: Database.Database;
  readonly #insertMap: Database.Statement<[string, number, Buffer, number, number]>;
  readonly #mapRow: Database.Statement<[string], MapRow>;
  readonly #lastSeq: Database.Statement<[string], { seq: number | null }>;
  /** Last committed sequence number per map, so an append needs no `max(seq)` query. This
   * process is the file's only writer. */
  readonly #committedSeqs = new Map<string, number>();
  readonly #insertUpdate: Database.Statement<[string, number, Buffer, number, number]>;
  readonly #readLog: Database.Statement<[string, number], UpdateRow>;
  readonly #setSnapshot: Database.Statement<[Buffer, number, number, string]>;
  readonly #trimLog: Database.Statement<[string, number]>;
  /**
   * The last sequence number acknowledged per map, kept beside the database (`<file>.acknowledged`)
   * a couple of seconds after it changes: at start, a map whose log ends before it lost writes
   * SQLite had confirmed (a write-ahead log cut short), and that is said.
   */
  readonly #acknowledgedFile: string;
  #acknowledgedDirty = false;
  #acknowledgedTimer: NodeJS.Timeout | null = null;
  /** Appends made during this turn of the event loop; they commit together on the next one. */
  #pending: PendingAppend[] = [];
  /** When the appends waiting now first found the database locked, or null. */
  #busySince: number | null = null;
  #busyRetries = 0;
  readonly #appendAll: (pending: readonly PendingAppend[]) => (number | UnknownMapError)[];
  readonly #compact: (id: string, snapshot: Uint8Array, throughSeq: number) => void;

  constructor(readonly options: SqliteStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    this.#acknowledgedFile = `${options.file}.acknowledged`;
    this.#db = new Database(options.file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    // Never wait for a lock inside SQLite: that wait is synchronous and would stall every room.
    // A write that finds the database locked is tried again later (see #write), asynchronously.
    this.#db.pragma('busy_timeout = 0');
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(SCHEMA);
    addSnapshotChecksumColumn(this.#db);
    addSummaryColumn(this.#db);
    addUpdateChecksumColumns(this.#db);
    addPersonalLinkColumn(this.#db);

    this.#insertMap = this.#db.prepare('INSERT INTO maps (id, created_at, snapshot, snapshot_seq, snapshot_crc) VALUES (?, ?, ?, ?, ?)');
    this.#mapRow = this.#db.prepare('SELECT snapshot, snapshot_seq, snapshot_crc, damage FROM maps WHERE id = ?');
    this.#lastSeq = this.#db.prepare('SELECT max(seq) AS seq FROM updates WHERE map_id = ?');
    this.#insertUpdate = this.#db.prepare('INSERT INTO updates (map_id, seq, data, crc, stored_at) VALUES (?, ?, ?, ?, ?)');
    this.#readLog = this.#db.prepare('SELECT seq, data, crc, stored_at FROM updates WHERE map_id = ? AND seq > ? ORDER BY seq');
    this.#setSnapshot = this.#db.prepare(
      'UPDATE maps SET snapshot = ?, snapshot_seq = max(snapshot_seq, ?), snapshot_crc = ? WHERE id = ?',
    );
    this.#trimLog = this.#db.prepare('DELETE FROM updates WHERE map_id = ? AND seq <= ?');

    this.#appendAll = this.#db.transaction((pending: readonly PendingAppend[]) => {
      const seqs = new Map<string, number>();
      return pending.map(({ id, updates }) => {
        let seq: number;
        try {
          seq = seqs.get(id) ?? this.#committedSeqs.get(id) ?? this.#currentSeq(id);
        } catch (error) {
          // Checked before anything of it is written: the others still commit.
          if (error instanceof UnknownMapError) return error;
          throw error;
        }
        const now = Date.now();
        for (const update of updates) this.#insertUpdate.run(id, ++seq, toBuffer(update), crc32(update), now);
        seqs.set(id, seq);
        return seq;
      });
    });
    const step = options.onCompactStep ?? (() => {});
    // Snapshot and trim commit together: a crash before the commit leaves the old snapshot and
    // the full log, a crash after it the new snapshot and the rest of the log.
    this.#compact = this.#db.transaction((id: string, snapshot: Uint8Array, throughSeq: number) => {
      step('begin');
      const changed = this.#setSnapshot.run(toBuffer(snapshot), throughSeq, crc32(snapshot), id).changes;
      if (changed === 0) throw new UnknownMapError(id);
      step('snapshot-written');
      this.#trimLog.run(id, throughSeq);
      step('log-trimmed');
    });
  }

  /** How long a write keeps trying while another process holds the database's lock. */
  get #busyBudgetMs(): number {
    return Math.max(0, this.options.busyTimeoutMs ?? 5000);
  }

  /**
   * Runs a write; when another process holds the database's lock (SQLITE_BUSY), tries again with
   * back-off (5, 10, 20 … 200 ms) until `busyTimeoutMs` has passed, and then fails. The waiting
   * is asynchronous: other rooms go on meanwhile.
   */
  async #write<T>(run: () => T): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return run();
      } catch (error) {
        if (!isBusy(error) || Date.now() - started >= this.#busyBudgetMs) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt)));
    }
  }

  async createMap(id: string, initialState: Uint8Array, createdAt: number): Promise<void> {
    return this.#write(() => this.#createMap(id, initialState, createdAt));
  }

  #createMap(id: string, initialState: Uint8Array, createdAt: number): void {
    try {
      this.#insertMap.run(id, createdAt, toBuffer(initialState), 1, crc32(initialState));
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new MapExistsError(id);
      }
      throw error;
    }
  }

  async hasMap(id: string): Promise<boolean> {
    return this.#mapRow.get(id) !== undefined;
  }

  /**
   * Reads a map in one read transaction, so a concurrent compaction cannot be seen half-way.
   * Every part with a checksum is checked; one that fails is left out and reported in `damaged`,
   * so it costs only its own content.
   */
  async load(id: string): Promise<StoredMap> {
    return this.#db.transaction(() => {
      const row = this.#mapRow.get(id);
      if (!row) throw new UnknownMapError(id);
      const damaged: DamagedPart[] = [];
      let snapshot = row.snapshot;
      const snapshotIntact = snapshot !== null && row.snapshot_crc !== null;
      if (snapshotIntact && crc32(snapshot!) !== row.snapshot_crc) {
        damaged.push({ part: 'snapshot', seq: row.snapshot_seq, storedAt: null });
        snapshot = null;
      }
      const updates: Buffer[] = [];
      for (const update of this.#readLog.all(id, row.snapshot_seq)) {
        if (update.crc !== null && crc32(update.data) !== update.crc)
          damaged.push({ part: 'update', seq: update.seq, storedAt: update.stored_at });
        else updates.push(update.data);
      }
      const lastSeq = this.#currentSeq(id);
      return {
        snapshot,
        updates,
        lastSeq,
        logBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
        snapshotIntact: snapshot !== null && snapshotIntact,
        damaged,
        damage: row.damage ? (JSON.parse(row.damage) as DamageNote) : null,
      };
    })();
  }

  /**
   * The file's own check, for the start: SQLite's quick_check of its pages and indexes, and each
   * map's log numbered without gaps after its snapshot (a gap is an update row gone missing).
   * One sentence per problem found (with the map and what it lost, when it is one map's); none
   * when the file is sound.
   */
  checkIntegrity(): IntegrityProblem[] {
    const problems: IntegrityProblem[] = [];
    const pages = this.#db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const findings = pages.map((row) => row.quick_check).filter((finding) => finding !== 'ok');
    if (findings.length > 0)
      problems.push({ message: `SQLite's quick_check found ${findings.length} problem(s): ${findings.slice(0, 3).join('; ')}` });
    const gaps = this.#db
      .prepare<[], { map_id: string; rows: number; first: number; last: number; snapshot_seq: number }>(
        `SELECT u.map_id, count(*) AS rows, min(u.seq) AS first, max(u.seq) AS last, m.snapshot_seq
         FROM updates u JOIN maps m ON m.id = u.map_id GROUP BY u.map_id
         HAVING count(*) != max(u.seq) - min(u.seq) + 1 OR min(u.seq) != m.snapshot_seq + 1`,
      )
      .all();
    for (const gap of gaps) {
      const missing = gap.last - gap.snapshot_seq - gap.rows;
      problems.push({
        message: `map ${gap.map_id} is missing ${missing} update row(s) between its snapshot (${gap.snapshot_seq}) and its last update (${gap.last})`,
        mapId: gap.map_id,
        lostParts: missing,
      });
    }
    const lastSeq = this.#db.prepare<[string], { last: number }>(
      'SELECT max(m.snapshot_seq, coalesce((SELECT max(seq) FROM updates WHERE map_id = m.id), 0)) AS last FROM maps m WHERE m.id = ?',
    );
    for (const [id, acknowledged] of Object.entries(this.#readAcknowledged())) {
      const row = lastSeq.get(id);
      if (!row || row.last >= acknowledged) continue;
      problems.push({
        message: `map ${id} has lost ${acknowledged - row.last} update(s) the server had acknowledged (its log ends at ${row.last}, ${acknowledged} were confirmed): the database lost its last writes, most likely a write-ahead log cut short`,
        mapId: id,
        lostParts: acknowledged - row.last,
      });
    }
    return problems;
  }

  async keepDamagedCopy(id: string): Promise<void> {
    const now = Date.now();
    await this.#write(
      this.#db.transaction(() => {
        this.#db.prepare("INSERT INTO damaged_parts SELECT id, 'snapshot', snapshot_seq, snapshot, ? FROM maps WHERE id = ?").run(now, id);
        this.#db.prepare("INSERT INTO damaged_parts SELECT map_id, 'update', seq, data, ? FROM updates WHERE map_id = ?").run(now, id);
      }),
    );
  }

  async noteDamage(id: string, note: DamageNote | null): Promise<void> {
    const changed = await this.#write(
      () => this.#db.prepare('UPDATE maps SET damage = ? WHERE id = ?').run(note && JSON.stringify(note), id).changes,
    );
    if (changed === 0) {
      throw new UnknownMapError(id);
    }
  }

  /**
   * Every map's appends from one turn of the event loop commit in one transaction (one WAL
   * commit, one fsync with `sync: 'full'`), a turn later. If that transaction fails, every
   * append in it is rejected and none is stored.
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => this.#commitPending());
      this.#pending.push({ id, updates, resolve, reject });
    });
  }

  #commitPending(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    let results: (number | UnknownMapError)[];
    try {
      if (!this.#db.open) throw new TypeError('The database connection is not open');
      results = this.#appendAll(pending);
    } catch (error) {
      // Locked by another process: wait without blocking (later appends join this batch), up to the budget.
      const now = Date.now();
      this.#busySince ??= now;
      if (isBusy(error) && now - this.#busySince < this.#busyBudgetMs) {
        const waiting = this.#pending.length;
        this.#pending = [...pending, ...this.#pending];
        if (waiting === 0) setTimeout(() => this.#commitPending(), Math.min(200, 5 * 2 ** this.#busyRetries++));
        return;
      }
      this.#busySince = null;
      this.#busyRetries = 0;
      for (const append of pending) append.reject(error);
      return;
    }
    this.#busySince = null;
    this.#busyRetries = 0;
    pending.forEach((append, i) => {
      const result = results[i]!;
      if (typeof result !== 'number') return append.reject(result);
      // Only once the transaction has committed: a failed append must not move the counter.
      this.#committedSeqs.set(append.id, result);
      this.#noteAcknowledged();
      append.resolve(result);
    });
  }

  async compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    await this.#write(() => this.#compact(id, snapshot, throughSeq));
    this.options.onCompactStep?.('committed');
  }

  async listMaps(): Promise<MapListing[]> {
    const rows = this.#db
      .prepare<[], { id: string; created_at: number; deleted_at: number | null; summary: string | null; is_template: number }>(
        'SELECT id, created_at, deleted_at, summary, is_template FROM maps',
      )
      .all();
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
      summary: row.summary ? (JSON.parse(row.summary) as MapSummary) : null,
      isTemplate: row.is_template === 1,
    }));
  }

  async deletedAt(id: string): Promise<number | null> {
    const row = this.#db.prepare<[string], { deleted_at: number | null }>('SELECT deleted_at FROM maps WHERE id = ?').get(id);
    if (!row) throw new UnknownMapError(id);
    return row.deleted_at;
  }

  async setDeleted(id: string, at: number | null): Promise<void> {
    const changed = await this.#write(() => this.#db.prepare('UPDATE maps SET deleted_at = ? WHERE id = ?').run(at, id).changes);
    if (changed === 0) throw new UnknownMapError(id);
  }

  async setTemplate(id: string, isTemplate: boolean): Promise<void> {
    const changed = await this.#write(
      () => this.#db.prepare('UPDATE maps SET is_template = ? WHERE id = ?').run(isTemplate ? 1 : 0, id).changes,
    );
    if (changed === 0) throw new UnknownMapError(id);
  }

  async purgeDeleted(before: number): Promise<string[]> {
    return this.#write(
      this.#db.transaction(() => {
        const ids = this.#db
          .prepare<[number], { id: string }>('SELECT id FROM maps WHERE deleted_at IS NOT NULL AND deleted_at < ?')
          .all(before)
          .map((row) => row.id);
        for (const id of ids) {
          // Updates go with their map (ON DELETE CASCADE); links name it without a foreign key.
          this.#db.prepare('DELETE FROM links WHERE map_id = ? OR id = ?').run(id, `o.${id}`);
          this.#db.prepare('DELETE FROM maps WHERE id = ?').run(id);
          this.#committedSeqs.delete(id);
        }
        return ids;
      }),
    );
  }

  async updateSummary(id: string, summary: MapSummary): Promise<void> {
    const changed = await this.#write(
      () => this.#db.prepare('UPDATE maps SET summary = ? WHERE id = ?').run(JSON.stringify(summary), id).changes,
    );
    if (changed === 0) throw new UnknownMapError(id);
  }

  async createVersion(version: NewVersion): Promise<void> {
    try {
      await this.#write(() =>
        this.#db
          .prepare(
            'INSERT INTO versions (map_id, id, kind, name, created_at, created_by, state, state_crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            version.mapId,
            version.id,
            version.kind,
            version.name,
            version.createdAt,
            version.createdBy,
            toBuffer(version.state),
            crc32(version.state),
          ),
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new UnknownMapError(version.mapId);
      throw error;
    }
  }

  async listVersions(mapId: string): Promise<VersionRecord[]> {
    return this.#db
      .prepare<[string], VersionRow>(
        'SELECT id, map_id, kind, name, created_at, created_by, length(state) AS bytes FROM versions WHERE map_id = ? ORDER BY created_at DESC, id DESC',
      )
      .all(mapId)
      .map((row) => ({
        id: row.id,
        mapId: row.map_id,
        kind: row.kind,
        name: row.name,
        createdAt: row.created_at,
        createdBy: row.created_by,
        bytes: row.bytes,
      }));
  }

  async loadVersion(mapId: string, versionId: string): Promise<Uint8Array | null> {
    const row = this.#db
      .prepare<[string, string], { state: Buffer; state_crc: number }>('SELECT state, state_crc FROM versions WHERE map_id = ? AND id = ?')
      .get(mapId, versionId);
    if (!row) return null;
    if (crc32(row.state) !== row.state_crc) throw new CorruptMapError(mapId, `version ${versionId} does not match its checksum`);
    return new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength);
  }

  async deleteVersions(mapId: string, versionIds: readonly string[]): Promise<void> {
    const remove = this.#db.prepare('DELETE FROM versions WHERE map_id = ? AND id = ?');
    await this.#write(
      this.#db.transaction(() => {
        for (const id of versionIds) remove.run(mapId, id);
      }),
    );
  }

  async appendActivity(entry: ActivityEntry): Promise<void> {
    const records = JSON.stringify({ created: entry.created, changed: entry.changed, deleted: entry.deleted });
    await this.#write(() =>
      this.#db
        .prepare('INSERT INTO activity (map_id, started_at, ended_at, person, link, role, records) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(entry.mapId, entry.startedAt, entry.endedAt, entry.person, entry.link, entry.role, records),
    );
  }

  async listActivity(mapId: string, limit: number): Promise<ActivityEntry[]> {
    return this.#db
      .prepare<
        [string, number],
        { started_at: number; ended_at: number; person: string | null; link: string | null; role: string; records: string }
      >(
        'SELECT started_at, ended_at, person, link, role, records FROM activity WHERE map_id = ? ORDER BY ended_at DESC, rowid DESC LIMIT ?',
      )
      .all(mapId, limit)
      .map((row) => {
        const records = JSON.parse(row.records) as Pick<ActivityEntry, 'created' | 'changed' | 'deleted'>;
        return { mapId, startedAt: row.started_at, endedAt: row.ended_at, person: row.person, link: row.link, role: row.role, ...records };
      });
  }

  async createLink(link: NewLink): Promise<void> {
    await this.#write(() =>
      this.#db
        .prepare('INSERT INTO links (id, map_id, role, label, personal, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(link.id, link.mapId, link.role, link.label, link.personal ? 1 : 0, link.createdAt, link.expiresAt),
    );
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const row = this.#db.prepare<[string], LinkRow>('SELECT * FROM links WHERE id = ?').get(id);
    return row ? linkRecord(row) : null;
  }

  async listLinks(mapId: string | null): Promise<LinkRecord[]> {
    const rows = this.#db.prepare<[string | null], LinkRow>('SELECT * FROM links WHERE map_id IS ? ORDER BY created_at, id').all(mapId);
    return rows.map(linkRecord);
  }

  async revokeLink(id: string, at: number): Promise<boolean> {
    return (
      (await this.#write(
        () => this.#db.prepare('UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes,
      )) > 0
    );
  }

  async touchLink(id: string, at: number): Promise<void> {
    await this.#write(() => this.#db.prepare('UPDATE links SET last_used_at = ? WHERE id = ?').run(at, id));
  }

  async createRound(round: NewRound): Promise<void> {
    await this.#write(() =>
      this.#db
        .prepare('INSERT INTO rounds (id, map_id, kind, settings, opened_at) VALUES (?, ?, ?, ?, ?)')
        .run(round.id, round.mapId, round.kind, round.settings, round.openedAt),
    );
  }

  async getRound(id: string): Promise<RoundRecord | null> {
    const row = this.#db.prepare<[string], RoundRow>('SELECT * FROM rounds WHERE id = ?').get(id);
    return row ? roundRecord(row) : null;
  }

  async listRounds(mapId: string): Promise<RoundRecord[]> {
    return this.#db
      .prepare<[string], RoundRow>('SELECT * FROM rounds WHERE map_id = ? ORDER BY opened_at, rowid')
      .all(mapId)
      .map(roundRecord);
  }

  async putRoundEntry(entry: RoundEntry): Promise<boolean> {
    // One statement: the entry lands only while the round is open, so none slips in after a reveal.
    const changes = await this.#write(
      () =>
        this.#db
          .prepare(
            `INSERT INTO round_entries (round_id, voter, entry_id, voter_name, body, at)
             SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rounds WHERE id = ? AND closed_at IS NULL)
             ON CONFLICT (round_id, voter, entry_id) DO UPDATE SET voter_name = excluded.voter_name, body = excluded.body, at = excluded.at`,
          )
          .run(entry.roundId, entry.voter, entry.entryId, entry.voterName, entry.body, entry.at, entry.roundId).changes,
    );
    return changes > 0;
  }

  async deleteRoundEntry(roundId: string, voter: string, entryId: string): Promise<boolean> {
    const changes = await this.#write(
      () =>
        this.#db
          .prepare(
            `DELETE FROM round_entries WHERE round_id = ? AND voter = ? AND entry_id = ?
             AND EXISTS (SELECT 1 FROM rounds WHERE id = ? AND closed_at IS NULL)`,
          )
          .run(roundId, voter, entryId, roundId).changes,
    );
    return changes > 0;
  }

  async listRoundEntries(roundId: string, voter?: string): Promise<RoundEntry[]> {
    const rows =
      voter === undefined
        ? this.#db.prepare<[string], RoundEntryRow>('SELECT * FROM round_entries WHERE round_id = ? ORDER BY rowid').all(roundId)
        : this.#db
            .prepare<[string, string], RoundEntryRow>('SELECT * FROM round_entries WHERE round_id = ? AND voter = ? ORDER BY rowid')
            .all(roundId, voter);
    return rows.map((row) => ({
      roundId: row.round_id,
      voter: row.voter,
      voterName: row.voter_name,
      entryId: row.entry_id,
      body: row.body,
      at: row.at,
    }));
  }

  async closeRound(id: string, outcome: 'revealed' | 'cancelled', at: number): Promise<boolean> {
    return this.#write(
      this.#db.transaction(() => {
        const closed =
          this.#db.prepare('UPDATE rounds SET closed_at = ?, outcome = ? WHERE id = ? AND closed_at IS NULL').run(at, outcome, id).changes >
          0;
        if (closed && outcome === 'cancelled') this.#db.prepare('DELETE FROM round_entries WHERE round_id = ?').run(id);
        return closed;
      }),
    );
  }

  async beginSurveyImport(entry: NewSurveyImport): Promise<void> {
    await this.#write(() => {
      if (!this.#mapRow.get(entry.mapId)) throw new UnknownMapError(entry.mapId);
      this.#db
        .prepare("INSERT INTO survey_imports (id, map_id, file_name, imported_at, imported_by, state) VALUES (?, ?, ?, ?, ?, 'pending')")
        .run(entry.id, entry.mapId, entry.fileName, entry.importedAt, entry.importedBy);
    });
  }

  async addVerbatims(verbatims: readonly Verbatim[]): Promise<void> {
    const pending = this.#db.prepare<[string], { state: string }>('SELECT state FROM survey_imports WHERE id = ?');
    const insert = this.#db.prepare(
      'INSERT INTO verbatims (import_id, row, stage_id, persona_id, channel, score, date, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    await this.#write(
      this.#db.transaction(() => {
        const checked = new Set<string>();
        for (const v of verbatims) {
          if (!checked.has(v.importId)) {
            if (pending.get(v.importId)?.state !== 'pending') throw new Error(`import ${v.importId} is not pending`);
            checked.add(v.importId);
          }
          insert.run(v.importId, v.row, v.stageId, v.personaId, v.channel, v.score, v.date, v.text);
        }
      }),
    );
  }

  async finishSurveyImport(importId: string, counts: Pick<SurveyImportRecord, 'rows' | 'verbatims' | 'metrics'>): Promise<boolean> {
    const changes = await this.#write(
      () =>
        this.#db
          .prepare("UPDATE survey_imports SET state = 'done', rows = ?, verbatims = ?, metrics = ? WHERE id = ? AND state = 'pending'")
          .run(counts.rows, counts.verbatims, counts.metrics, importId).changes,
    );
    return changes > 0;
  }

  async deleteSurveyImport(mapId: string, importId: string): Promise<boolean> {
    // Its verbatims go with it (ON DELETE CASCADE), in the same statement's transaction.
    const changes = await this.#write(
      () => this.#db.prepare('DELETE FROM survey_imports WHERE id = ? AND map_id = ?').run(importId, mapId).changes,
    );
    return changes > 0;
  }

  async listSurveyImports(mapId: string): Promise<SurveyImportRecord[]> {
    return this.#db
      .prepare<[string], SurveyImportRow>(
        "SELECT * FROM survey_imports WHERE map_id = ? AND state = 'done' ORDER BY imported_at DESC, rowid DESC",
      )
      .all(mapId)
      .map(surveyImportRecord);
  }

  async searchVerbatims(mapId: string, query: VerbatimQuery): Promise<Verbatim[]> {
    const conditions = ['i.map_id = ?', "i.state = 'done'"];
    const params: (string | number)[] = [mapId];
    if (query.stageId !== undefined) {
      conditions.push('v.stage_id = ?');
      params.push(query.stageId);
    }
    if (query.text) {
      // SQLite's LIKE ignores case for ASCII letters only (it has no Unicode case tables built in).
      conditions.push("v.text LIKE ? ESCAPE '\\'");
      params.push(`%${likeEscaped(query.text)}%`);
    }
    params.push(query.limit);
    const rows = this.#db
      .prepare<(string | number)[], VerbatimRow>(
        `SELECT v.* FROM verbatims v JOIN survey_imports i ON i.id = v.import_id
         WHERE ${conditions.join(' AND ')} ORDER BY i.imported_at DESC, i.rowid DESC, v.row LIMIT ?`,
      )
      .all(...params);
    return rows.map((row) => ({
      importId: row.import_id,
      row: row.row,
      stageId: row.stage_id,
      personaId: row.persona_id,
      channel: row.channel,
      score: row.score,
      date: row.date,
      text: row.text,
    }));
  }

  async purgePendingSurveyImports(): Promise<number> {
    return this.#write(() => this.#db.prepare("DELETE FROM survey_imports WHERE state = 'pending'").run().changes);
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#commitPending();
    if (this.#acknowledgedTimer) clearTimeout(this.#acknowledgedTimer);
    this.#writeAcknowledged();
    this.#db.close();
  }

  #noteAcknowledged(): void {
    this.#acknowledgedDirty = true;
    if (this.#acknowledgedTimer) return;
    this.#acknowledgedTimer = setTimeout(() => {
      this.#acknowledgedTimer = null;
      this.#writeAcknowledged();
    }, ACKNOWLEDGED_WRITE_MS);
    this.#acknowledgedTimer.unref();
  }

  /** Merges this process's acknowledged sequence numbers into the file beside the database. */
  #writeAcknowledged(): void {
    if (!this.#acknowledgedDirty) return;
    this.#acknowledgedDirty = false;
    try {
      const known = this.#readAcknowledged();
      for (const [id, seq] of this.#committedSeqs) known[id] = Math.max(known[id] ?? 0, seq);
      const temporary = `${this.#acknowledgedFile}.tmp`;
      writeFileSync(temporary, JSON.stringify(known), { mode: 0o600 });
      renameSync(temporary, this.#acknowledgedFile);
    } catch {
      // Only the start-up check relies on it; the data itself is in the database.
    }
  }

  #readAcknowledged(): Record<string, number> {
    try {
      if (!existsSync(this.#acknowledgedFile)) return {};
      const parsed: unknown = JSON.parse(readFileSync(this.#acknowledgedFile, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, number] => Number.isInteger(entry[1])));
    } catch {
      return {};
    }
  }

  #currentSeq(id: string): number {
    const fromLog = this.#lastSeq.get(id)?.seq;
    if (fromLog != null) return fromLog;
    const row = this.#mapRow.get(id);
    if (!row) throw new UnknownMapError(id);
    return row.snapshot_seq;
  }
}

/** Whether SQLite refused because another connection holds the lock. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Files written before update rows carried a checksum and a time gain the columns; their rows
 * keep null (read unchecked, as before). The map's damage note comes with them.
 */
function addUpdateChecksumColumns(db: Database.Database): void {
  const updateColumns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('updates')").all();
  if (!updateColumns.some((c) => c.name === 'crc')) db.exec('ALTER TABLE updates ADD COLUMN crc INTEGER');
  if (!updateColumns.some((c) => c.name === 'stored_at')) db.exec('ALTER TABLE updates ADD COLUMN stored_at INTEGER');
  const mapColumns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('maps')").all();
  if (!mapColumns.some((c) => c.name === 'damage')) db.exec('ALTER TABLE maps ADD COLUMN damage TEXT');
}

/** Files written before snapshots carried a checksum gain the column; their rows keep null. */
function addSnapshotChecksumColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('maps')").all();
  if (!columns.some((c) => c.name === 'snapshot_crc')) db.exec('ALTER TABLE maps ADD COLUMN snapshot_crc INTEGER');
}

/**
 * Files written before maps kept a summary, a trash date and a template mark gain the columns;
 * their rows keep null (and are no templates).
 */
function addSummaryColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('maps')").all();
  if (!columns.some((c) => c.name === 'summary')) db.exec('ALTER TABLE maps ADD COLUMN summary TEXT');
  if (!columns.some((c) => c.name === 'deleted_at')) db.exec('ALTER TABLE maps ADD COLUMN deleted_at INTEGER');
  if (!columns.some((c) => c.name === 'is_template')) db.exec('ALTER TABLE maps ADD COLUMN is_template INTEGER NOT NULL DEFAULT 0');
}

/** Files written before links could be personal gain the column; their links are shared ones. */
function addPersonalLinkColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('links')").all();
  if (!columns.some((c) => c.name === 'personal')) db.exec('ALTER TABLE links ADD COLUMN personal INTEGER NOT NULL DEFAULT 0');
}
