import * as Y from 'yjs';
import { topLevelMap } from './doc-keys.js';
import { isValidId } from './ids.js';
import { SCHEMA_VERSION } from './migrations.js';
import { sharedCardText } from './records/card.js';
import { COMMENT_TARGET_COLLECTIONS, type CommentTargetKind } from './records/comment.js';
import { isPlainObject } from './records/fields.js';
import { metricValueProblem } from './records/metric.js';
import { parseEmotionKey } from './records/emotion.js';
import { replaceText } from './text-diff.js';
import {
  EDITABLE_META_FIELDS,
  emotionProblem,
  metaFieldProblem,
  RECORD_COLLECTIONS,
  recordFieldNames,
  recordFieldProblem,
  REQUIRED_FIELDS,
  SERVER_OWNED_META,
  type RecordCollectionKey,
  type WrittenValue,
} from './write-schema.js';

/**
 * A whole map as plain JSON: every record of every collection with every field the model knows,
 * card text as strings, stage metrics as objects, and the emotion scores. What the JSON export
 * holds, what a version's content is read as, and what an import or a restore writes back; an
 * export imported into an empty document exports equal again.
 */
export interface MapExport {
  readonly format: typeof EXPORT_FORMAT;
  readonly formatVersion: 1;
  /** title, goal, scope, and the server's schemaVersion, createdAt and template. */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly stages: Readonly<Record<string, ExportedRecord>>;
  readonly lanes: Readonly<Record<string, ExportedRecord>>;
  readonly personas: Readonly<Record<string, ExportedRecord>>;
  readonly cards: Readonly<Record<string, ExportedRecord>>;
  /** The action plan (absent from files exported before maps had one). */
  readonly actions?: Readonly<Record<string, ExportedRecord>>;
  /** Comment threads on cards, stages and actions (absent from files exported before maps had them). */
  readonly comments?: Readonly<Record<string, ExportedRecord>>;
  /** Customer data: measurements per stage (absent from files exported before maps had them). */
  readonly metrics?: Readonly<Record<string, ExportedRecord>>;
  /** Emotion key (`persona:stage`, or `persona:stage:participant`) → score. */
  readonly emotions: Readonly<Record<string, number>>;
}

export type ExportedRecord = Readonly<Record<string, unknown>>;

export const EXPORT_FORMAT = 'waymark-map';

/** Collections that files exported by older versions do not have. */
const LATER_COLLECTIONS: ReadonlySet<RecordCollectionKey> = new Set(['actions', 'comments', 'metrics']);

/** Fields held as shared text: plain strings in an export. */
const TEXT_FIELDS: Readonly<Partial<Record<RecordCollectionKey, readonly string[]>>> = { cards: ['text'] };

/** Fields held as nested maps (one key each, so people editing different keys keep both): objects in an export. */
const MAP_FIELDS: Readonly<Partial<Record<RecordCollectionKey, readonly string[]>>> = { stages: ['metrics'] };

const isTextField = (collection: RecordCollectionKey, field: string) => TEXT_FIELDS[collection]?.includes(field) ?? false;
const isMapField = (collection: RecordCollectionKey, field: string) => MAP_FIELDS[collection]?.includes(field) ?? false;

/** A field's value as plain JSON: text as a string, a nested map as an object. */
function plain(value: unknown): unknown {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.Map) return value.toJSON();
  return value;
}

/** The map in `doc` as plain JSON (records the readers would skip are left out: they are not part of the map). */
export function exportMap(doc: Y.Doc): MapExport {
  const meta = topLevelMap(doc, 'meta');
  const collection = (key: RecordCollectionKey) => {
    const records: [string, ExportedRecord][] = [];
    const fields = recordFieldNames(key);
    for (const [id, record] of topLevelMap(doc, key)) {
      if (!isValidId(id) || !(record instanceof Y.Map)) continue;
      const map = record as Y.Map<unknown>;
      if (REQUIRED_FIELDS[key].some((field) => !map.has(field))) continue;
      records.push([id, Object.fromEntries(fields.filter((field) => map.has(field)).map((field) => [field, plain(map.get(field))]))]);
    }
    records.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(records);
  };
  const emotions: [string, number][] = [];
  for (const [key, score] of topLevelMap(doc, 'emotions')) {
    if (typeof score === 'number' && parseEmotionKey(key)) emotions.push([key, score]);
  }
  emotions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const metaFields = [...EDITABLE_META_FIELDS, ...SERVER_OWNED_META].filter((field) => meta.has(field));
  return {
    format: EXPORT_FORMAT,
    formatVersion: 1,
    meta: Object.fromEntries(metaFields.map((field) => [field, meta.get(field)])),
    stages: collection('stages'),
    lanes: collection('lanes'),
    personas: collection('personas'),
    cards: collection('cards'),
    actions: collection('actions'),
    comments: collection('comments'),
    metrics: collection('metrics'),
    emotions: Object.fromEntries(emotions),
  };
}

