import {
  COMMENT_TARGET_COLLECTIONS,
  isCommentTargetKind,
  emotionProblem,
  isEditableMetaField,
  isParticipantRating,
  isRecordCollection,
  isRecordField,
  metaFieldProblem,
  metricProblem,
  recordFieldProblem,
  recordProblem,
  REQUIRED_FIELDS,
  SERVER_OWNED_META,
  type RecordCollectionKey,
  type WrittenValue,
  everHadKey,
  topLevelTypes,
} from '@waymark/model';
import * as Y from 'yjs';
import { roleMay, type Role, type WriteAction } from '../access/roles.js';
import { TypeRef, UpdateTooLargeError, type ItemContent, type ReadUpdate, type StructId } from '../sync/update-reader.js';
import { LIST_ELEMENT, UpdateLocator, type Location } from './locate.js';

/** Who sent an update, as far as the policy cares. */
export interface UpdateSender {
  readonly role: Role;
  /** Whether the Yjs client `client` is this sender's own (so what it created is theirs). */
  owns(client: number): boolean;
}

export type Verdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reasons: readonly string[];
      /** The groups (see groupOf) that hold a refused part. */
      readonly refusedGroups: ReadonlySet<string>;
    };

/** A stored item the update deletes, where it is, and the part of it the update deletes. */
export interface StoredDeletion {
  readonly item: Y.Item;
  readonly where: Location;
  readonly range: { readonly client: number; readonly clock: number; readonly length: number };
}

/**
 * What a change belongs to, for refusing part of an update: one record (with everything in it),
 * one meta field, one emotion entry, or a whole top-level type outside the model.
 */
export function groupOf(where: Location): string {
  return where.keys.length > 0 && (where.top === 'meta' || where.top === 'emotions' || isRecordCollection(where.top))
    ? `${where.top}/${where.keys[0]}`
    : where.top;
}

/** What the policy learned about an update on the way: the room needs it to undo a refused one. */
export interface CheckedUpdate {
  readonly verdict: Verdict;
  readonly locator: UpdateLocator;
  /** Stored items, not yet deleted, that the update deletes. */
  readonly deletions: readonly StoredDeletion[];
  /**
   * Whether some new item lands in content the server has collected (a deleted record, or a
   * range it took as collected). Yjs would drop it on the server, so the server takes it as a
   * collected range and the sender deletes it too, or the sender would keep what nobody else has.
   */
  readonly landsNowhere: boolean;
  /** The records (as groups, e.g. `cards/<id>`) the update makes, changes and deletes: what the activity feed tells. */
  readonly touched: TouchedRecords;
}

export interface TouchedRecords {
  readonly created: ReadonlySet<string>;
  readonly changed: ReadonlySet<string>;
  readonly deleted: ReadonlySet<string>;
}

const RESERVED_TOP_LEVEL = new Set(['workshop']);

/**
 * Judges an update before anything of it is applied: where each new struct lands and what it
 * holds, and which stored items it deletes; every part must land inside the journey-map model
 * and be a change the sender's role may make. Work is bounded by `maxParts` (the stored items a
 * deletion covers count too) and proportional to the update, not to the map.
 */
