import type * as Y from 'yjs';
import { newId } from '../ids.js';
import type { Origin } from '../origin.js';
import { orderForPlacement, type Placement } from '../placement.js';
import { checkName } from '../records/fields.js';
import { checkLaneKind, readLanes, type LaneKind } from '../records/lane.js';
import { deleteOnAxis, moveOnAxis, renameOnAxis, type Axis } from './axes.js';
import { insertRecord, transactAs } from './transaction.js';

const LANES: Axis = { collection: 'lanes', nameField: 'title', cardField: 'laneId', noun: 'lane', read: readLanes };

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
  renameOnAxis(LANES, doc, id, title, 'renameLane', origin);
}

/** Writes only the lane's `order`. */
export function moveLane(doc: Y.Doc, id: string, placement: Placement, origin?: Origin): void {
  moveOnAxis(LANES, doc, id, placement, 'moveLane', origin);
}

/** Deletes the lane and every card in it, in one transaction. */
export function deleteLane(doc: Y.Doc, id: string, origin?: Origin): void {
  deleteOnAxis(LANES, doc, id, 'deleteLane', origin);
}
