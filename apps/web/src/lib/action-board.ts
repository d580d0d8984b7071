import { ACTION_STATUSES, type Action, type ActionStatus } from '@waymark/model';

/** How the action plan board sorts and narrows the actions: pure, so the panel only draws. */

/** The owner filter's choice for actions nobody owns (an owner's name is never empty). */
export const UNOWNED = '';

export interface ActionFilter {
  /** A department, or null for all. */
  readonly department: string | null;
  /** An owner's name, `UNOWNED`, or null for all. */
  readonly owner: string | null;
}

export const NO_FILTER: ActionFilter = { department: null, owner: null };

export function matchesFilter(action: Action, filter: ActionFilter): boolean {
  if (filter.department !== null && action.department !== filter.department) return false;
  if (filter.owner !== null && action.owner !== filter.owner) return false;
  return true;
}

/** The actions in each status column, plan order kept within a column. */
export function groupByStatus(actions: readonly Action[], filter: ActionFilter = NO_FILTER): Record<ActionStatus, Action[]> {
  const columns = Object.fromEntries(ACTION_STATUSES.map((status) => [status, [] as Action[]])) as Record<ActionStatus, Action[]>;
  for (const action of actions) if (matchesFilter(action, filter)) columns[action.status].push(action);
  return columns;
}

/** The distinct, non-empty values of a field across the plan, in alphabetical order, for a filter's choices. */
export function distinctValues(actions: readonly Action[], field: 'department' | 'owner'): string[] {
  const values = new Set<string>();
  for (const action of actions) if (action[field] !== '') values.add(action[field]);
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** Names to suggest for an owner: the people on the map now and the owners already named, once each. */
export function ownerSuggestions(people: readonly string[], actions: readonly Action[]): string[] {
  const names = new Set<string>();
  for (const name of [...people, ...distinctValues(actions, 'owner')]) {
    const trimmed = name.trim();
    if (trimmed !== '') names.add(trimmed);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** How many actions link each card (a card no action links is absent). */
export function actionCountsByCard(actions: readonly Action[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const action of actions) for (const cardId of action.cardIds) counts.set(cardId, (counts.get(cardId) ?? 0) + 1);
  return counts;
}

/** A day as due dates are kept (`YYYY-MM-DD`), in this browser's time zone: an action is due on the person's calendar day. */
export function localDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A due date as people read it ("31 Mar 2026"); the stored form when it is not a date. */
export function dueDateLabel(due: string): string {
  const [year, month, day] = due.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined || [year, month, day].some(Number.isNaN)) return due;
  return new Date(year, month - 1, day).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
