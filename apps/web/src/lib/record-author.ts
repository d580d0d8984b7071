import { entryWriter, topLevelMap, holderOf } from '@waymark/model';
import * as Y from 'yjs';

/**
 * Whether the record stored under `id` in `collection` was inserted by `doc` as it is now: its
 * Yjs item carries this document's client id. The server lets a participant delete only cards
 * its own client created, and decides that the same way, so a card made before a reload (a new
 * Y.Doc, a new client id) counts as someone else's.
 *
 * The inserting client is read through the model's Yjs adapter (yjs-adapter.ts), which pins it.
 */
export function insertedByThisDoc(doc: Y.Doc, collection: 'cards' | 'stages' | 'lanes' | 'personas', id: string): boolean {
  const record = topLevelMap(doc, collection).get(id);
  return record instanceof Y.Map && holderOf(record)?.id.client === doc.clientID;
}

/**
 * Whether the emotion entry under `key` was last written by `doc` as it is now. The server lets a
 * participant change only the ratings its own client wrote, so one given before a reload stays.
 */
export function emotionWrittenByThisDoc(doc: Y.Doc, key: string): boolean {
  return entryWriter(topLevelMap(doc, 'emotions'), key) === doc.clientID;
}
