/**
 * Reads a Yjs update (format v1) into plain records, with a bound on how many parts (structs,
 * values, deleted ranges) it may hold, checked as early as the bytes allow: each client's struct
 * count and each delete-set count is checked when it is read, before anything it announces is
 * built. A frame that announces four million structs is refused after a few bytes instead of
 * being decoded into four million objects. The records carry what the room's policy needs (where
 * each struct goes, what it holds) and nothing of Yjs's own classes.
 *
 * The layout follows Yjs's `writeStructs` / `Item.write` / `writeDeleteSet` (yjs 13).
 */
import * as decoding from 'lib0/decoding';

export interface StructId {
  readonly client: number;
  readonly clock: number;
}

/** What an item holds, by Yjs content kind. Values come with their kinds that carry data. */
export type ItemContent =
  | { readonly kind: 'deleted'; readonly length: number }
  | { readonly kind: 'json'; readonly values: unknown[] }
  | { readonly kind: 'binary' }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'embed' }
  | { readonly kind: 'format' }
  | { readonly kind: 'type'; readonly typeRef: number }
  | { readonly kind: 'any'; readonly values: unknown[] }
  | { readonly kind: 'doc' };

export interface ItemStruct {
  readonly kind: 'item';
  readonly id: StructId;
  readonly length: number;
  readonly origin: StructId | null;
  readonly rightOrigin: StructId | null;
  /** A top-level type's name, the id of the item holding the parent type, or null (taken from a neighbour). */
  readonly parent: string | StructId | null;
  readonly parentSub: string | null;
  readonly content: ItemContent;
}

/** A garbage-collected range, or (`skip`) a gap the sender does not have. */
export interface RangeStruct {
  readonly kind: 'gc' | 'skip';
  readonly id: StructId;
  readonly length: number;
}

export type Struct = ItemStruct | RangeStruct;

export interface DeletedRange {
  readonly client: number;
  readonly clock: number;
  readonly length: number;
}

export interface ReadUpdate {
  /** Every struct, grouped by client in the order sent, each client's in clock order. */
  readonly structs: Struct[];
  readonly deletes: DeletedRange[];
  /** Structs, values and deleted ranges, as counted against the limit. */
  readonly parts: number;
}

/** The update is well formed but bigger than the server takes in one message. */
export class UpdateTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the change has more than ${limit} parts, the most one message may carry; it was not saved`);
    this.name = 'UpdateTooLargeError';
  }
}

/** Type references of ContentType, as Yjs numbers them. */
export const TypeRef = { array: 0, map: 1, text: 2, xmlElement: 3, xmlFragment: 4, xmlHook: 5, xmlText: 6 } as const;

const BIT6 = 0x20;
const BIT7 = 0x40;
const BIT8 = 0x80;
const BITS5 = 0x1f;

/**
 * Parses `update`, throwing UpdateTooLargeError past `maxParts` and a plain Error when the bytes
 * are malformed. Trailing bytes are an error.
 */
export function readUpdate(update: Uint8Array, maxParts: number): ReadUpdate {
  const decoder = decoding.createDecoder(update);
  const structs: Struct[] = [];
  const deletes: DeletedRange[] = [];
  let parts = 0;
  const count = (n: number) => {
    parts += n;
    if (parts > maxParts) throw new UpdateTooLargeError(maxParts);
  };
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const structCount = decoding.readVarUint(decoder);
    count(structCount);
    const client = decoding.readVarUint(decoder);
    let clock = decoding.readVarUint(decoder);
    for (let s = 0; s < structCount; s++) {
      const struct = readStruct(decoder, { client, clock });
      if (struct.kind === 'item' && (struct.content.kind === 'any' || struct.content.kind === 'json')) {
        count(struct.content.values.length);
      }
      structs.push(struct);
      clock += struct.length;
    }
  }
  const deleteClients = decoding.readVarUint(decoder);
  for (let c = 0; c < deleteClients; c++) {
    const client = decoding.readVarUint(decoder);
    const ranges = decoding.readVarUint(decoder);
    count(ranges);
    for (let r = 0; r < ranges; r++) {
      const clock = decoding.readVarUint(decoder);
      const length = decoding.readVarUint(decoder);
      if (length > 0) deletes.push({ client, clock, length });
    }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the update');
  return { structs, deletes, parts };
}

function readStruct(decoder: decoding.Decoder, id: StructId): Struct {
  const info = decoding.readUint8(decoder);
  const ref = info & BITS5;
  if (ref === 0) return { kind: 'gc', id, length: positive(decoding.readVarUint(decoder)) };
  if (ref === 10) return { kind: 'skip', id, length: positive(decoding.readVarUint(decoder)) };
  const origin = (info & BIT8) !== 0 ? readId(decoder) : null;
  const rightOrigin = (info & BIT7) !== 0 ? readId(decoder) : null;
  const parentInfoFollows = origin === null && rightOrigin === null;
  let parent: string | StructId | null = null;
  let parentSub: string | null = null;
  if (parentInfoFollows) {
    parent = decoding.readVarUint(decoder) === 1 ? decoding.readVarString(decoder) : readId(decoder);
    if ((info & BIT6) !== 0) parentSub = decoding.readVarString(decoder);
  }
  const content = readContent(decoder, ref);
  return { kind: 'item', id, length: contentLength(content), origin, rightOrigin, parent, parentSub, content };
}

const readId = (decoder: decoding.Decoder): StructId => ({
  client: decoding.readVarUint(decoder),
  clock: decoding.readVarUint(decoder),
});

function readContent(decoder: decoding.Decoder, ref: number): ItemContent {
  switch (ref) {
    case 1:
      return { kind: 'deleted', length: decoding.readVarUint(decoder) };
    case 2: {
      const length = decoding.readVarUint(decoder);
      const values: unknown[] = [];
      for (let i = 0; i < length; i++) {
        const text = decoding.readVarString(decoder);
        values.push(text === 'undefined' ? undefined : JSON.parse(text));
      }
      return { kind: 'json', values };
    }
    case 3:
      decoding.readVarUint8Array(decoder);
      return { kind: 'binary' };
    case 4:
      return { kind: 'string', text: decoding.readVarString(decoder) };
    case 5:
      JSON.parse(decoding.readVarString(decoder));
      return { kind: 'embed' };
    case 6:
      decoding.readVarString(decoder);
      JSON.parse(decoding.readVarString(decoder));
      return { kind: 'format' };
    case 7: {
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > TypeRef.xmlText) throw new Error(`unknown type reference ${typeRef}`);
      if (typeRef === TypeRef.xmlElement || typeRef === TypeRef.xmlHook) decoding.readVarString(decoder);
      return { kind: 'type', typeRef };
    }
    case 8: {
      const length = decoding.readVarUint(decoder);
      const values: unknown[] = [];
      for (let i = 0; i < length; i++) values.push(decoding.readAny(decoder));
      return { kind: 'any', values };
    }
    case 9:
      decoding.readVarString(decoder);
      decoding.readAny(decoder);
      return { kind: 'doc' };
    default:
      throw new Error(`unknown content reference ${ref}`);
  }
}

function contentLength(content: ItemContent): number {
  switch (content.kind) {
    case 'deleted':
      return positive(content.length);
    case 'json':
    case 'any':
      return positive(content.values.length);
    case 'string':
      return positive(content.text.length);
    default:
      return 1;
  }
}

function positive(length: number): number {
  if (length < 1) throw new Error('a struct of length 0');
  return length;
}
