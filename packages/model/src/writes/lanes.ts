import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { newId } from '../ids.js';
import type { Origin } from '../origin.js';
import { orderForPlacement, type Placement } from '../placement.js';
import { checkName } from '../records/fields.js';
import { checkLaneKind, readLanes, type LaneKind } from '../records/lane.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export interface LaneInput {
  readonly title: string;
  readonly kind: LaneKind;
  /** Lane id to insert after; null = first; omitted = last. */
  readonly after?: string | null;
}

export function addLane(doc: Y.Doc, input: LaneInput, origin?: Origin): string {
  const title = checkName(input.title, 'addLane: title');
  const kind = checkLaneKind(input.kind, 'addLane');
  const order = orderForPlacement(readLanes(doc), { after: input.after }, 'addLane');
  const id = newId();
  transactAs(doc, origin, () => {
    insertRecord(doc, 'lanes', id, { title, kind, order });
  });
  return id;
}

export function renameLane(doc: Y.Doc, id: string, title: string, origin?: Origin): void {
  const record = existingRecord(doc, 'lanes', id, 'renameLane');
  const checked = checkName(title, 'renameLane: title');
  transactAs(doc, origin, () => record.set('title', checked));
}

/** Writes only the lane's `order`. */
export function moveLane(doc: Y.Doc, id: string, placement: Placement, origin?: Origin): void {
  const record = existingRecord(doc, 'lanes', id, 'moveLane');
  if (placement.after === id || placement.before === id) {
    throw new Error('moveLane: a lane cannot be placed relative to itself');
  }
  const siblings = readLanes(doc).filter((lane) => lane.id !== id);
  const order = orderForPlacement(siblings, placement, 'moveLane');
  transactAs(doc, origin, () => record.set('order', order));
}

/** Deletes the lane and every card in it, in one transaction. */
export function deleteLane(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'lanes', id, 'deleteLane');
  transactAs(doc, origin, () => {
    const cards = topLevelMap(doc, 'cards');
    for (const [cardId, card] of [...cards.entries()]) {
      if (card instanceof Y.Map && card.get('laneId') === id) cards.delete(cardId);
    }
    topLevelMap(doc, 'lanes').delete(id);
  });
}
