import * as Y from 'yjs';
import { recordMap, topLevelMap, type TopLevelKey } from '../doc-keys.js';
import { defaultLocalOrigin, type Origin } from '../origin.js';

/**
 * Every write function validates its input first (throwing before anything changes) and
 * then makes all its changes in this one transaction, tagged with the caller's origin.
 */
export function transactAs(doc: Y.Doc, origin: Origin | undefined, change: () => void): void {
  doc.transact(change, origin ?? defaultLocalOrigin);
}

/**
 * Adds a record Y.Map under `id` and fills it. The map is attached first and filled after,
 * inside the caller's transaction, so nested Y types (text, metrics) integrate normally.
 */
export function insertRecord(doc: Y.Doc, key: TopLevelKey, id: string, fields: Readonly<Record<string, unknown>>): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  topLevelMap(doc, key).set(id, record);
  for (const [field, value] of Object.entries(fields)) {
    if (value !== undefined) record.set(field, value);
  }
  return record;
}

/** The stored Y.Map of a record, valid or not; throws the caller's message when absent. */
export function existingRecord(doc: Y.Doc, key: TopLevelKey, id: string, what: string): Y.Map<unknown> {
  const record = recordMap(doc, key, id);
  if (record === undefined) throw new Error(`${what}: unknown ${key.replace(/s$/, '')} "${id}"`);
  return record;
}
