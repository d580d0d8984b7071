/**
 * Writes Yjs updates (format v1) from the records update-reader.ts reads, for what the room
 * rewrites: a refused update turns into tombstones (items whose content is gone but which keep
 * their place: id, neighbours, parent) and collected ranges, so the clock ranges its sender used
 * stay accounted for while nothing of what it carried is kept; the accepted part of a partly
 * refused one keeps its content. Only the content kinds the model writes can be written.
 */
import * as encoding from 'lib0/encoding';
import type { DeletedRange, ItemContent, ItemStruct, StructId } from './update-reader.js';

/** A struct to write: an item as read (its content absent for a tombstone), or a collected range. */
export type WrittenStruct =
  | (Omit<ItemStruct, 'content'> & { readonly content?: ItemContent })
  | { readonly kind: 'gc'; readonly id: StructId; readonly length: number };

const ContentRef = { deleted: 1, string: 4, type: 7, any: 8 } as const;
const STRUCT_GC = 0;

/**
 * Each client's structs must be contiguous and in clock order, as Yjs reads one start clock per
 * client and counts on from it.
 */
export function writeUpdate(structs: readonly WrittenStruct[], deletes: readonly DeletedRange[]): Uint8Array {
  const encoder = encoding.createEncoder();
  const byClient = new Map<number, WrittenStruct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  encoding.writeVarUint(encoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(encoder, list.length);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, list[0]!.id.clock);
    for (const struct of list) writeStruct(encoder, struct);
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

function writeStruct(encoder: encoding.Encoder, struct: WrittenStruct): void {
  if (struct.kind === 'gc') {
    encoding.writeUint8(encoder, STRUCT_GC);
    encoding.writeVarUint(encoder, struct.length);
    return;
  }
  const { origin, rightOrigin, parent, parentSub, content } = struct;
  const parentInfo = origin === null && rightOrigin === null;
  const ref = content ? ContentRef[writableKind(content)] : ContentRef.deleted;
  const info = ref | (origin ? 0x80 : 0) | (rightOrigin ? 0x40 : 0) | (parentInfo && parentSub !== null ? 0x20 : 0);
  encoding.writeUint8(encoder, info);
  if (origin) writeId(encoder, origin);
  if (rightOrigin) writeId(encoder, rightOrigin);
  if (parentInfo) {
    if (typeof parent === 'string') {
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarString(encoder, parent);
    } else {
      if (parent === null) throw new Error('an item without neighbours needs its parent');
      encoding.writeVarUint(encoder, 0);
      writeId(encoder, parent);
    }
    if (parentSub !== null) encoding.writeVarString(encoder, parentSub);
  }
  if (!content || content.kind === 'deleted') encoding.writeVarUint(encoder, struct.length);
  else if (content.kind === 'string') encoding.writeVarString(encoder, content.text);
  else if (content.kind === 'type') encoding.writeVarUint(encoder, content.typeRef);
  else if (content.kind === 'any') {
    encoding.writeVarUint(encoder, content.values.length);
    for (const value of content.values) encoding.writeAny(encoder, value as encoding.AnyEncodable);
  }
}

function writableKind(content: ItemContent): keyof typeof ContentRef {
  if (content.kind === 'type' && content.typeRef !== 0 && content.typeRef !== 1 && content.typeRef !== 2) {
    throw new Error('only lists, maps and text can be written');
  }
  if (content.kind === 'deleted' || content.kind === 'string' || content.kind === 'type' || content.kind === 'any') return content.kind;
  throw new Error(`${content.kind} content cannot be written`);
}

function writeId(encoder: encoding.Encoder, id: StructId): void {
  encoding.writeVarUint(encoder, id.client);
  encoding.writeVarUint(encoder, id.clock);
}