export function checkUpdate(doc: Y.Doc, update: ReadUpdate, sender: UpdateSender, maxParts: number): CheckedUpdate {
  const locator = new UpdateLocator(doc, update);
  const reasons = new Set<string>();
  const refusedGroups = new Set<string>();
  const refuse = (where: Location, reason: string) => {
    reasons.add(reason);
    refusedGroups.add(groupOf(where));
  };
  const isDeletedNew = deletedInUpdate(update, locator);

  /** New records by their item's id. */
  const newRecords = new IdMap<{ collection: RecordCollectionKey; where: Location }>();
  /** The fields written (and not deleted right away) per record item, stored or new. */
  const writtenFields = new IdMap<Set<string>>();
  const references: Reference[] = [];
  const commentFields = new NewCommentFields();
  const changed = new Set<string>();
  let landsNowhere = false;
  for (const struct of update.structs) {
    if (struct.kind !== 'item' || locator.storedUpTo(struct.id.client) >= struct.id.clock + struct.length) continue;
    const where = locator.locate(struct);
    if (where === null) {
      landsNowhere = true;
      continue;
    }
    const problem = insertProblem(where, struct.content, sender);
    if (problem) refuse(where, problem);
    if (where.keys.length > 0) changed.add(groupOf(where));
    const alive = struct.content.kind !== 'deleted' && !isDeletedNew(struct.id);
    if (alive && !where.element && isRecordCollection(where.top)) {
      if (where.keys.length === 1) newRecords.set(struct.id, { collection: where.top, where });
      else if (where.keys.length === 2) writtenFields.update(where.holders[0]!.id, (fields) => (fields ?? new Set()).add(where.keys[1]!));
    }
    if (alive) referencesIn(where, struct.content, references);
    if (alive && where.top === 'comments' && where.keys.length === 2 && !where.element) commentFields.note(where, struct.content);
  }
  commentFields.references(references);
  for (const [id, { collection, where }] of newRecords.entries()) {
    const fields = writtenFields.get(id);
    const missing = REQUIRED_FIELDS[collection].filter((field) => !fields?.has(field));
    if (missing.length > 0) refuse(where, `a new ${singular(collection)} needs ${missing.join(', ')}`);
  }

  const deletions = storedDeletions(doc, update, locator, maxParts);
  const deletedTypes = new IdMap<true>();
  const deleted = new Set<string>();
  for (const { item, where } of deletions) {
    if (item.content instanceof Y.ContentType) deletedTypes.set(item.id, true);
    if (where.keys.length === 1 && isRecordCollection(where.top) && !where.element) deleted.add(groupOf(where));
    else if (where.keys.length > 0) changed.add(groupOf(where));
  }
  for (const deletion of deletions) {
    const { item, where } = deletion;
    // Part of a record (or text) deleted whole in this same update: judged with it.
    if (where.holders.some((holder) => deletedTypes.has(holder.id))) continue;
    const problem = deletionProblem(where, item, sender);
    if (problem) refuse(where, problem);
    if (isRecordCollection(where.top) && where.keys.length === 2 && !where.element) {
      const field = where.keys[1]!;
      const replaced = writtenFields.get(where.holders[0]!.id)?.has(field) ?? false;
      if (REQUIRED_FIELDS[where.top].includes(field) && !replaced) {
        refuse(where, `a ${singular(where.top)} cannot lose its ${field}`);
      }
    }
  }
  // Last, once every refusal is known: a record may point only at records the map holds or held
  // (a card moved into a stage someone deleted meanwhile is fine) or that arrive with it, accepted.
  const arriving = new Map<string, string>();
  if (references.length > 0) {
    for (const [, { where }] of newRecords.entries()) arriving.set(groupOf(where), groupOf(where));
  }
  for (const { where, collection, id } of references) {
    const group = arriving.get(`${collection}/${id}`);
    if (group === undefined ? !everHeld(doc, collection, id) : refusedGroups.has(group)) {
      refuse(where, `${describe(where)} refers to a ${singular(collection)} the map does not have`);
    }
  }
  const verdict: Verdict = reasons.size === 0 ? { ok: true } : { ok: false, reasons: [...reasons], refusedGroups };
  const created = new Set<string>();
  for (const [, { where }] of newRecords.entries()) created.add(groupOf(where));
  for (const group of [...created, ...deleted]) changed.delete(group);
  return { verdict, locator, deletions, landsNowhere, touched: { created, changed, deleted } };
}

/** A record id a written value points at. */
interface Reference {
  readonly where: Location;
  readonly collection: RecordCollectionKey;
  readonly id: string;
}

/** Adds the records a new item's value points at: a card's stage, lane and personas; a measurement's stage and persona; an emotion's persona and stage. */
function referencesIn(where: Location, content: ItemContent, into: Reference[]): void {
  if (where.element || content.kind !== 'any' || content.values.length !== 1) return;
  const value = content.values[0];
  const [key, field] = where.keys;
  if (where.top === 'cards' && where.keys.length === 2) {
    if ((field === 'stageId' || field === 'laneId') && typeof value === 'string') {
      into.push({ where, collection: field === 'stageId' ? 'stages' : 'lanes', id: value });
    } else if (field === 'personaIds' && Array.isArray(value)) {
      for (const id of value) if (typeof id === 'string') into.push({ where, collection: 'personas', id });
    }
  } else if (where.top === 'metrics' && where.keys.length === 2 && typeof value === 'string' && value !== '') {
    if (field === 'stageId') into.push({ where, collection: 'stages', id: value });
    else if (field === 'personaId') into.push({ where, collection: 'personas', id: value });
  } else if (where.top === 'emotions' && where.keys.length === 1 && key !== undefined) {
    const [personaId, stageId] = key.split(':');
    if (personaId && stageId) into.push({ where, collection: 'personas', id: personaId }, { where, collection: 'stages', id: stageId });
  }
}

