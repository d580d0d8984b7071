import type { MapDiff, MapExport } from '@waymark/model';
import { placeName, textOf } from './version-preview';
import { scoreText } from './version-preview-scores';

/**
 * A diff in words: one line of counts ("3 cards added, 1 removed") and the changes listed by
 * kind, each with the marker the preview draws on it (so the list and the map read alike).
 */

export type ChangeMark = 'added' | 'removed' | 'changed' | 'moved' | 'renamed';

export interface ChangeItem {
  readonly mark: ChangeMark;
  readonly text: string;
  /** The earlier text, when a card's text changed or a record was renamed. */
  readonly before?: string;
}

export interface ChangeSection {
  readonly title: string;
  readonly items: readonly ChangeItem[];
}

export const MARK_LABELS: Readonly<Record<ChangeMark, string>> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  moved: 'Moved',
  renamed: 'Renamed',
};

/** Short enough for a list line; the whole text is on the card. */
export function shorten(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty card)';
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "2 cards added, 1 removed": the first count names the thing; empty when every count is 0. */
function counted(one: string, many: string, counts: readonly (readonly [number, string])[]): string {
  const parts = counts.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
  if (parts.length === 0) return '';
  const first = counts.find(([count]) => count > 0)![0];
  parts[0] = `${plural(first, one, many)} ${parts[0]!.replace(/^\d+ /, '')}`;
  return parts.join(', ');
}

/** "3 cards added, 1 removed, 2 changed; 1 stage renamed; 2 emotion scores changed", or "No differences". */
export function diffSummary(diff: MapDiff): string {
  const { cards } = diff;
  const parts = [
    counted('card', 'cards', [
      [cards.added.length, 'added'],
      [cards.removed.length, 'removed'],
      [cards.changed.length, 'changed'],
      [cards.moved.length, 'moved'],
    ]),
    ...(
      [
        [diff.stages, 'stage', 'stages'],
        [diff.lanes, 'lane', 'lanes'],
        [diff.personas, 'persona', 'personas'],
      ] as const
    ).map(([part, one, many]) =>
      counted(one, many, [
        [part.added.length, 'added'],
        [part.removed.length, 'removed'],
        [part.renamed.length, 'renamed'],
      ]),
    ),
    diff.emotions.length > 0 ? `${plural(diff.emotions.length, 'emotion score', 'emotion scores')} changed` : '',
    diff.meta.length > 0 ? `${diff.meta.map((change) => change.field).join(', ')} changed` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'No differences' : parts.join('; ');
}

/** The changes by kind, named from whichever state holds the record. */
export function diffSections(diff: MapDiff, shown: MapExport, base: MapExport): ChangeSection[] {
  const cardText = (id: string) => shorten(textOf(shown.cards[id] ?? base.cards[id], 'text'));
  const cards: ChangeItem[] = [
    ...diff.cards.added.map((id) => ({ mark: 'added' as const, text: cardText(id) })),
    ...diff.cards.removed.map((id) => ({ mark: 'removed' as const, text: cardText(id) })),
    ...diff.cards.changed.map((change) =>
      change.textBefore !== change.textAfter
        ? { mark: 'changed' as const, text: shorten(change.textAfter), before: shorten(change.textBefore) }
        : { mark: 'changed' as const, text: `${shorten(change.textAfter)} (${change.fields.join(', ')})` },
    ),
    ...diff.cards.moved.map((move) => ({
      mark: 'moved' as const,
      text: `${cardText(move.id)}: from ${placeName(base, move.from.stageId, move.from.laneId)} to ${placeName(shown, move.to.stageId, move.to.laneId)}`,
    })),
  ];
  const structure = (part: MapDiff['stages'], key: 'stages' | 'lanes' | 'personas', field: string): ChangeItem[] => [
    ...part.added.map((id) => ({ mark: 'added' as const, text: textOf(shown[key][id], field) })),
    ...part.removed.map((id) => ({ mark: 'removed' as const, text: textOf(base[key][id], field) })),
    ...part.renamed.map((change) => ({ mark: 'renamed' as const, text: change.after, before: change.before })),
  ];
  const personaName = (id: string) => textOf(shown.personas[id] ?? base.personas[id], 'name') || 'a persona';
  const stageName = (id: string) => textOf(shown.stages[id] ?? base.stages[id], 'name') || 'a stage';
  const emotions: ChangeItem[] = diff.emotions.map((change) => {
    const [personaId = '', stageId = '', participant] = change.key.split(':');
    const who = `${personaName(personaId)} at ${stageName(stageId)}${participant ? ' (one participant)' : ''}`;
    const mark = change.before === null ? 'added' : change.after === null ? 'removed' : 'changed';
    return { mark, text: `${who}: ${scoreText(change.before)} → ${scoreText(change.after)}` };
  });
  const meta: ChangeItem[] = diff.meta.map((change) => ({
    mark: 'changed',
    text: `${change.field[0]!.toUpperCase()}${change.field.slice(1)}: ${change.after.trim() === '' ? '(empty)' : shorten(change.after)}`,
    before: change.before.trim() === '' ? '(empty)' : shorten(change.before),
  }));
  return [
    { title: 'Cards', items: cards },
    { title: 'Stages', items: structure(diff.stages, 'stages', 'name') },
    { title: 'Lanes', items: structure(diff.lanes, 'lanes', 'title') },
    { title: 'Personas', items: structure(diff.personas, 'personas', 'name') },
    { title: 'Emotion scores', items: emotions },
    { title: 'Title, goal and scope', items: meta },
  ].filter((section) => section.items.length > 0);
}
