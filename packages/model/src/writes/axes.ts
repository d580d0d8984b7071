import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Origin } from '../origin.js';
import { orderForPlacement, type Placement } from '../placement.js';
import { checkName } from '../records/fields.js';
import { existingRecord, transactAs } from './transaction.js';

/**
 * What stages (columns) and lanes (rows) share: the map's two axes. Each is an ordered record
 * with a name, and deleting one takes the cards in it along.
 */
export interface Axis {
  readonly collection: 'stages' | 'lanes';
  /** The field that names it: a stage's `name`, a lane's `title`. */
  readonly nameField: 'name' | 'title';
  /** The card field that places a card on this axis. */
  readonly cardField: 'stageId' | 'laneId';
  /** Singular, for messages ("a stage cannot be placed relative to itself"). */
  readonly noun: 'stage' | 'lane';
  /** The valid records in order, to place among. */
  readonly read: (doc: Y.Doc) => readonly { readonly id: string; readonly order: string }[];
}

export function renameOnAxis(axis: Axis, doc: Y.Doc, id: string, name: string, what: string, origin?: Origin): void {
  const record = existingRecord(doc, axis.collection, id, what);
  const checked = checkName(name, `${what}: ${axis.nameField}`);
  transactAs(doc, origin, () => record.set(axis.nameField, checked));
}

/** Writes only the record's `order`, so concurrent moves never duplicate it. */
export function moveOnAxis(axis: Axis, doc: Y.Doc, id: string, placement: Placement, what: string, origin?: Origin): void {
  const record = existingRecord(doc, axis.collection, id, what);
  if (placement.after === id || placement.before === id) throw new Error(`${what}: a ${axis.noun} cannot be placed relative to itself`);
  const siblings = axis.read(doc).filter((sibling) => sibling.id !== id);
  const order = orderForPlacement(siblings, placement, what);
  transactAs(doc, origin, () => record.set('order', order));
}

/**
 * Deletes the record, every card in it and whatever `alongside` deletes too, in one transaction,
 * so no peer ever sees cards without their column or row.
 */
export function deleteOnAxis(axis: Axis, doc: Y.Doc, id: string, what: string, origin?: Origin, alongside: () => void = () => {}): void {
  existingRecord(doc, axis.collection, id, what);
  transactAs(doc, origin, () => {
    const cards = topLevelMap(doc, 'cards');
    for (const [cardId, card] of [...cards.entries()]) {
      if (card instanceof Y.Map && card.get(axis.cardField) === id) cards.delete(cardId);
    }
    alongside();
    topLevelMap(doc, axis.collection).delete(id);
  });
}
