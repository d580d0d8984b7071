/**
 * Writes Yjs updates (format v1) holding only tombstones: items whose content is gone (they keep
 * their place: id, neighbours, parent) and garbage-collected ranges, plus deleted ranges. This is
 * what a refused update turns into, so the clock ranges its sender used stay accounted for while
 * nothing of what it carried is kept. The layout mirrors update-reader.ts.
 */
import * as encoding from 'lib0/encoding';
import type { DeletedRange, StructId } from './update-reader.js';

export type Tombstone =
  | {
      readonly kind: 'item';
      readonly id: StructId;
      readonly length: number;
      readonly origin: StructId | null;
      readonly rightOrigin: StructId | null;
      readonly parent: string | StructId | null;
      readonly parentSub: string | null;
    }
  | { readonly kind: 'gc'; readonly id: StructId; readonly length: number };

const CONTENT_DELETED = 1;
const STRUCT_GC = 0;

/**
 * Each client's tombstones must be contiguous and in clock order, as Yjs reads one start clock per
 * client and counts on from it.
 */
export function writeTombstoneUpdate(tombstones: readonly Tombstone[], deletes: readonly DeletedRange[]): Uint8Array {
  const encoder = encoding.createEncoder();
  const byClient = new Map<number, Tombstone[]>();
  for (const tombstone of tombstones) {
    const list = byClient.get(tombstone.id.client);
    if (list) list.push(tombstone);
    else byClient.set(tombstone.id.client, [tombstone]);
  }
  encoding.writeVarUint(encoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder, list.length);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, list[0]!.id.clock);
    for (const tombstone of list) writeTombstone(encoder, tombstone);
  }
  const deletesByClient = new Map<number, DeletedRange[]>();
  for (const range of deletes) {
    const list = deletesByClient.get(range.client);
    if (list) list.push(range);
    else deletesByClient.set(range.client, [range]);
  }
  encoding.writeVarUint(encoder, deletesByClient.size);
  for (const [client, ranges] of deletesByClient) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, ranges.length);
    for (const { clock, length } of ranges) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, length);
    }
  }
  return encoding.toUint8Array(encoder);
}

function writeTombstone(encoder: encoding.Encoder, tombstone: Tombstone): void {
  if (tombstone.kind === 'gc') {
    encoding.writeUint8(encoder, STRUCT_GC);
    encoding.writeVarUint(encoder, tombstone.length);
    return;
  }
  const { origin, rightOrigin, parent, parentSub } = tombstone;
  const parentInfo = origin === null && rightOrigin === null;
  const info =
    CONTENT_DELETED | (origin ? 0x80 : 0) | (rightOrigin ? 0x40 : 0) | (parentInfo && parentSub !== null ? 0x20 : 0);
  encoding.writeUint8(encoder, info);
  if (origin) writeId(encoder, origin);
  if (rightOrigin) writeId(encoder, rightOrigin);
  if (parentInfo) {
    if (typeof parent === 'string') {
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarString(encoder, parent);
    } else {
      if (parent === null) throw new Error('a tombstone without neighbours needs its parent');
      encoding.writeVarUint(encoder, 0);
      writeId(encoder, parent);
    }
    if (parentSub !== null) encoding.writeVarString(encoder, parentSub);
  }
  encoding.writeVarUint(encoder, tombstone.length);
}

function writeId(encoder: encoding.Encoder, id: StructId): void {
  encoding.writeVarUint(encoder, id.client);
  encoding.writeVarUint(encoder, id.clock);
}
