import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId, newId } from '../ids.js';
import { originUserId, type Origin } from '../origin.js';
import { orderForPlacement, type Placement } from '../placement.js';
import { compareByOrder, isValidOrderKey, type OrderedRecord } from '../order.js';
import { parseOrReport } from '../problems.js';
import { checkCardPatch, DEFAULT_CARD_COLOUR, DEFAULT_EVIDENCE, type CardPatch, type CheckedCardPatch } from '../records/card.js';
import { checkString } from '../records/fields.js';
import { parseLane } from '../records/lane.js';
import { parsePersona } from '../records/persona.js';
import { parseStage } from '../records/stage.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export interface CardInput extends CardPatch {
  readonly stageId: string;
  readonly laneId: string;
  readonly text?: string;
  /** Defaults to the local origin's userId, else ''. */
  readonly author?: string;
  /** Card id in the same cell to insert after; null = first; omitted = last. */
  readonly after?: string | null;
  /** The new card's id, when the caller chose it (so writing the same card twice can be noticed); else a new one. */
  readonly id?: string;
}

export interface CardMove extends Placement {
  readonly stageId: string;
  readonly laneId: string;
}

/** Whether `id` names a valid record of a collection: parses that one record, not the collection. */
function validRecord(doc: Y.Doc, collection: 'stages' | 'lanes', id: string): boolean {
  const value = topLevelMap(doc, collection).get(id);
  if (value === undefined) return false;
  return (
    parseOrReport(collection, id, [], () => (collection === 'stages' ? parseStage(id, value, []) : parseLane(id, value))) !== undefined
  );
}

function checkCell(doc: Y.Doc, stageId: string, laneId: string, what: string): void {
  if (!validRecord(doc, 'stages', stageId)) throw new Error(`${what}: unknown stage "${stageId}"`);
  if (!validRecord(doc, 'lanes', laneId)) throw new Error(`${what}: unknown lane "${laneId}"`);
}

function checkPersonaIds(doc: Y.Doc, personaIds: readonly string[] | undefined, what: string): void {
  if (personaIds === undefined) return;
  const personas = topLevelMap(doc, 'personas');
  const unknown = personaIds.find((personaId) => {
    const value = personas.get(personaId);
    return value === undefined || parseOrReport('personas', personaId, [], () => parsePersona(personaId, value, [])) === undefined;
  });
  if (unknown !== undefined) throw new Error(`${what}: unknown persona "${unknown}"`);
}

/**
 * The order key for a card placed in a cell. Only the cell's cards are read, and of them only
 * their order: a write costs what it touches, not the size of the map.
 */
function orderInCell(doc: Y.Doc, move: CardMove, movingId: string | undefined, what: string): string {
  const siblings: OrderedRecord[] = [];
  for (const [id, value] of topLevelMap(doc, 'cards').entries()) {
    if (id === movingId || !(value instanceof Y.Map)) continue;
    if (value.get('stageId') !== move.stageId || value.get('laneId') !== move.laneId) continue;
    const order = value.get('order');
    if (isValidOrderKey(order)) siblings.push({ id, order });
  }
  return orderForPlacement(siblings.sort(compareByOrder), move, what);
}

export function addCard(doc: Y.Doc, input: CardInput, origin?: Origin): string {
  checkCell(doc, input.stageId, input.laneId, 'addCard');
  const patch = checkCardPatch(input, 'addCard');
  checkPersonaIds(doc, patch.personaIds, 'addCard');
  const text = checkString(input.text ?? '', 'addCard: text');
  const defaultAuthor = origin === undefined ? undefined : originUserId(origin);
  const author = checkString(input.author ?? defaultAuthor ?? '', 'addCard: author');
  const cell = { stageId: input.stageId, laneId: input.laneId, after: input.after };
  const order = orderInCell(doc, cell, undefined, 'addCard');
  if (input.id !== undefined && (!isValidId(input.id) || topLevelMap(doc, 'cards').has(input.id))) {
    throw new Error(`addCard: id "${input.id}" is malformed or taken`);
  }
  const id = input.id ?? newId();
  transactAs(doc, origin, () => {
    insertRecord(doc, 'cards', id, {
      stageId: input.stageId,
      laneId: input.laneId,
      order,
      text: new Y.Text(text),
      colour: patch.colour ?? DEFAULT_CARD_COLOUR,
      tags: patch.tags ?? [],
      personaIds: patch.personaIds ?? [],
      evidence: patch.evidence ?? DEFAULT_EVIDENCE,
      links: patch.links ?? [],
      // Written only when given, so a plain note stays as small as before.
      ...insightFields(patch),
      author,
      createdAt: Date.now(),
    });
  });
  return id;
}

/**
 * Moves a card to a cell (possibly its own) in one transaction that writes stageId,
 * laneId and order and nothing else. Also works on a card orphaned by a concurrent stage
 * or lane deletion, which is how such a card can be rescued.
 */
export function moveCard(doc: Y.Doc, id: string, move: CardMove, origin?: Origin): void {
  const record = existingRecord(doc, 'cards', id, 'moveCard');
  if (move.after === id || move.before === id) {
    throw new Error('moveCard: a card cannot be placed relative to itself');
  }
  checkCell(doc, move.stageId, move.laneId, 'moveCard');
  const order = orderInCell(doc, move, id, 'moveCard');
  transactAs(doc, origin, () => {
    record.set('stageId', move.stageId);
    record.set('laneId', move.laneId);
    record.set('order', order);
  });
}

function insightFields(patch: CheckedCardPatch): Record<string, unknown> {
  const { sources, impact, effort, channels, department } = patch;
  return Object.fromEntries(Object.entries({ sources, impact, effort, channels, department }).filter(([, value]) => value !== undefined));
}

/** Sets any of the card's fields but its place and text; lists are replaced whole. */
export function updateCard(doc: Y.Doc, id: string, patch: CardPatch, origin?: Origin): void {
  const record = existingRecord(doc, 'cards', id, 'updateCard');
  const checked = checkCardPatch(patch, 'updateCard');
  checkPersonaIds(doc, checked.personaIds, 'updateCard');
  transactAs(doc, origin, () => {
    for (const [field, value] of Object.entries(checked)) {
      if (value !== undefined) record.set(field, value);
    }
  });
}

export function deleteCard(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'cards', id, 'deleteCard');
  transactAs(doc, origin, () => topLevelMap(doc, 'cards').delete(id));
}
