import type { ExportedRecord, MapExport } from './map-export.js';

/**
 * What changed between two states of a map (two versions, or a version and now), record by
 * record: what the history panel shows on the map and as a list.
 */
export interface MapDiff {
  readonly cards: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** Now in another cell (stage or lane). */
    readonly moved: readonly CardMove[];
    /** Text or other fields changed (a moved card may be changed too). */
    readonly changed: readonly CardChange[];
  };
  readonly stages: StructureDiff;
  readonly lanes: StructureDiff;
  readonly personas: StructureDiff;
  /** Emotion scores set, changed or cleared: null where there was (or is) none. */
  readonly emotions: readonly { readonly key: string; readonly before: number | null; readonly after: number | null }[];
  /** Title, goal and scope that changed. */
  readonly meta: readonly { readonly field: string; readonly before: string; readonly after: string }[];
}

export interface StructureDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly renamed: readonly { readonly id: string; readonly before: string; readonly after: string }[];
}

export interface CardMove {
  readonly id: string;
  readonly from: { readonly stageId: string; readonly laneId: string };
  readonly to: { readonly stageId: string; readonly laneId: string };
}

export interface CardChange {
  readonly id: string;
  /** The fields that differ, e.g. ['text', 'tags']. */
  readonly fields: readonly string[];
  readonly textBefore: string;
  readonly textAfter: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const text = (record: ExportedRecord | undefined, field: string) => (typeof record?.[field] === 'string' ? (record[field] as string) : '');

function structure(
  before: Readonly<Record<string, ExportedRecord>>,
  after: Readonly<Record<string, ExportedRecord>>,
  nameField: string,
): StructureDiff {
  const added = Object.keys(after).filter((id) => !Object.hasOwn(before, id));
  const removed = Object.keys(before).filter((id) => !Object.hasOwn(after, id));
  const renamed = Object.keys(after)
    .filter((id) => Object.hasOwn(before, id) && text(before[id], nameField) !== text(after[id], nameField))
    .map((id) => ({ id, before: text(before[id], nameField), after: text(after[id], nameField) }));
  return { added, removed, renamed };
}

/** Fields whose change is a move (the cell) or only a reordering within the cell, not a change of the card. */
const PLACEMENT = new Set(['stageId', 'laneId', 'order']);

export function diffMaps(before: MapExport, after: MapExport): MapDiff {
  const added = Object.keys(after.cards).filter((id) => !Object.hasOwn(before.cards, id));
  const removed = Object.keys(before.cards).filter((id) => !Object.hasOwn(after.cards, id));
  const moved: CardMove[] = [];
  const changed: CardChange[] = [];
  for (const [id, now] of Object.entries(after.cards)) {
    const was = before.cards[id];
    if (!was) continue;
    if (was['stageId'] !== now['stageId'] || was['laneId'] !== now['laneId']) {
      moved.push({
        id,
        from: { stageId: text(was, 'stageId'), laneId: text(was, 'laneId') },
        to: { stageId: text(now, 'stageId'), laneId: text(now, 'laneId') },
      });
    }
    const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(
      (field) => !PLACEMENT.has(field) && !same(was[field], now[field]),
    );
    if (fields.length > 0) changed.push({ id, fields: fields.sort(), textBefore: text(was, 'text'), textAfter: text(now, 'text') });
  }
  const emotionKeys = [...new Set([...Object.keys(before.emotions), ...Object.keys(after.emotions)])].sort();
  const emotions = emotionKeys
    .map((key) => ({ key, before: before.emotions[key] ?? null, after: after.emotions[key] ?? null }))
    .filter((change) => change.before !== change.after);
  const meta = ['title', 'goal', 'scope']
    .map((field) => ({ field, before: text(before.meta, field), after: text(after.meta, field) }))
    .filter((change) => change.before !== change.after);
  return {
    cards: { added, removed, moved, changed },
    stages: structure(before.stages, after.stages, 'name'),
    lanes: structure(before.lanes, after.lanes, 'title'),
    personas: structure(before.personas, after.personas, 'name'),
    emotions,
    meta,
  };
}

/** Whether a diff holds no change at all. */
export function isEmptyDiff(diff: MapDiff): boolean {
  const { cards, stages, lanes, personas } = diff;
  const counts: (readonly unknown[])[] = [cards.added, cards.removed, cards.moved, cards.changed, diff.emotions, diff.meta];
  for (const part of [stages, lanes, personas]) counts.push(part.added, part.removed, part.renamed);
  return counts.every((list) => list.length === 0);
}