/**
 * The target and thread of each new comment, gathered field by field: what a comment's target id
 * refers to depends on its target kind, which may arrive in another struct.
 */
class NewCommentFields {
  readonly #byRecord = new IdMap<{ where: Location; fields: Map<string, unknown> }>();

  note(where: Location, content: ItemContent): void {
    const record = where.holders[0];
    const field = where.keys[1]!;
    if (!record?.isNew || !FIXED_COMMENT_FIELDS.has(field) || content.kind !== 'any' || content.values.length !== 1) return;
    this.#byRecord.update(record.id, (noted) => {
      // The record's place, so a refusal reads "a comment refers to …".
      const entry = noted ?? { where: { ...where, keys: where.keys.slice(0, 1) }, fields: new Map<string, unknown>() };
      entry.fields.set(field, content.values[0]);
      return entry;
    });
  }

  references(into: Reference[]): void {
    for (const [, { where, fields }] of this.#byRecord.entries()) {
      const kind = fields.get('targetKind');
      const targetId = fields.get('targetId');
      const replyTo = fields.get('replyTo');
      if (isCommentTargetKind(kind) && typeof targetId === 'string')
        into.push({ where, collection: COMMENT_TARGET_COLLECTIONS[kind], id: targetId });
      if (typeof replyTo === 'string' && replyTo !== '') into.push({ where, collection: 'comments', id: replyTo });
    }
  }
}

/** Whether a collection holds or once held a record under `id`. */
function everHeld(doc: Y.Doc, collection: RecordCollectionKey, id: string): boolean {
  return everHadKey(topLevelTypes(doc).get(collection), id);
}

/** Why a new struct may not land where it does, or null. */
function insertProblem(where: Location, content: ItemContent, sender: UpdateSender): string | null {
  const judged = judge(where, content.kind === 'deleted' ? null : writtenValue(content));
  if ('problem' in judged) return judged.problem;
  if (!roleMay(sender.role, judged.action)) return refusedFor(sender.role, 'change', where);
  return where.top === 'comments' ? commentFieldProblem(where, sender) : null;
}

/** What a comment is about and where it stands in its thread: fixed once it is written. */
const FIXED_COMMENT_FIELDS: ReadonlySet<string> = new Set(['targetKind', 'targetId', 'replyTo']);

/**
 * Why a sender may not write this field of a comment, or null. A comment being written is its
 * writer's to fill; anyone who may comment resolves and reopens a thread; the rest of a stored
 * comment is its writer's (the client that made it) or a moderator's (`shape-map`).
 */
function commentFieldProblem(where: Location, sender: UpdateSender): string | null {
  const record = where.holders[0];
  if (where.keys.length !== 2 || record === undefined || record.isNew) return null;
  const field = where.keys[1]!;
  if (FIXED_COMMENT_FIELDS.has(field)) return `a comment's ${field} cannot change once it is written`;
  if (field === 'resolved' || roleMay(sender.role, 'shape-map') || sender.owns(record.id.client)) return null;
  return `your ${sender.role} link may not change a comment someone else wrote`;
}

