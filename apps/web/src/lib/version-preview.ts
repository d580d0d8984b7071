import { compareByOrder, diffMaps, type ExportedRecord, type MapDiff, type MapExport } from '@waymark/model';
import { previewScores, type PreviewScore } from './version-preview-scores';

/**
 * A version laid out as a map for its read-only preview: stages as columns, lanes as rows, cards
 * in their cells. Compared with another state of the map (the map now, or another version), the
 * preview also marks what differs: records only the version has are "added", records only the
 * other state has come back as ghosts ("removed"), and changed, renamed and moved ones say so.
 * The diff reads from the other state to the version: what restoring the version would change.
 * Personas, which are not drawn on the grid, are listed above it, and the emotions lane shows each
 * persona's score at each stage, marked the same way.
 */

export type HeaderMark = 'added' | 'removed' | 'renamed' | null;

export interface PreviewHeader {
  readonly id: string;
  readonly name: string;
  readonly mark: HeaderMark;
  /** The name in the other state, when renamed. */
  readonly before: string | null;
}

export interface PreviewLane extends PreviewHeader {
  /** The emotions lane, where the scores are drawn. */
  readonly emotions: boolean;
}

export interface PreviewCard {
  readonly id: string;
  readonly text: string;
  readonly added: boolean;
  /** A ghost: the card is in the other state only. */
  readonly removed: boolean;
  readonly changed: boolean;
  /** The text in the other state, when it differs. */
  readonly textBefore: string | null;
  /** Where the card is in the other state ("Stage / Lane"), when it moved. */
  readonly movedFrom: string | null;
}

export interface PreviewGrid {
  readonly stages: readonly PreviewHeader[];
  readonly lanes: readonly PreviewLane[];
  /** By name, as the map lists them. */
  readonly personas: readonly PreviewHeader[];
  /** Cards by `cellKey(stageId, laneId)`, in their order. */
  readonly cells: ReadonlyMap<string, readonly PreviewCard[]>;
  /** Agreed emotion scores by stage id, for the emotions lane. */
  readonly scores: ReadonlyMap<string, readonly PreviewScore[]>;
  readonly diff: MapDiff | null;
}

export const cellKey = (stageId: string, laneId: string): string => `${stageId}\u0000${laneId}`;

/** A field as a string, '' when it is not one (a version's fields are read, never trusted). */
export const textOf = (record: ExportedRecord | undefined, field: string): string =>
  typeof record?.[field] === 'string' ? (record[field] as string) : '';

const ordered = (records: Readonly<Record<string, ExportedRecord>>, orderField = 'order') =>
  Object.entries(records).map(([id, record]) => ({ id, order: textOf(record, orderField), record }));

/**
 * Stages, lanes or personas of the version, with those only in the other state back among them.
 * Stages and lanes sort by their order keys, which compare across versions, so a removed stage
 * comes back where it was; personas have none and sort by name, as the map lists them.
 */
function headers(
  shown: Readonly<Record<string, ExportedRecord>>,
  base: Readonly<Record<string, ExportedRecord>> | null,
  nameField: string,
  diff: MapDiff['stages'] | null,
  orderField = 'order',
): (PreviewHeader & { record: ExportedRecord })[] {
  const added = new Set(diff?.added);
  const renamed = new Map(diff?.renamed.map((change) => [change.id, change.before]));
  const rows: (PreviewHeader & { order: string; record: ExportedRecord })[] = ordered(shown, orderField).map(({ id, order, record }) => ({
    id,
    order,
    record,
    name: textOf(record, nameField),
    mark: added.has(id) ? 'added' : renamed.has(id) ? 'renamed' : null,
    before: renamed.get(id) ?? null,
  }));
  if (base && diff) {
    for (const id of diff.removed) {
      const record = base[id];
      if (record)
        rows.push({ id, order: textOf(record, orderField), record, name: textOf(record, nameField), mark: 'removed', before: null });
    }
  }
  return rows.sort(compareByOrder).map(({ id, name, mark, before, record }) => ({ id, name, mark, before, record }));
}

const header = ({ id, name, mark, before }: PreviewHeader): PreviewHeader => ({ id, name, mark, before });

/** "Stage / Lane" in a state of the map. */
export function placeName(map: MapExport, stageId: string, laneId: string): string {
  const stage = textOf(map.stages[stageId], 'name') || 'a stage that is gone';
  const lane = textOf(map.lanes[laneId], 'title') || 'a lane that is gone';
  return `${stage} / ${lane}`;
}

export function previewGrid(shown: MapExport, base: MapExport | null): PreviewGrid {
  const diff = base ? diffMaps(base, shown) : null;
  const stages = headers(shown.stages, base?.stages ?? null, 'name', diff?.stages ?? null).map(header);
  const lanes = headers(shown.lanes, base?.lanes ?? null, 'title', diff?.lanes ?? null).map((lane) => ({
    ...header(lane),
    emotions: lane.record['kind'] === 'emotions',
  }));
  const personas = headers(shown.personas, base?.personas ?? null, 'name', diff?.personas ?? null, 'name').map(header);
  const stageIds = new Set(stages.map((stage) => stage.id));
  const laneIds = new Set(lanes.map((lane) => lane.id));
  const added = new Set(diff?.cards.added);
  const changed = new Map(diff?.cards.changed.map((change) => [change.id, change]));
  const moved = new Map(diff?.cards.moved.map((move) => [move.id, move]));

  const placed: { stageId: string; laneId: string; order: string; id: string; card: PreviewCard }[] = [];
  for (const { id, order, record } of ordered(shown.cards)) {
    const change = changed.get(id);
    const move = moved.get(id);
    placed.push({
      id,
      order,
      stageId: textOf(record, 'stageId'),
      laneId: textOf(record, 'laneId'),
      card: {
        id,
        text: textOf(record, 'text'),
        added: added.has(id),
        removed: false,
        changed: change !== undefined,
        textBefore: change && change.textBefore !== change.textAfter ? change.textBefore : null,
        movedFrom: move && base ? placeName(base, move.from.stageId, move.from.laneId) : null,
      },
    });
  }
  if (base && diff) {
    for (const id of diff.cards.removed) {
      const record = base.cards[id];
      if (!record) continue;
      const card: PreviewCard = {
        id,
        text: textOf(record, 'text'),
        added: false,
        removed: true,
        changed: false,
        textBefore: null,
        movedFrom: null,
      };
      placed.push({ id, order: textOf(record, 'order'), stageId: textOf(record, 'stageId'), laneId: textOf(record, 'laneId'), card });
    }
  }
  const cells = new Map<string, PreviewCard[]>();
  // A card whose stage or lane is in neither state (a dangling record) has no cell to be drawn in.
  for (const entry of placed.sort(compareByOrder)) {
    if (!stageIds.has(entry.stageId) || !laneIds.has(entry.laneId)) continue;
    const key = cellKey(entry.stageId, entry.laneId);
    const list = cells.get(key);
    if (list) list.push(entry.card);
    else cells.set(key, [entry.card]);
  }
  return { stages, lanes, personas, cells, scores: previewScores(shown, base, diff, personas, stages), diff };
}
