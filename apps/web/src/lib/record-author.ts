import { topLevelMap, holderOf } from '@waymark/model';
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
