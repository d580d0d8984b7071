import { isColour, isValidId } from '@waymark/model';

/** What other browsers publish about their person through awareness, decoded. */

/** A point on the map, in unzoomed map pixels, so everyone's cursor lands on the same card. */
export interface MapPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * Where a facilitator looks: the top-left corner of their grid in unzoomed map pixels (so it lines
 * up on any window size), their zoom, and the stage they are in, if any.
 */
export interface MapView extends MapPoint {
  readonly zoom: number;
  readonly stageId: string | null;
}

export interface Peer {
  readonly clientId: number;
  readonly userId: string;
  readonly name: string;
  readonly colour: string;
  readonly cursor: MapPoint | null;
  readonly editingCardId: string | null;
  /** The stage this person is presenting (see StagePresentation), or null. */
  readonly presentingStageId: string | null;
  /** The view this person publishes for others to follow (only a facilitator does), or null. */
  readonly view: MapView | null;
}

function decodePoint(value: unknown): MapPoint | null {
  if (typeof value !== 'object' || value === null) return null;
  const { x, y } = value as Record<string, unknown>;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    return null;
  }
  return { x, y };
}

function decodeView(value: unknown): MapView | null {
  const point = decodePoint(value);
  if (point === null) return null;
  const { zoom, stageId } = value as Record<string, unknown>;
  if (typeof zoom !== 'number' || !(zoom > 0 && zoom <= 10)) return null;
  return { ...point, zoom, stageId: isValidId(stageId) ? stageId : null };
}

/** Awareness states come from other browsers: decode, never trust. */
export function decodePeer(clientId: number, state: unknown): Peer | null {
  if (typeof state !== 'object' || state === null) return null;
  const record = state as Record<string, unknown>;
  const user = record['user'];
  if (typeof user !== 'object' || user === null) return null;
  const { id, name, colour } = user as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string' || !isColour(colour)) return null;
  const editing = record['editing'];
  const presenting = record['presenting'];
  const presentingStageId =
    typeof presenting === 'object' && presenting !== null ? (presenting as Record<string, unknown>)['stageId'] : null;
  return {
    clientId,
    userId: id,
    name: name.slice(0, 40) || 'Guest',
    colour,
    cursor: decodePoint(record['cursor']),
    editingCardId: typeof editing === 'string' ? editing : null,
    presentingStageId: isValidId(presentingStageId) ? presentingStageId : null,
    view: decodeView(record['view']),
  };
}
