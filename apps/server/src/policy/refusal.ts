import * as Y from 'yjs';
import {
  isEditableMetaField,
  isEmotionKey,
  isRecordCollection,
  isRecordField,
  RECORD_COLLECTIONS,
  type Origin,
  holderOf,
  topLevelNameOf,
  topLevelTypes,
} from '@waymark/model';
import type { DeletedRange, ItemContent, ItemStruct, ReadUpdate } from '../sync/update-reader.js';
import { writeUpdate, type WrittenStruct } from '../sync/update-writer.js';
import { groupOf, type CheckedUpdate } from './update-policy.js';
import { LIST_ELEMENT, type Location } from './locate.js';

/** What the room does with a refused update. */
export interface Undoing {
  /** The change the document took (accepted parts, tombstones, restored values), to store and relay to all; null if none. */
  readonly update: Uint8Array | null;
  /** For the sender only: deletes everything the refused parts added, in the sender's own document. */
  readonly forSender: Uint8Array;
}

/** Where a refused item keeps its place (see keepsPlace): the model's top-level maps, every record collection included. */
const MODEL_TOP_LEVEL: ReadonlySet<string> = new Set(['meta', 'emotions', ...RECORD_COLLECTIONS]);

/**
 * Takes a refused update in without the content of its refused parts, and brings its sender
 * back in line. `refused` says which groups (see groupOf) are refused: every one for a live
 * update, which is one action; only those with a refused change for a client's sync reply, which
 * holds everything it did offline, so the rest of that work is kept.
 *
 * Yjs clients number their changes without gaps, so the ranges the sender used must exist on the
 * server or every later change of theirs would be refused as out of order: each refused item is
 * taken as a tombstone (its place, none of its content), or as a collected range where nobody
 * will ever write. A tombstone put in a map key still displaces the value there, as the sender's
 * own item did in its document; and the sender deleted things the server keeps. So every value
 * a refused part touched is set again, as a copy, in the same transaction: the map reads as
 * before for everyone, and the sender, who gets the new values after its own items, converges.
 */
export function undoRefused(
  doc: Y.Doc,
  update: ReadUpdate,
  checked: CheckedUpdate,
  origin: Origin,
  refused: (group: string) => boolean = () => true,
): Undoing {
  const targets = restoreTargets(doc, update, checked, refused);
  const copies = [...targets].map(({ map, key }) => {
    const value = map.get(key);
    return { map, key, value: value instanceof Y.AbstractType ? value.clone() : value };
  });
  const { structs, added } = rewrite(update, checked, refused);
  const deletes = acceptedDeletes(update, checked, refused);
  let produced: Uint8Array | null = null;
  const capture = (bytes: Uint8Array) => {
    produced = bytes;
  };
  doc.on('update', capture);
  try {
    Y.transact(
      doc,
      () => {
        if (structs.length > 0 || deletes.length > 0) Y.applyUpdate(doc, writeUpdate(structs, deletes));
        for (const { map, key, value } of copies) map.set(key, value);
      },
      origin,
    );
  } finally {
    doc.off('update', capture);
  }
  return { update: produced, forSender: writeUpdate([], added) };
}

interface Target {
  map: Y.Map<unknown>;
  key: string;
}

/** The map keys whose values the refused update deleted or displaces, outermost only. */
function restoreTargets(
  doc: Y.Doc,
  update: ReadUpdate,
  { deletions, locator }: CheckedUpdate,
  refused: (group: string) => boolean,
): Set<Target> {
  const byMap = new Map<Y.Map<unknown>, Set<string>>();
  const add = (type: unknown, key: string | null) => {
    const map = asMap(doc, type);
    if (map === null || key === null || !map.has(key)) return;
    const keys = byMap.get(map) ?? new Set<string>();
    keys.add(key);
    byMap.set(map, keys);
  };
  for (const { item, where } of deletions) {
    if (!refused(groupOf(where))) continue;
    if (!where.element) add(item.parent, item.parentSub);
    // Characters of a card's text: its text is set again whole.
    else if (item.parent instanceof Y.AbstractType) {
      const holder = holderOf(item.parent);
      if (holder) add(holder.parent, holder.parentSub);
    }
  }
  for (const struct of update.structs) {
    if (struct.kind !== 'item' || Y.getState(doc.store, struct.id.client) >= struct.id.clock + struct.length) continue;
    const where = locator.locate(struct);
    if (!where || where.element || where.keys.includes(LIST_ELEMENT) || !refused(groupOf(where))) continue;
    const key = where.keys.at(-1);
    if (key !== undefined) add(storedParent(doc, where), key);
  }
  const targets = new Set<Target>();
  for (const [map, keys] of byMap) {
    if (insideAnotherTarget(map, byMap)) continue;
    for (const key of keys) targets.add({ map, key });
  }
  return targets;
}

/**
 * A type as the Y.Map it is. Yjs creates a top-level type it has only read from an update as a
 * bare AbstractType, which becomes a Y.Map when asked for as one.
 */
function asMap(doc: Y.Doc, type: unknown): Y.Map<unknown> | null {
  if (type instanceof Y.Map) return type as Y.Map<unknown>;
  if (!(type instanceof Y.AbstractType) || holderOf(type) !== null) return null;
  const name = topLevelNameOf(doc, type);
  return name === undefined ? null : doc.getMap(name);
}

