import * as Y from 'yjs';
import { TOP_LEVEL_KEYS, topLevelMap } from './doc-keys.js';
import { migrationOrigin } from './origin.js';
import { upgradeCardFromV1 } from './records/card.js';
import { upgradeLaneFromV1 } from './records/lane.js';
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
    super(
      `document schema version ${documentVersion} is newer than this Waymark supports (${supportedVersion})`,
    );
  }
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  /** Ids of the migrations that ran, in order; empty when the document was current. */
  readonly applied: readonly string[];
}

function isEmptyDocument(doc: Y.Doc): boolean {
  return TOP_LEVEL_KEYS.every((key) => topLevelMap(doc, key).size === 0);
}

/**
 * The stored schema version: missing means v1. Unlike the readers this throws on a
 * malformed value, because guessing the version of a document could corrupt it.
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

/**
 * Brings the document to SCHEMA_VERSION. A current document is left untouched (running it
 * twice is a no-op), and so is an empty one: there is nothing to migrate before
 * createMapFromTemplate has run.
 */
export function migrateDoc(doc: Y.Doc): MigrationResult {
  if (isEmptyDocument(doc)) return { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] };
  const from = storedSchemaVersion(doc);
  if (from > SCHEMA_VERSION) throw new NewerSchemaError(from);
  let version = from;
  const applied: string[] = [];
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
  return { from, to: version, applied };
}
