import { ACTION_STATUS_LABELS, ACTION_STATUSES, isOverdue, isUnowned, type Action, type MapSnapshot } from '@waymark/model';
import { stringify } from 'csv-stringify/sync';
import { csvCell, markdownInline } from './text-exports.js';

/** The action plan as a spreadsheet and as a document, for the people who carry it out. */

export const ACTION_CSV_COLUMNS = ['Action', 'Status', 'Owner', 'Department', 'Due', 'KPI target', 'Flags', 'Answers cards'] as const;

/** Today as `YYYY-MM-DD` in UTC, what overdue is judged against. */
export const utcToday = (now: number): string => new Date(now).toISOString().slice(0, 10);

function flags(action: Action, today: string): string[] {
  return [isOverdue(action, today) ? 'overdue' : '', isUnowned(action) ? 'unowned' : ''].filter(Boolean);
}

/** The cards an action answers, in words: "Slow checkout (Purchase / Pain points)". */
function answered(action: Action, map: MapSnapshot): string[] {
  const cards = new Map(map.cards.map((card) => [card.id, card]));
  const stages = new Map(map.stages.map((stage) => [stage.id, stage.name]));
  const lanes = new Map(map.lanes.map((lane) => [lane.id, lane.title]));
  return action.cardIds.flatMap((cardId) => {
    const card = cards.get(cardId);
    if (!card) return [];
    const text = card.text.replace(/\s*\n\s*/g, ' ').trim() || '(empty card)';
    return [`${text} (${stages.get(card.stageId) ?? ''} / ${lanes.get(card.laneId) ?? ''})`];
  });
}

/** By status in the board's order, then in plan order. */
function byStatus(actions: readonly Action[]): Action[] {
  return [...actions].sort((a, b) => ACTION_STATUSES.indexOf(a.status) - ACTION_STATUSES.indexOf(b.status));
}

/** One row per action (UTF-8 with a byte-order mark, for Excel). */
export function actionsToCsv(map: MapSnapshot, actions: readonly Action[], now: number): string {
  const today = utcToday(now);
  const rows = byStatus(actions).map((action) =>
    [
      action.title,
      ACTION_STATUS_LABELS[action.status],
      action.owner,
      action.department,
      action.due,
      action.kpiTarget,
      flags(action, today).join('; '),
      answered(action, map).join('; '),
    ].map(csvCell),
  );
  return `\uFEFF${stringify([[...ACTION_CSV_COLUMNS], ...rows], { record_delimiter: 'windows' })}`;
}

/** A section per status, each action with its owner, department, due date, KPI target and the cards it answers. */
export function actionsToMarkdown(map: MapSnapshot, actions: readonly Action[], now: number): string {
  const today = utcToday(now);
  const lines = [`# Action plan: ${markdownInline(map.meta.title)}`, ''];
  if (actions.length === 0) lines.push('No actions yet.', '');
  for (const status of ACTION_STATUSES) {
    const these = actions.filter((action) => action.status === status);
    if (these.length === 0) continue;
    lines.push(`## ${ACTION_STATUS_LABELS[status]} (${these.length})`, '');
    for (const action of these) {
      const facts = [
        action.owner ? `owner ${markdownInline(action.owner)}` : '**unowned**',
        action.department && `department ${markdownInline(action.department)}`,
        action.due && `due ${action.due}${isOverdue(action, today) ? ' (**overdue**)' : ''}`,
        action.kpiTarget && `KPI target: ${markdownInline(action.kpiTarget)}`,
      ].filter(Boolean);
      lines.push(`- **${markdownInline(action.title)}**: ${facts.join(' · ')}`);
      for (const card of answered(action, map)) lines.push(`  - answers: ${markdownInline(card)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