/** Whether `map` lies inside a value that is itself set again (so its copy already holds it). */
function insideAnotherTarget(map: Y.Map<unknown>, byMap: Map<Y.Map<unknown>, Set<string>>): boolean {
  let item = holderOf(map);
  while (item) {
    const parent = item.parent;
    if (parent instanceof Y.Map && item.parentSub !== null && byMap.get(parent)?.has(item.parentSub)) return true;
    item = parent instanceof Y.AbstractType ? holderOf(parent) : null;
  }
  return false;
}

/**
 * Whether a refused item must keep its place (a tombstone item) rather than become a collected
 * range. Its place matters where others may write later: their item and the sender's deleted one
 * would meet at the same key or position, and Yjs orders them by where they are, so the server
 * must have the sender's too. Where nobody will ever write (a field the model does not have, a
 * fresh random record id) a collected range keeps nothing of the sender's, not even the key.
 */
function keepsPlace(doc: Y.Doc, where: Location): boolean {
  const { top, keys, element } = where;
  if (!MODEL_TOP_LEVEL.has(top) || keys.includes(LIST_ELEMENT)) return false;
  // A key that holds a value now: the server sets it again, after the sender's item.
  if (!element && keys.length > 0 && storedParent(doc, where)?.has(keys.at(-1)!)) return true;
  const [first, field, metric] = keys;
  if (top === 'meta') return keys.length === 1 && !element && isEditableMetaField(first!);
  if (top === 'emotions') return keys.length === 1 && !element && isEmotionKey(first!);
  if (!isRecordCollection(top) || first === undefined) return false;
  if (keys.length === 1) return false;
  if (keys.length === 2) return element ? top === 'cards' && field === 'text' : isRecordField(top, field!);
  return keys.length === 3 && !element && top === 'stages' && field === 'metrics' && metric !== undefined;
}

/** The stored map a map-key item lands in, if it is stored. */
function storedParent(doc: Y.Doc, where: Location): Y.Map<unknown> | null {
  const holder = where.holders.at(-1);
  if (!holder) return asMap(doc, topLevelTypes(doc).get(where.top));
  if (holder.isNew) return null;
  const item = Y.getItem(doc.store, Y.createID(holder.id.client, holder.id.clock));
  return item instanceof Y.Item && item.content instanceof Y.ContentType ? asMap(doc, item.content.type) : null;
}

/**
 * The update's new structs as the server takes them: accepted ones as sent, refused ones as
 * tombstones or collected ranges; and the ranges of the refused ones (for the sender to delete).
 */
function rewrite(
  update: ReadUpdate,
  { locator }: CheckedUpdate,
  refused: (group: string) => boolean,
): { structs: WrittenStruct[]; added: DeletedRange[] } {
  const structs: WrittenStruct[] = [];
  const added: DeletedRange[] = [];
  for (const struct of update.structs) {
    const stored = Y.getState(locator.doc.store, struct.id.client);
    const offset = Math.max(0, stored - struct.id.clock);
    if (offset >= struct.length) continue;
    const id = { client: struct.id.client, clock: struct.id.clock + offset };
    const length = struct.length - offset;
    const where = struct.kind === 'item' ? locator.locate(struct) : null;
    // The stored part holds its place already: the rest follows on from it.
    const place =
      struct.kind !== 'item'
        ? null
        : offset > 0
          ? { origin: { client: id.client, clock: id.clock - 1 }, rightOrigin: struct.rightOrigin, parent: null, parentSub: null }
          : { origin: struct.origin, rightOrigin: struct.rightOrigin, parent: struct.parent, parentSub: struct.parentSub };
    if (place === null) {
      structs.push({ kind: 'gc', id, length });
    } else if (where === null) {
      // Landing in collected content: the server keeps a collected range, the sender deletes it.
      added.push({ client: id.client, clock: id.clock, length });
      structs.push({ kind: 'gc', id, length });
    } else if (!refused(groupOf(where))) {
      structs.push({ kind: 'item', id, length, ...place, content: sliced((struct as ItemStruct).content, offset) });
    } else {
      added.push({ client: id.client, clock: id.clock, length });
      structs.push(keepsPlace(locator.doc, where) ? { kind: 'item', id, length, ...place } : { kind: 'gc', id, length });
    }
  }
  return { structs, added };
}

/** An item's content from `offset` on (Yjs writes a partly known item the same way). */
function sliced(content: ItemContent, offset: number): ItemContent {
  if (offset === 0) return content;
  if (content.kind === 'string') return { kind: 'string', text: content.text.slice(offset) };
  if (content.kind === 'any') return { kind: 'any', values: content.values.slice(offset) };
  if (content.kind === 'deleted') return { kind: 'deleted', length: content.length - offset };
  return content;
}

/** The update's deletions the server carries out: of accepted groups, and of its own new items. */
function acceptedDeletes(update: ReadUpdate, { deletions, locator }: CheckedUpdate, refused: (group: string) => boolean): DeletedRange[] {
  const deletes: DeletedRange[] = [];
  for (const { where, range } of deletions) if (!refused(groupOf(where))) deletes.push(range);
  for (const { client, clock, length } of update.deletes) {
    // Items that arrive with the update: deleting a refused one (a tombstone already) changes nothing.
    const start = Math.max(clock, Y.getState(locator.doc.store, client));
    if (start < clock + length) deletes.push({ client, clock: start, length: clock + length - start });
  }
  return deletes;
}
