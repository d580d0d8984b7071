/**
 * Where maps live between process restarts. A map is an append-only log of Yjs updates on top of
 * an optional snapshot; compaction folds a prefix of the log into a new snapshot.
 *
 * Every implementation runs the shared suite in map-store.contract.test.ts.
 */
export interface StoredMap {
  /** Merged state at `snapshotSeq`, or null when the map has never been compacted. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Sequence number of the newest entry (snapshot or update); 0 for an empty map. */
  lastSeq: number;
  /** Total bytes of `updates`, so the room can decide when to compact. */
  logBytes: number;
  /**
   * True when the store has checked `snapshot` against the checksum written with it, so the bytes
   * are known to be the ones a server encoded from a valid document and need no decoding to be
   * trusted. False when there is nothing to check against (a file written before checksums).
   */
  snapshotIntact: boolean;
  /**
   * Stored parts that failed their checksum on this read and were left out: each costs only its
   * own content, and the map loads with the rest.
   */
  damaged: DamagedPart[];
  /** Damage found on an earlier read and not yet repaired (see noteDamage), or null. */
  damage: DamageNote | null;
}

export interface DamagedPart {
  part: 'snapshot' | 'update';
  seq: number;
  /** When the part was written (ms since the epoch); null for parts written before that was kept. */
  storedAt: number | null;
}

/** What a map lost to damaged storage, kept until someone restores a version. */
export interface DamageNote {
  /** How many stored parts could not be read. */
  lostParts: number;
  /** When the oldest of them was written; versions taken since then hold what was lost. Null when unknown. */
  since: number | null;
  /** When the damage was first found. */
  foundAt: number;
}

/** What the library shows of a map without opening it; kept current by its room. */
export interface MapSummary {
  title: string;
  goal: string;
  template: string;
  /** When it was last changed (ms since the epoch). */
  updatedAt: number;
  /** Who changed it last, by the name they gave; null when unknown. */
  updatedBy: string | null;
}

export interface MapListing {
  id: string;
  createdAt: number;
  /** When the map was moved to the trash, or null. */
  deletedAt: number | null;
  /** Null for a map stored before summaries were kept, until its room writes one. */
  summary: MapSummary | null;
  /** Whether the map is one of the workspace's templates, offered in "Start a map". */
  isTemplate: boolean;
}

/**
 * A link: a signed token's record. Map links carry a map id; workspace links carry null. A link
 * is refused once revoked or past its expiry, whatever its signature says.
 */
