import * as Y from 'yjs';
import { TOP_LEVEL_KEYS, topLevelMap, unfamiliarTopLevelKeys } from './doc-keys.js';
import { migrationOrigin } from './origin.js';
import { readMap } from './read-map.js';
import { isV1Card, upgradeCardFromV1 } from './records/card.js';
import { isV1Lane, upgradeLaneFromV1 } from './records/lane.js';
import { LEGACY_SCHEMA_VERSION } from './records/meta.js';

/**
 * Document schema versions. The list of migrations is append-only: a released migration
 * is never edited or removed, its id never reused, because documents everywhere (servers,
 * offline IndexedDB copies, exports) may still need it. Each one runs in its own
 * transaction with origin `{ kind: 'migration', id }` and sets `meta.schemaVersion` to its
 * `to` in that same transaction, so a crash between steps leaves a consistent version.
 */
export interface Migration {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly up: (doc: Y.Doc) => void;
}

function eachRecord(doc: Y.Doc, key: 'cards' | 'lanes', upgrade: (record: Y.Map<unknown>) => void): void {
  for (const value of topLevelMap(doc, key).values()) {
    if (value instanceof Y.Map) upgrade(value as Y.Map<unknown>);
  }
}

export const MIGRATIONS: readonly Migration[] = [
  {
    // v1 (before versioned documents): cards had `color` and a plain-string `text`; lanes
    // used the kinds 'pain', 'ideas' and 'kpi'.
    id: 'v2-card-colour-and-shared-text-lane-kind-names',
    from: 1,
    to: 2,
    up: (doc) => {
      eachRecord(doc, 'cards', upgradeCardFromV1);
      eachRecord(doc, 'lanes', upgradeLaneFromV1);
    },
  },
];

export const SCHEMA_VERSION = 2;

/** The document was written by a newer Waymark: do not edit it, ask for a reload. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
  constructor(
    readonly documentVersion: number,
    readonly supportedVersion: number = SCHEMA_VERSION,
  ) {
    super(`document schema version ${documentVersion} is newer than this Waymark supports (${supportedVersion})`);
  }
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  /**
   * Ids of the migrations that ran, in order, REPAIR_SCHEMA_VERSION first when the stored
   * version was replaced; empty when the document was current.
   */
  readonly applied: readonly string[];
  /** Set when `meta.schemaVersion` was replaced: the value that was stored, as JSON. */
  readonly repaired?: { readonly stored: string };
}

/**
 * The id (and transaction origin) of the step that replaces a stored `meta.schemaVersion` the
 * records do not bear out. Stable like a migration id: logs and observers match on it.
 */
export const REPAIR_SCHEMA_VERSION = 'repair-schema-version';

function isEmptyDocument(doc: Y.Doc): boolean {
  return TOP_LEVEL_KEYS.every((key) => topLevelMap(doc, key).size === 0);
}

/**
 * The stored schema version: missing means v1. Throws on a malformed value; migrateDoc does
 * not use this, it repairs such a value from what the records show.
 */
export function storedSchemaVersion(doc: Y.Doc): number {
  const value = topLevelMap(doc, 'meta').get('schemaVersion');
  if (value === undefined) return LEGACY_SCHEMA_VERSION;
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new Error(`meta.schemaVersion is not a positive integer: ${JSON.stringify(value)}`);
  }
  return value as number;
}

/** For clients: true when the document needs a newer Waymark (go read-only). */
export function isNewerSchema(doc: Y.Doc): boolean {
  const value = topLevelMap(doc, 'meta').get('schemaVersion');
  return typeof value === 'number' && value > SCHEMA_VERSION;
}

function someRecord(doc: Y.Doc, key: 'cards' | 'lanes', test: (record: Y.Map<unknown>) => boolean): boolean {
  for (const value of topLevelMap(doc, key).values()) {
    if (value instanceof Y.Map && test(value as Y.Map<unknown>)) return true;
  }
  return false;
}

/**
 * The schema version the records were written in, whatever `meta.schemaVersion` says: v1 when
 * a card or lane still has a shape only v1 wrote, otherwise SCHEMA_VERSION.
 */
export function schemaVersionShownByRecords(doc: Y.Doc): number {
  const v1 = someRecord(doc, 'cards', isV1Card) || someRecord(doc, 'lanes', isV1Lane);
  return v1 ? LEGACY_SCHEMA_VERSION : SCHEMA_VERSION;
}

/** Whether the document holds anything this version's readers would not show. */
function holdsWhatThisVersionCannotRead(doc: Y.Doc): boolean {
  if (unfamiliarTopLevelKeys(doc).length > 0) return true;
  return readMap(doc).problems.some((problem) => problem.action === 'skipped');
}

/** For the log: anything can be stored there, a bigint (which JSON refuses) included. */
function describeStoredValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

interface StartingVersion {
  readonly version: number;
  /** The stored value, when it is to be replaced by `version`. */
  readonly replaces?: unknown;
}

/**
 * Where the migrations start. Before the server refused such writes, any editor could store a
 * schemaVersion; a map stuck with a bad one would be unopenable for good, so a value that is
 * not a version, or a newer one the records do not bear out, gives way to the version the
 * records show. A newer number stands when the document holds something this version cannot
 * read: then a newer Waymark wrote it, and editing it here could lose that.
 */
function startingVersion(doc: Y.Doc): StartingVersion {
  const stored = topLevelMap(doc, 'meta').get('schemaVersion');
  if (stored === undefined) return { version: LEGACY_SCHEMA_VERSION };
  if (!Number.isInteger(stored) || (stored as number) < 1) {
    return { version: schemaVersionShownByRecords(doc), replaces: stored };
  }
  const version = stored as number;
  if (version <= SCHEMA_VERSION) return { version };
  if (holdsWhatThisVersionCannotRead(doc)) throw new NewerSchemaError(version);
  return { version: schemaVersionShownByRecords(doc), replaces: stored };
}

/**
 * Brings the document to SCHEMA_VERSION. A current document is left untouched (running it
 * twice is a no-op), and so is an empty one: there is nothing to migrate before
 * createMapFromTemplate has run. A stored version that the records do not bear out is first
 * replaced, in its own transaction, by the version they show (see startingVersion), so every
 * step leaves a version that matches the records.
 */
export function migrateDoc(doc: Y.Doc): MigrationResult {
  if (isEmptyDocument(doc)) return { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] };
  const start = startingVersion(doc);
  const from = start.version;
  let version = from;
  const applied: string[] = [];
  let repaired: MigrationResult['repaired'];
  if ('replaces' in start) {
    doc.transact(() => topLevelMap(doc, 'meta').set('schemaVersion', from), migrationOrigin(REPAIR_SCHEMA_VERSION));
    applied.push(REPAIR_SCHEMA_VERSION);
    repaired = { stored: describeStoredValue(start.replaces) };
  }
  for (const migration of MIGRATIONS) {
    if (migration.from !== version) continue;
    doc.transact(() => {
      migration.up(doc);
      topLevelMap(doc, 'meta').set('schemaVersion', migration.to);
    }, migrationOrigin(migration.id));
    applied.push(migration.id);
    version = migration.to;
  }
  if (version !== SCHEMA_VERSION) {
    throw new Error(`no migration path from schema version ${version} to ${SCHEMA_VERSION}`);
  }
  return repaired ? { from, to: version, applied, repaired } : { from, to: version, applied };
}
