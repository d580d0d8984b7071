import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { compareByOrder } from '../order.js';
import { invalid, parseOrReport, type Problem } from '../problems.js';
import { asRecordMap, optionalFiniteNumber, optionalString, optionalStringList, requiredName, requiredOrder } from './fields.js';

/**
 * The action plan: what the organisation will do about the journey, each action owned, dated and
 * linked to the cards (pain points, opportunities) it answers. Stored as a Y.Map per action in
 * `actions`; fields are plain values, last writer wins per field.
 */

export const ACTION_STATUSES = ['idea', 'planned', 'in-progress', 'done', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Readonly<Record<ActionStatus, string>> = Object.freeze({
  idea: 'Idea',
  planned: 'Planned',
  'in-progress': 'In progress',
  done: 'Done',
  dropped: 'Dropped',
});

export interface Action {
  readonly id: string;
  readonly title: string;
  /** A person's name: one of the people on the map, or free text; empty while nobody owns it. */
  readonly owner: string;
  readonly department: string;
  readonly status: ActionStatus;
  /** A calendar date, `YYYY-MM-DD`; empty when none is set. */
  readonly due: string;
  /** The KPI target it aims at, in words ("CSAT at checkout ≥ 4.2 by Q3"). */
  readonly kpiTarget: string;
  /** The cards it answers, in the order linked (ids that no longer name a card are left out by `readActions`). */
  readonly cardIds: readonly string[];
  readonly order: string;
  readonly author: string;
  readonly createdAt: number;
}

export const isActionStatus = (value: unknown): value is ActionStatus =>
  typeof value === 'string' && (ACTION_STATUSES as readonly string[]).includes(value);

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether `value` is a due date as actions keep it: empty, or `YYYY-MM-DD` naming a real day. */
export function isDueDate(value: unknown): value is string {
  if (value === '') return true;
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

export function parseAction(id: string, value: unknown): Action {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const status = record.get('status');
  if (!isActionStatus(status)) invalid(`status is not one of ${ACTION_STATUSES.join(', ')}`);
  const due = optionalString(record, 'due', '');
  return {
    id,
    title: requiredName(record, 'title'),
    owner: optionalString(record, 'owner', ''),
    department: optionalString(record, 'department', ''),
    status,
    due: isDueDate(due) ? due : '',
    kpiTarget: optionalString(record, 'kpiTarget', ''),
    cardIds: optionalStringList(record, 'cardIds'),
    order: requiredOrder(record),
    author: optionalString(record, 'author', ''),
    createdAt: optionalFiniteNumber(record, 'createdAt', 0),
  };
}

/** Valid actions in plan order; links to cards that are gone are left out. */
export function collectActions(doc: Y.Doc, problems: Problem[]): Action[] {
  const cards = topLevelMap(doc, 'cards');
  const actions: Action[] = [];
  for (const [id, value] of topLevelMap(doc, 'actions').entries()) {
    const action = parseOrReport('actions', id, problems, () => parseAction(id, value));
    if (action === undefined) continue;
    const linked = action.cardIds.filter((cardId) => cards.has(cardId));
    actions.push(linked.length === action.cardIds.length ? action : { ...action, cardIds: linked });
  }
  return actions.sort(compareByOrder);
}

export function readActions(doc: Y.Doc): Action[] {
  return collectActions(doc, []);
}

/** Whether an action is past its due date and still open (`today` as `YYYY-MM-DD`). */
export function isOverdue(action: Pick<Action, 'due' | 'status'>, today: string): boolean {
  return action.due !== '' && action.due < today && action.status !== 'done' && action.status !== 'dropped';
}

/** Whether nobody owns an open action. */
export function isUnowned(action: Pick<Action, 'owner' | 'status'>): boolean {
  return action.owner.trim() === '' && action.status !== 'done' && action.status !== 'dropped';
}
