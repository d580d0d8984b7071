import { isValidId } from '@waymark/model';

/**
 * What a presence (awareness) entry may hold before the room relays it. Entries come from any
 * link holder, viewers included, and every other client parses them, so each is bounded and its
 * known fields are checked; unknown fields are kept (stock clients and later features add their
 * own) within the same bounds.
 */
export interface PresenceLimits {
  /** Largest entry, as JSON text, in UTF-16 code units (what JSON.parse and the clients hold). */
  maxEntryBytes: number;
  /** Deepest nesting of objects and arrays in one entry. */
  maxDepth: number;
  /** Entries one connection may speak for at once (a browser tab has one). */
  maxEntriesPerConnection: number;
}

export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = {
  maxEntryBytes: 16 * 1024,
  maxDepth: 8,
  maxEntriesPerConnection: 8,
};

const MAX_NAME_LENGTH = 100;
const MAX_ID_LENGTH = 64;
const COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The entry parsed, or why it is dropped. */
export type CheckedEntry = { ok: true; state: unknown } | { ok: false; reason: string };

/**
 * Checks one entry's JSON text: its length, then its nesting (scanned in the text, so a
 * 200,000-deep array is refused before anything builds it), then its known fields.
 */
export function checkPresenceEntry(json: string, limits: PresenceLimits): CheckedEntry {
  if (json.length > limits.maxEntryBytes) {
    return { ok: false, reason: `entry of ${json.length} characters is over the limit of ${limits.maxEntryBytes}` };
  }
  const depth = jsonDepth(json);
  if (depth > limits.maxDepth) return { ok: false, reason: `entry nests deeper than ${limits.maxDepth} levels` };
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'entry is not valid JSON' };
  }
  if (state === null) return { ok: true, state };
  if (typeof state !== 'object' || Array.isArray(state)) return { ok: false, reason: 'entry is not an object' };
  const reason = fieldProblem(state as Record<string, unknown>);
  return reason ? { ok: false, reason } : { ok: true, state };
}

/** Why the known fields of a state are wrong, or null. */
function fieldProblem(state: Record<string, unknown>): string | null {
  // Notices come from the server on a channel of its own; an entry shaped like one is a forgery.
  if ('server' in state) return 'entry has a "server" field, which only the server may use';
  if ('user' in state) {
    const user = state.user;
    if (typeof user !== 'object' || user === null || Array.isArray(user)) return 'user is not an object';
    const { id, name, colour } = user as Record<string, unknown>;
    if (id !== undefined && !boundedString(id, MAX_ID_LENGTH)) return `user.id is not a string of at most ${MAX_ID_LENGTH} characters`;
    if (name !== undefined && !boundedString(name, MAX_NAME_LENGTH)) {
      return `user.name is not a string of at most ${MAX_NAME_LENGTH} characters`;
    }
    if (colour !== undefined && !(typeof colour === 'string' && COLOUR.test(colour))) return 'user.colour is not a colour like #aabbcc';
  }
  if ('cursor' in state && state.cursor !== null) {
    const cursor = state.cursor;
    if (typeof cursor !== 'object' || Array.isArray(cursor)) return 'cursor is not an object';
    const { x, y } = cursor as Record<string, unknown>;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return 'cursor.x and cursor.y must be finite numbers';
  }
  if ('editing' in state && state.editing !== null && !boundedString(state.editing, MAX_ID_LENGTH)) {
    return `editing is not a card id of at most ${MAX_ID_LENGTH} characters`;
  }
  if ('presenting' in state && state.presenting !== null) return presentingProblem(state.presenting);
  if ('view' in state && state.view !== null) return viewProblem(state.view);
  return null;
}

/** Map pixels a view may sit at: far beyond any real map, yet never a number that breaks scrolling. */
const MAX_VIEW_OFFSET = 10_000_000;
const VIEW_KEYS = new Set(['x', 'y', 'zoom', 'stageId']);

/**
 * Where a facilitator looks: `{ x, y, zoom, stageId }`, the top-left corner in unzoomed map pixels,
 * the zoom, and the stage in focus or null. Followers scroll their own grid to it.
 */
function viewProblem(view: unknown): string | null {
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return 'view is not an object';
  if (Object.keys(view).some((key) => !VIEW_KEYS.has(key))) return 'view may hold x, y, zoom and stageId and nothing else';
  const { x, y, zoom, stageId } = view as Record<string, unknown>;
  const offset = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_VIEW_OFFSET;
  if (!offset(x) || !offset(y)) return `view.x and view.y must be finite numbers within ±${MAX_VIEW_OFFSET}`;
  if (!(typeof zoom === 'number' && zoom > 0 && zoom <= 10)) return 'view.zoom must be a number above 0 and at most 10';
  if (stageId !== null && !isValidId(stageId)) return 'view.stageId is not a record id or null';
  return null;
}

/**
 * A presenter's position: `{ stageId }` and nothing else. Others open their presentation at that
 * stage when they follow, so it is held to a record id's shape, not just a bounded string.
 */
function presentingProblem(presenting: unknown): string | null {
  if (typeof presenting !== 'object' || presenting === null || Array.isArray(presenting)) return 'presenting is not an object';
  const keys = Object.keys(presenting);
  if (keys.length !== 1 || keys[0] !== 'stageId') return 'presenting may hold a stageId and nothing else';
  if (!isValidId((presenting as { stageId: unknown }).stageId)) return 'presenting.stageId is not a record id';
  return null;
}

const boundedString = (value: unknown, max: number): boolean => typeof value === 'string' && value.length <= max;

/** The deepest nesting of `[` and `{` in JSON text, counting only outside strings. */
export function jsonDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}