/** Why an export cannot be read back: where in the file, and what was expected there. */
export class MapImportError extends Error {
  constructor(
    /** Where in the file, e.g. `cards.c1.order`. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'MapImportError';
  }
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function entriesOf(value: unknown, path: string): [string, unknown][] {
  if (!isPlainObject(value)) throw new MapImportError(path, 'expected an object');
  return Object.entries(value);
}

function written(collection: RecordCollectionKey, field: string, value: unknown): WrittenValue {
  if (isTextField(collection, field)) return typeof value === 'string' ? { kind: 'text' } : { kind: 'value', value };
  return { kind: 'value', value };
}

/**
 * Checks `data` as a map export; throws a MapImportError naming the first place that is wrong.
 * Every record needs its required fields, every field the value the write schema expects, and
 * every reference (a card's stage, lane and personas, an emotion's persona and stage) a record
 * of the same export.
 */
export function checkMapExport(data: unknown): MapExport {
  if (!isPlainObject(data)) throw new MapImportError('(file)', 'expected a JSON object, a Waymark map export');
  if (data['format'] !== EXPORT_FORMAT) throw new MapImportError('format', `expected "${EXPORT_FORMAT}": this is not a Waymark map export`);
  if (data['formatVersion'] !== 1)
    throw new MapImportError('formatVersion', 'expected 1 (a newer Waymark wrote this file; upgrade this server)');
  const meta = entriesOf(data['meta'], 'meta');
  for (const [field, value] of meta) {
    if (field === 'schemaVersion') {
      if (!Number.isInteger(value) || (value as number) < 1)
        throw new MapImportError('meta.schemaVersion', 'expected a whole number from 1');
      if ((value as number) > SCHEMA_VERSION) {
        throw new MapImportError(
          'meta.schemaVersion',
          `this file was exported by a newer Waymark (schema ${value}, this server knows ${SCHEMA_VERSION}); upgrade the server`,
        );
      }
      continue;
    }
    if (field === 'createdAt' || field === 'template') continue;
    const problem = metaFieldProblem(field, { kind: 'value', value });
    if (problem) throw new MapImportError(`meta.${field}`, problem);
  }
  if (!meta.some(([field]) => field === 'title')) throw new MapImportError('meta.title', 'missing; every map has a title');
  const ids: Record<RecordCollectionKey, Set<string>> = {
    stages: new Set(),
    lanes: new Set(),
    personas: new Set(),
    cards: new Set(),
    actions: new Set(),
    comments: new Set(),
    metrics: new Set(),
  };
  for (const collection of RECORD_COLLECTIONS) {
    // Files exported before maps had an action plan, comments or customer data have none.
    if (LATER_COLLECTIONS.has(collection) && data[collection] === undefined) continue;
    for (const [id, record] of entriesOf(data[collection], collection)) {
      const at = `${collection}.${id}`;
      if (!isValidId(id) || RESERVED_KEYS.has(id)) throw new MapImportError(at, 'expected a record id (letters, digits, - and _)');
      const fields = entriesOf(record, at);
      for (const required of REQUIRED_FIELDS[collection]) {
        if (!fields.some(([field]) => field === required))
          throw new MapImportError(`${at}.${required}`, 'missing; every record of this kind has it');
      }
      for (const [field, value] of fields) {
        const problem = recordFieldProblem(collection, field, written(collection, field, value));
        if (problem) throw new MapImportError(`${at}.${field}`, problem);
      }
      ids[collection].add(id);
    }
  }
  const refers = (at: string, collection: RecordCollectionKey, id: unknown) => {
    if (typeof id !== 'string' || !ids[collection].has(id))
      throw new MapImportError(at, `refers to ${JSON.stringify(id)}, which is not among the ${collection} of this file`);
  };
  for (const [id, record] of Object.entries(data['cards'] as Record<string, Record<string, unknown>>)) {
    refers(`cards.${id}.stageId`, 'stages', record['stageId']);
    refers(`cards.${id}.laneId`, 'lanes', record['laneId']);
    const personaIds = record['personaIds'];
    if (Array.isArray(personaIds))
      personaIds.forEach((personaId, index) => refers(`cards.${id}.personaIds[${index}]`, 'personas', personaId));
  }
  for (const [id, record] of Object.entries((data['actions'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const cardIds = record['cardIds'];
    if (Array.isArray(cardIds)) cardIds.forEach((cardId, index) => refers(`actions.${id}.cardIds[${index}]`, 'cards', cardId));
  }
  for (const [id, record] of Object.entries((data['comments'] ?? {}) as Record<string, Record<string, unknown>>)) {
    const kind = record['targetKind'] as CommentTargetKind;
    refers(`comments.${id}.targetId`, COMMENT_TARGET_COLLECTIONS[kind], record['targetId']);
    if (record['replyTo'] !== '') refers(`comments.${id}.replyTo`, 'comments', record['replyTo']);
  }
  for (const [id, record] of Object.entries((data['metrics'] ?? {}) as Record<string, Record<string, unknown>>)) {
    refers(`metrics.${id}.stageId`, 'stages', record['stageId']);
    if (record['personaId'] !== undefined && record['personaId'] !== '') refers(`metrics.${id}.personaId`, 'personas', record['personaId']);
    const problem = metricValueProblem(String(record['name']), record['value']);
    if (problem) throw new MapImportError(`metrics.${id}.value`, problem);
  }
  for (const [key, score] of entriesOf(data['emotions'], 'emotions')) {
    const problem = emotionProblem(key, { kind: 'value', value: score });
    if (problem) throw new MapImportError(`emotions.${key}`, problem);
    const parsed = parseEmotionKey(key)!;
    refers(`emotions.${key}`, 'personas', parsed.personaId);
    refers(`emotions.${key}`, 'stages', parsed.stageId);
  }
  return data as unknown as MapExport;
}

function newRecord(collection: RecordCollectionKey, record: ExportedRecord): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [field, value] of Object.entries(record)) map.set(field, fieldValue(collection, field, value));
  return map;
}

function fieldValue(collection: RecordCollectionKey, field: string, value: unknown): unknown {
  if (isTextField(collection, field)) return new Y.Text(String(value));
  if (isMapField(collection, field) && isPlainObject(value)) return new Y.Map(Object.entries(value));
  return value;
}

/** Makes a nested map hold exactly `value`'s keys, touching only the keys that differ. */
function syncNestedMap(map: Y.Map<unknown>, value: Record<string, unknown>): void {
  for (const key of [...map.keys()]) if (!Object.hasOwn(value, key)) map.delete(key);
  for (const [key, next] of Object.entries(value)) if (!sameJson(map.get(key), next)) map.set(key, next);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes the map in `doc` equal to `target`, as one change in one transaction (origin `origin`):
 * records and emotion scores not in `target` are deleted, missing ones made, changed fields set,
 * and card text edited by its changed middle only. The server-owned meta (schema version,
 * creation time, template) stays as it is. Used for a restore (target: a version) and to fill an
 * empty document from an import (after `checkMapExport`).
 */
export function writeMapState(doc: Y.Doc, target: MapExport, origin: unknown): void {
  Y.transact(
    doc,
    () => {
      const meta = topLevelMap(doc, 'meta');
      for (const field of EDITABLE_META_FIELDS) {
        const next = target.meta[field];
        if (next === undefined) meta.delete(field);
        else if (meta.get(field) !== next) meta.set(field, next);
      }
      for (const collection of RECORD_COLLECTIONS) {
        const records = topLevelMap(doc, collection);
        const wanted = target[collection] ?? {};
        for (const id of [...records.keys()]) if (!Object.hasOwn(wanted, id)) records.delete(id);
        for (const [id, record] of Object.entries(wanted)) {
          const current = records.get(id);
          if (!(current instanceof Y.Map)) {
            records.set(id, newRecord(collection, record));
            continue;
          }
          const map = current as Y.Map<unknown>;
          for (const field of [...map.keys()]) if (!Object.hasOwn(record, field)) map.delete(field);
          for (const [field, value] of Object.entries(record)) {
            const now = map.get(field);
            if (isTextField(collection, field)) {
              const text = sharedCardText(map);
              if (text.toString() !== value) replaceText(text, String(value));
            } else if (isMapField(collection, field) && now instanceof Y.Map && isPlainObject(value)) {
              syncNestedMap(now as Y.Map<unknown>, value);
            } else if (!sameJson(plain(now), value)) {
              map.set(field, fieldValue(collection, field, value));
            }
          }
        }
      }
      const emotions = topLevelMap(doc, 'emotions');
      for (const key of [...emotions.keys()]) if (!Object.hasOwn(target.emotions, key)) emotions.delete(key);
      for (const [key, score] of Object.entries(target.emotions)) if (emotions.get(key) !== score) emotions.set(key, score);
    },
    origin,
  );
}