/** Why deleting a stored item is not this sender's to do, or null. */
function deletionProblem(where: Location, item: Y.Item, sender: UpdateSender): string | null {
  const judged = judge(where, null);
  if ('problem' in judged && where.top === 'meta' && (SERVER_OWNED_META as readonly string[]).includes(where.keys[0] ?? '')) {
    return judged.problem;
  }
  const isCard = where.top === 'cards' && where.keys.length === 1 && !where.element;
  if (isCard) {
    if (roleMay(sender.role, 'delete-cards')) return null;
    // A participant deletes the cards its own client created.
    return roleMay(sender.role, 'edit-cards') && sender.owns(item.id.client)
      ? null
      : `your ${sender.role} link may not delete a card someone else created`;
  }
  if (where.top === 'comments' && !where.element && !('problem' in judged)) {
    if (!roleMay(sender.role, 'comment')) return refusedFor(sender.role, where.keys.length === 1 ? 'delete' : 'change', where);
    if (where.keys.length === 2) return commentFieldProblem(where, sender);
    return roleMay(sender.role, 'shape-map') || sender.owns(item.id.client)
      ? null
      : `your ${sender.role} link may not delete a comment someone else wrote`;
  }
  const isRating = where.top === 'emotions' && where.keys.length === 1 && isParticipantRating(where.keys[0]!);
  if (isRating && !roleMay(sender.role, 'shape-map')) {
    if (!roleMay(sender.role, 'rate')) return refusedFor(sender.role, 'delete', where);
    return sender.owns(item.id.client) ? null : 'only its author may change an emotion rating';
  }
  // Deleting what lies outside the model (left by an older server) only tidies up: editors may.
  const action = 'problem' in judged ? 'shape-map' : judged.action;
  return roleMay(sender.role, action) ? null : refusedFor(sender.role, where.keys.length === 1 ? 'delete' : 'change', where);
}

/**
 * What kind of change lands at `where` (for the role check), or why nothing may land there.
 * `written` is null for content the sender already deleted: only the place is judged.
 */
function judge(where: Location, written: WrittenValue | null): { action: WriteAction } | { problem: string } {
  const { top, keys, element } = where;
  if (keys.includes(LIST_ELEMENT)) return outsideOf(where);
  if (top === 'meta') {
    if (keys.length !== 1 || element) return outsideOf(where);
    const field = keys[0]!;
    if (written === null)
      return isEditableMetaField(field) ? { action: 'shape-map' } : { problem: metaFieldProblem(field, { kind: 'map' })! };
    const problem = metaFieldProblem(field, written);
    return problem ? { problem } : { action: 'shape-map' };
  }
  if (isRecordCollection(top)) {
    // Cards are everyone's who may edit, comments everyone's who may comment; the frame of the map
    // and its action plan are its owners' and editors'.
    const action: WriteAction = top === 'cards' ? 'edit-cards' : top === 'comments' ? 'comment' : 'shape-map';
    const [id, field, sub] = keys;
    if (keys.length === 1 && !element) {
      const problem = written && recordProblem(id!, written);
      return problem ? { problem: `${describe(where)}: ${problem}` } : { action };
    }
    if (keys.length === 2 && !element) {
      if (written === null) return isRecordField(top, field!) ? { action } : { problem: `${field} is not a field of ${top}` };
      const problem = recordFieldProblem(top, field!, written);
      return problem ? { problem: `${singular(top)} ${problem}` } : { action };
    }
    if (top === 'cards' && keys.length === 2 && element && field === 'text') {
      return written === null || written.kind === 'value' ? { action } : { problem: `${describe(where)}: card text holds only characters` };
    }
    if (top === 'stages' && keys.length === 3 && !element && field === 'metrics') {
      const problem = written && metricProblem(sub!, written);
      return problem ? { problem: `${describe(where)}: ${problem}` } : { action };
    }
    return outsideOf(where);
  }
  if (top === 'emotions') {
    if (keys.length !== 1 || element) return outsideOf(where);
    const key = keys[0]!;
    const problem = emotionProblem(key, written ?? { kind: 'value', value: 0 });
    if (problem) return { problem: `${describe(where)}: ${problem}` };
    return { action: isParticipantRating(key) ? 'rate' : 'shape-map' };
  }
  if (RESERVED_TOP_LEVEL.has(top)) return { problem: `${top} is not in use yet` };
  return { problem: `${JSON.stringify(top)} is not part of a journey map` };
}

/** Why a struct may not land at all where it does. Words are made only for a refusal. */
const outsideOf = (where: Location) => ({ problem: `${path(where)} is outside the journey-map model` });

/** An item's content as the model's write schema sees it. Text characters count as a plain value. */
export function writtenValue(content: ItemContent): WrittenValue {
  switch (content.kind) {
    case 'any':
      return content.values.length === 1 ? { kind: 'value', value: content.values[0] } : { kind: 'other', what: 'a list' };
    case 'string':
      return { kind: 'value', value: content.text };
    case 'type':
      if (content.typeRef === TypeRef.map) return { kind: 'map' };
      if (content.typeRef === TypeRef.text) return { kind: 'text' };
      return { kind: 'other', what: 'a shared list or XML' };
    default:
      return { kind: 'other', what: `${content.kind} content` };
  }
}

