import { holderOf, topLevelNameOf } from '@waymark/model';
import * as Y from 'yjs';
import type { ItemStruct, ReadUpdate, Struct, StructId } from '../sync/update-reader.js';

/**
 * Where a struct lands in a map document: the top-level type, the chain of map keys below it, and
 * whether it is one element of a list or text there. `keys` holds `[]` for a level that is a list
 * element (the model has none; anything found there is outside it).
 */
export interface Location {
  readonly top: string;
  readonly keys: readonly string[];
  readonly element: boolean;
  /** The items holding each shared type on the way down, outermost first (a record is the first). */
  readonly holders: readonly Holder[];
}

export interface Holder {
  readonly id: StructId;
  /** Whether the holder arrives in this same update. */
  readonly isNew: boolean;
}

/** `null`: the struct lands in content already collected (a deleted parent): nowhere anyone sees. */
export type Where = Location | null;

export const LIST_ELEMENT = '[]';

export class CyclicUpdateError extends Error {
  constructor() {
    super('the update’s structs refer to each other in a circle');
    this.name = 'CyclicUpdateError';
  }
}

/**
 * Works out where each new struct of an update lands, from the document's structs and the
 * update's own, without applying anything. Follows Yjs's integration rules: an item sent with
 * neighbours takes its parent and key from the left one (or the right one), an item whose
 * neighbour or parent has been collected is collected too.
 */
export class UpdateLocator {
  readonly #byClient = new Map<number, Struct[]>();
  readonly #located = new Map<Struct, Where>();

  constructor(
    readonly doc: Y.Doc,
    update: ReadUpdate,
  ) {
    for (const struct of update.structs) {
      const list = this.#byClient.get(struct.id.client);
      if (list) list.push(struct);
      else this.#byClient.set(struct.id.client, [struct]);
    }
  }

  /** Whether `id` is already in the document (rather than arriving with the update). */
  isStored(id: StructId): boolean {
    return id.clock < Y.getState(this.doc.store, id.client);
  }

  /** The clock up to which a client's changes are in the document. */
  storedUpTo(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  /** The struct of this update that holds `id`, if any. */
  newStruct(id: StructId): Struct | undefined {
    const list = this.#byClient.get(id.client);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle]!;
      if (id.clock < struct.id.clock) high = middle - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return undefined;
  }

  /** Where a stored item is (deleted or not); null for a collected range. */
  locateStored(struct: Y.Item | Y.GC): Where {
    if (!(struct instanceof Y.Item)) return null;
    const keys: string[] = [];
    const holders: Holder[] = [];
    const element = struct.parentSub === null;
    if (struct.parentSub !== null) keys.push(struct.parentSub);
    let type = struct.parent;
    while (type instanceof Y.AbstractType && holderOf(type) !== null) {
      const holder = holderOf(type)!;
      holders.push({ id: holder.id, isNew: false });
      keys.push(holder.parentSub ?? LIST_ELEMENT);
      type = holder.parent;
    }
    if (!(type instanceof Y.AbstractType)) return null;
    const top = topLevelName(this.doc, type);
    if (top === undefined) return null;
    return { top, keys: keys.reverse(), element, holders: holders.reverse() };
  }

  /** Where a struct of this update lands. */
  locate(start: ItemStruct): Where {
    const known = this.#located.get(start);
    if (known !== undefined) return known;
    // Iterative, not recursive: a hostile update can chain thousands of structs.
    const stack: ItemStruct[] = [start];
    const pending = new Set<ItemStruct>([start]);
    while (stack.length > 0) {
      const struct = stack[stack.length - 1]!;
      const step = this.#step(struct);
      if (step.kind === 'done') {
        this.#located.set(struct, step.where);
        pending.delete(struct);
        stack.pop();
      } else if (pending.has(step.on)) {
        throw new CyclicUpdateError();
      } else {
        pending.add(step.on);
        stack.push(step.on);
      }
    }
    return this.#located.get(start)!;
  }

  /** One struct's location, or the struct of this update it depends on. */
  #step(struct: ItemStruct): { kind: 'done'; where: Where } | { kind: 'needs'; on: ItemStruct } {
    const { parent, parentSub } = struct;
    if (typeof parent === 'string') {
      return {
        kind: 'done',
        where: { top: parent, keys: parentSub === null ? [] : [parentSub], element: parentSub === null, holders: [] },
      };
    }
    if (parent !== null) {
      if (this.isStored(parent)) {
        const holder = Y.getItem(this.doc.store, Y.createID(parent.client, parent.clock));
        if (!(holder instanceof Y.Item) || !(holder.content instanceof Y.ContentType)) return { kind: 'done', where: null };
        return { kind: 'done', where: child(this.locateStored(holder), { id: parent, isNew: false }, parentSub) };
      }
      const holder = this.newStruct(parent);
      if (holder?.kind !== 'item' || holder.content.kind !== 'type') return { kind: 'done', where: null };
      const where = this.#located.get(holder);
      if (where === undefined) return { kind: 'needs', on: holder };
      return { kind: 'done', where: child(where, { id: parent, isNew: true }, parentSub) };
    }
    // Sent with neighbours: parent and key are the left neighbour's (else the right one's).
    const neighbours = [struct.origin, struct.rightOrigin].filter((id): id is StructId => id !== null);
    let from: Y.Item | ItemStruct | null = null;
    for (const id of neighbours) {
      if (this.isStored(id)) {
        const stored = Y.getItem(this.doc.store, Y.createID(id.client, id.clock));
        if (!(stored instanceof Y.Item)) return { kind: 'done', where: null };
        from ??= stored;
      } else {
        const fresh = this.newStruct(id);
        if (fresh?.kind !== 'item') return { kind: 'done', where: null };
        from ??= fresh;
      }
    }
    if (from === null) return { kind: 'done', where: null };
    if (from instanceof Y.Item) return { kind: 'done', where: this.locateStored(from) };
    const where = this.#located.get(from);
    if (where === undefined) return { kind: 'needs', on: from };
    return { kind: 'done', where };
  }
}

/** Where the children of a type land, given where its holder item is. */
function child(holderAt: Where, holder: Holder, parentSub: string | null): Where {
  if (holderAt === null) return null;
  const keys = holderAt.element ? [...holderAt.keys, LIST_ELEMENT] : [...holderAt.keys];
  if (parentSub !== null) keys.push(parentSub);
  return { top: holderAt.top, keys, element: parentSub === null, holders: [...holderAt.holders, holder] };
}

/**
 * The name of a top-level type. Looked up each time: asking for a top-level type as a Y.Map
 * replaces the bare type Yjs made for it, so names cannot be kept by identity.
 */
function topLevelName(doc: Y.Doc, type: Y.AbstractType<unknown>): string | undefined {
  return topLevelNameOf(doc, type);
}
