import type * as Y from 'yjs';
import { newId } from '../ids.js';
import { originUserId, type Origin } from '../origin.js';
import { orderForPlacement } from '../placement.js';
import { ACTION_STATUSES, isActionStatus, isDueDate, readActions, type ActionStatus } from '../records/action.js';
import { cardText } from '../records/card.js';
import { topLevelMap } from '../doc-keys.js';
import { checkName, checkString, checkStringList } from '../records/fields.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export interface ActionPatch {
  readonly title?: string;
  readonly owner?: string;
  readonly department?: string;
  readonly status?: ActionStatus;
  /** `YYYY-MM-DD`, or '' for none. */
  readonly due?: string;
  readonly kpiTarget?: string;
  readonly cardIds?: readonly string[];
}

export interface ActionInput extends ActionPatch {
  readonly title: string;
}

/** The patch checked: strings trimmed, a real date, a known status, cards of this map. */
function checkActionPatch(doc: Y.Doc, patch: ActionPatch, what: string): Record<string, unknown> {
  const checked: Record<string, unknown> = {};
  if (patch.title !== undefined) checked['title'] = checkName(patch.title, `${what}: title`);
  for (const field of ['owner', 'department', 'kpiTarget'] as const) {
    if (patch[field] !== undefined) checked[field] = checkString(patch[field], `${what}: ${field}`).trim();
  }
  if (patch.status !== undefined) {
    if (!isActionStatus(patch.status)) throw new Error(`${what}: status must be one of ${ACTION_STATUSES.join(', ')}`);
    checked['status'] = patch.status;
  }
  if (patch.due !== undefined) {
    if (!isDueDate(patch.due)) throw new Error(`${what}: due must be a date like 2026-03-31, or empty`);
    checked['due'] = patch.due;
  }
  if (patch.cardIds !== undefined) {
    const cardIds = [...new Set(checkStringList(patch.cardIds, `${what}: cardIds`))];
    const cards = topLevelMap(doc, 'cards');
    const unknown = cardIds.find((cardId) => !cards.has(cardId));
    if (unknown !== undefined) throw new Error(`${what}: unknown card "${unknown}"`);
    checked['cardIds'] = cardIds;
  }
  return checked;
}

/** Adds an action at the end of the plan (status `idea` unless given); returns its id. */
export function addAction(doc: Y.Doc, input: ActionInput, origin?: Origin): string {
  const fields = checkActionPatch(doc, input, 'addAction');
  const order = orderForPlacement(readActions(doc), {}, 'addAction');
  const id = newId();
  const author = (origin && originUserId(origin)) ?? '';
  transactAs(doc, origin, () => {
    insertRecord(doc, 'actions', id, {
      owner: '',
      department: '',
      status: 'idea',
      due: '',
      kpiTarget: '',
      cardIds: [],
      ...fields,
      order,
      author,
      createdAt: Date.now(),
    });
  });
  return id;
}

/** Sets the given fields; the rest stay as they are. */
export function updateAction(doc: Y.Doc, id: string, patch: ActionPatch, origin?: Origin): void {
  const record = existingRecord(doc, 'actions', id, 'updateAction');
  const fields = checkActionPatch(doc, patch, 'updateAction');
  transactAs(doc, origin, () => {
    for (const [field, value] of Object.entries(fields)) record.set(field, value);
  });
}

export function deleteAction(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'actions', id, 'deleteAction');
  transactAs(doc, origin, () => {
    doc.getMap('actions').delete(id);
  });
}

/** One step from a card (a pain point, an opportunity) to an action that answers it: titled by the card's first line, linked to it. */
export function addActionForCard(doc: Y.Doc, cardId: string, origin?: Origin): string {
  if (!topLevelMap(doc, 'cards').has(cardId)) throw new Error(`addActionForCard: unknown card "${cardId}"`);
  const text = cardText(doc, cardId)?.toString() ?? '';
  const firstLine =
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  const title = firstLine === '' ? 'Answer this card' : firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine;
  return addAction(doc, { title, cardIds: [cardId] }, origin);
}