function refusedFor(role: Role, verb: 'change' | 'delete', where: Location): string {
  return `your ${role} link may not ${verb} ${describe(where)}`;
}

/** A change's place in words, for the person whose change was refused. */
function describe({ top, keys, element }: Location): string {
  if (top === 'meta' && keys.length === 1) return `the map's ${keys[0]}`;
  if (top === 'emotions') return isParticipantRating(keys[0] ?? '') ? 'an emotion rating' : 'the agreed emotion curve';
  if (!isRecordCollection(top)) return path({ top, keys, element, holders: [] });
  const record = `a ${singular(top)}`;
  if (keys.length <= 1) return record;
  if (keys[1] === 'metrics') return `${record}'s metrics`;
  return `${record}'s ${keys[1]}`;
}

export const path = (where: Location): string => [where.top, ...where.keys].join('/');

const singular = (collection: RecordCollectionKey) => collection.replace(/s$/, '');

/** A map keyed by struct id, without building a string per lookup (this runs for every struct). */
class IdMap<V> {
  readonly #byClient = new Map<number, Map<number, V>>();

  get(id: StructId): V | undefined {
    return this.#byClient.get(id.client)?.get(id.clock);
  }

  has(id: StructId): boolean {
    return this.get(id) !== undefined;
  }

  set(id: StructId, value: V): void {
    let clocks = this.#byClient.get(id.client);
    if (!clocks) this.#byClient.set(id.client, (clocks = new Map()));
    clocks.set(id.clock, value);
  }

  update(id: StructId, change: (value: V | undefined) => V): void {
    this.set(id, change(this.get(id)));
  }

  *entries(): Generator<[StructId, V]> {
    for (const [client, clocks] of this.#byClient) for (const [clock, value] of clocks) yield [{ client, clock }, value];
  }
}

/**
 * Whether the update itself deletes one of its own new structs. Ranges are sorted per client and
 * searched, so a hostile update of many structs and many ranges costs n log n, not n × m.
 */
function deletedInUpdate(update: ReadUpdate, locator: UpdateLocator): (id: StructId) => boolean {
  const ranges = new Map<number, { start: number; end: number }[]>();
  for (const { client, clock, length } of update.deletes) {
    const start = Math.max(clock, locator.storedUpTo(client));
    if (start >= clock + length) continue;
    const list = ranges.get(client);
    if (list) list.push({ start, end: clock + length });
    else ranges.set(client, [{ start, end: clock + length }]);
  }
  // Sorted and merged, so the ranges of a client are disjoint and one search finds the only candidate.
  for (const [client, list] of ranges) {
    list.sort((a, b) => a.start - b.start);
    const merged: { start: number; end: number }[] = [];
    for (const range of list) {
      const last = merged.at(-1);
      if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
      else merged.push({ ...range });
    }
    ranges.set(client, merged);
  }
  return ({ client, clock }) => {
    const list = ranges.get(client);
    if (!list) return false;
    // The last range starting at or before `clock`.
    let low = 0;
    let high = list.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (list[middle]!.start <= clock) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found >= 0 && clock < list[found]!.end;
  };
}

/**
 * The stored items the update deletes that are not deleted yet. The items a range covers are
 * looked at without decoding anything, so the bound is ten times the parts an update may carry:
 * deleting a big stage with all its cards stays well inside it.
 */
function storedDeletions(doc: Y.Doc, update: ReadUpdate, locator: UpdateLocator, maxParts: number): StoredDeletion[] {
  const deletions: StoredDeletion[] = [];
  let visited = 0;
  const maxVisited = maxParts * 10;
  for (const { client, clock, length } of update.deletes) {
    const end = Math.min(clock + length, Y.getState(doc.store, client));
    if (clock >= end) continue;
    const structs = doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
      if (++visited > maxVisited) throw new UpdateTooLargeError(maxParts);
      const struct = structs[i]!;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const where = locator.locateStored(struct);
      const start = Math.max(clock, struct.id.clock);
      const length = Math.min(end, struct.id.clock + struct.length) - start;
      if (where) deletions.push({ item: struct, where, range: { client, clock: start, length } });
    }
  }
  return deletions;
}
