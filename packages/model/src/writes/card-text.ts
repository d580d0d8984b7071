import type * as Y from 'yjs';
import type { Origin } from '../origin.js';
import { sharedCardText } from '../records/card.js';
import type { TextSplice } from '../text-edit.js';
import { existingRecord, transactAs } from './transaction.js';

/**
 * One edit typed into a card, applied where it was typed. Concurrent typing elsewhere in
 * the note merges letter by letter; a splice that no longer fits (the text got shorter
 * meanwhile) is clamped rather than rejected, since the typist cannot redo it.
 */
export function spliceCardText(doc: Y.Doc, id: string, splice: TextSplice, origin?: Origin): void {
  const record = existingRecord(doc, 'cards', id, 'spliceCardText');
  if (!Number.isInteger(splice.index) || splice.index < 0) {
    throw new Error('spliceCardText: index must be a non-negative integer');
  }
  if (!Number.isInteger(splice.remove) || splice.remove < 0) {
    throw new Error('spliceCardText: remove must be a non-negative integer');
  }
  if (typeof splice.insert !== 'string') throw new Error('spliceCardText: insert must be a string');
  transactAs(doc, origin, () => {
    const target = sharedCardText(record);
    const index = Math.min(splice.index, target.length);
    const remove = Math.min(splice.remove, target.length - index);
    if (remove > 0) target.delete(index, remove);
    if (splice.insert !== '') target.insert(index, splice.insert);
  });
}