export interface LinkRecord {
  id: string;
  /** The map it opens, or null for a workspace link. */
  mapId: string | null;
  role: string;
  label: string;
  /** A link made for one named person (the label): what they do through it is theirs, a vote included. */
  personal: boolean;
  createdAt: number;
  /** ms since the epoch; null for a link that does not expire. */
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export type NewLink = Omit<LinkRecord, 'revokedAt' | 'lastUsedAt' | 'personal'> & { personal?: boolean };

/**
 * A sealed workshop round (a dot vote or a silent brainstorm). What people submit to it is held
 * here, never in the shared document, until the facilitator reveals it.
 */
export interface RoundRecord {
  id: string;
  mapId: string;
  kind: string;
  /** The round's settings (scope, votes per person, anonymity, end), as JSON text. */
  settings: string;
  openedAt: number;
  /** When it was revealed or cancelled; null while open. */
  closedAt: number | null;
  outcome: 'revealed' | 'cancelled' | null;
}

export type NewRound = Omit<RoundRecord, 'closedAt' | 'outcome'>;

/** One thing a person submitted to a round: their ballot, or one hidden card. */
export interface RoundEntry {
  roundId: string;
  /** Who submitted it: a personal link, or the id a browser keeps. */
  voter: string;
  /** The name shown for them after the reveal. */
  voterName: string;
  /** Unique within the voter's entries of the round (a ballot is one entry; each card is one). */
  entryId: string;
  /** The entry, as JSON text. */
  body: string;
  at: number;
}

/**
 * Why a version was taken: on its own (editing started after a quiet spell, or an hour of
 * editing went by), by name on request, or just before a restore or an import changed the map.
 */
export const VERSION_KINDS = ['auto', 'named', 'before-restore', 'before-import'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** A version of a map: its whole state at one moment, kept apart from the log (compaction never touches it). */
export interface VersionRecord {
  id: string;
  mapId: string;
  kind: VersionKind;
  /** Given for named versions; null for the others. */
  name: string | null;
  createdAt: number;
  /** Who asked for it (the link's label or the person's name), when known. */
  createdBy: string | null;
  /** Size of the stored state. */
  bytes: number;
}

export type NewVersion = Omit<VersionRecord, 'bytes'> & { state: Uint8Array };

/**
 * One person's burst of edits through one link: which records (as `cards/<id>`, `stages/<id>`,
 * `meta/title`, `emotions/<key>` …) they made, changed and deleted, from when to when.
 */
export interface ActivityEntry {
  mapId: string;
  startedAt: number;
  endedAt: number;
  /** The name the person gave, when known. */
  person: string | null;
  /** The link's label, when it has one. */
  link: string | null;
  role: string;
  created: string[];
  changed: string[];
  deleted: string[];
}

/**
 * A survey or analytics file imported into a map. Its aggregates live in the map's document as
 * metrics (their `origin` is this id); its verbatims live here, since a file can hold hundreds of
 * thousands. 'pending' while the file is being read: a pending import is never listed or searched,
 * and is removed when the import fails (or, after a crash, at the next start).
 */
export interface SurveyImportRecord {
  id: string;
  mapId: string;
  fileName: string;
  importedAt: number;
  /** Who imported it (the person's name and link label), when known. */
  importedBy: string | null;
  state: 'pending' | 'done';
  /** Data rows read, verbatims kept and metrics written; 0 while pending. */
  rows: number;
  verbatims: number;
  metrics: number;
}

export type NewSurveyImport = Pick<SurveyImportRecord, 'id' | 'mapId' | 'fileName' | 'importedAt' | 'importedBy'>;

/** One customer comment from an imported file, with where it belongs on the map. */
export interface Verbatim {
  importId: string;
  /** The row in the file, counting the header as row 1 (as a spreadsheet shows it). */
  row: number;
  stageId: string;
  /** '' when the row names no persona of the map. */
  personaId: string;
  channel: string;
  /** The row's score, or null when it has none. */
  score: number | null;
  /** `YYYY-MM-DD`, or '' when the file has no date column. */
  date: string;
  text: string;
}

export interface VerbatimQuery {
  stageId?: string | undefined;
  /** Words the text must contain (case-insensitive, as one phrase). */
  text?: string | undefined;
  limit: number;
}

export interface MapStore {
  /** Registers a new map with its initial state. Rejects with MapExistsError if the id is taken. */
  createMap(id: string, initialState: Uint8Array, createdAt: number): Promise<void>;
  hasMap(id: string): Promise<boolean>;
  /**
   * Rejects with UnknownMapError when the map does not exist, and with CorruptMapError when its
   * stored bytes are not the ones that were written.
   */
  load(id: string): Promise<StoredMap>;
  /**
   * Appends updates atomically: after the promise resolves all of them are durable; after it
   * rejects none of them is. Returns the sequence number of the last one.
   */
  appendUpdates(id: string, updates: readonly Uint8Array[]): Promise<number>;
  /**
   * Replaces the snapshot and every update with seq <= throughSeq by `snapshot`, atomically.
   * Updates appended after throughSeq are kept.
   */
  compact(id: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Every map, with its summary, trashed ones included. */
  listMaps(): Promise<MapListing[]>;
  /** When the map was moved to the trash, or null; rejects with UnknownMapError when there is no such map. */
  deletedAt(id: string): Promise<number | null>;
  /** Moves a map to the trash (`at`) or back out of it (null); rejects with UnknownMapError. */
  setDeleted(id: string, at: number | null): Promise<void>;
  /** Removes for good the maps trashed before `before`, with their updates, versions and links; returns their ids. */
  purgeDeleted(before: number): Promise<string[]>;
  /**
   * Copies a damaged map's stored parts, as they are, aside (where no compaction reaches them),
   * so whatever can still be recovered from them by hand is not overwritten.
   */
  keepDamagedCopy(id: string): Promise<void>;
  /** Keeps (or, with null, clears) what a map lost to damaged storage; rejects with UnknownMapError. */
  noteDamage(id: string, note: DamageNote | null): Promise<void>;
  /** Makes a map one of the workspace's templates, or an ordinary map again; rejects with UnknownMapError. */
  setTemplate(id: string, isTemplate: boolean): Promise<void>;
  /** Replaces a map's summary; rejects with UnknownMapError when the map does not exist. */
  updateSummary(id: string, summary: MapSummary): Promise<void>;
  /** Stores a version with its state (and a checksum of it); rejects with UnknownMapError when the map does not exist. */
  createVersion(version: NewVersion): Promise<void>;
  /** A map's versions without their state, newest first. */
  listVersions(mapId: string): Promise<VersionRecord[]>;
  /**
   * A version's state, or null when the map has no such version; rejects with CorruptMapError
   * when the stored bytes do not match their checksum.
   */
  loadVersion(mapId: string, versionId: string): Promise<Uint8Array | null>;
  /** Removes versions of a map; ids it does not have are ignored. */
  deleteVersions(mapId: string, versionIds: readonly string[]): Promise<void>;
  /** Adds an entry to the map's activity feed. */
  appendActivity(entry: ActivityEntry): Promise<void>;
  /** The map's activity, newest first, at most `limit` entries. */
  listActivity(mapId: string, limit: number): Promise<ActivityEntry[]>;
  /** Stores a new link. Rejects if the id is taken. */
  createLink(link: NewLink): Promise<void>;
  getLink(id: string): Promise<LinkRecord | null>;
  /** The links of a map (or of the workspace, for null), oldest first, revoked ones included. */
  listLinks(mapId: string | null): Promise<LinkRecord[]>;
  /** Marks a link revoked at `at`; false when there is no such link or it was revoked already. */
  revokeLink(id: string, at: number): Promise<boolean>;
  /** Notes that a link was used at `at` (best effort: it only feeds the links list). */
  touchLink(id: string, at: number): Promise<void>;
  createRound(round: NewRound): Promise<void>;
  getRound(id: string): Promise<RoundRecord | null>;
  /** A map's rounds, oldest first. */
  listRounds(mapId: string): Promise<RoundRecord[]>;
  /**
   * Stores an entry, replacing the voter's entry of the same id; false (nothing stored) when the
   * round is closed or does not exist. Durable once the promise resolves.
   */
  putRoundEntry(entry: RoundEntry): Promise<boolean>;
  /** Removes one of a voter's entries from an open round; false when there was none. */
  deleteRoundEntry(roundId: string, voter: string, entryId: string): Promise<boolean>;
  /** A round's entries (one voter's when given), in the order they were first stored. */
  listRoundEntries(roundId: string, voter?: string): Promise<RoundEntry[]>;
  /**
   * Closes an open round as revealed or cancelled; false when it was closed already (so of two
   * closing at once, one wins). A cancelled round's entries are deleted with it.
   */
  closeRound(id: string, outcome: 'revealed' | 'cancelled', at: number): Promise<boolean>;
  /** Starts an import as pending; rejects with UnknownMapError when the map does not exist. */
  beginSurveyImport(entry: NewSurveyImport): Promise<void>;
  /** Adds verbatims to a pending import, all or none. */
  addVerbatims(verbatims: readonly Verbatim[]): Promise<void>;
  /** Marks a pending import done with its counts; false when there is no such pending import. */
  finishSurveyImport(importId: string, counts: Pick<SurveyImportRecord, 'rows' | 'verbatims' | 'metrics'>): Promise<boolean>;
  /** Removes an import (pending or done) with its verbatims; false when the map has no such import. */
  deleteSurveyImport(mapId: string, importId: string): Promise<boolean>;
  /** A map's finished imports, newest first. */
  listSurveyImports(mapId: string): Promise<SurveyImportRecord[]>;
  /** Verbatims of a map's finished imports, newest import first, then by row. */
  searchVerbatims(mapId: string, query: VerbatimQuery): Promise<Verbatim[]>;
  /** Removes every pending import (left by a process that stopped mid-import); returns how many. */
  purgePendingSurveyImports(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Whether a store call failed because the store cannot be reached at all (its database server is
 * down or out of reach), rather than refusing this one call: worth a "try again shortly".
 */
export const isStoreUnreachable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { storeUnreachable?: unknown }).storeUnreachable === true;

/** What users are told while the store cannot be reached. */
export const STORE_UNREACHABLE = 'the server cannot reach its database right now; try again shortly';

export class UnknownMapError extends Error {
  constructor(readonly mapId: string) {
    super(`map ${mapId} does not exist`);
    this.name = 'UnknownMapError';
  }
}

export class MapExistsError extends Error {
  constructor(readonly mapId: string) {
    super(`map ${mapId} already exists`);
    this.name = 'MapExistsError';
  }
}

export class CorruptMapError extends Error {
  constructor(
    readonly mapId: string,
    detail: string,
  ) {
    super(`map ${mapId} is corrupt in storage: ${detail}`);
    this.name = 'CorruptMapError';
  }
}
