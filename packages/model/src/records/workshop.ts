import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isPlainObject } from './fields.js';

/**
 * The live workshop on a map: who facilitates, the agenda, where it stands, the timer, and
 * whether the map is locked for participants. Stored in the `workshop` top-level map and written
 * only by the server (the facilitator acts through its routes), so every client reads the same.
 */

export const FOCUS_KINDS = ['map', 'stage', 'lane', 'persona'] as const;
export type FocusKind = (typeof FOCUS_KINDS)[number];

export interface AgendaItem {
  readonly id: string;
  readonly title: string;
  /** The timebox, in minutes. */
  readonly minutes: number;
  /** What the room looks at meanwhile: the whole map, or one stage, lane or persona. */
  readonly focus: { readonly kind: FocusKind; readonly id: string | null };
}

export interface Facilitator {
  /** The seat id the facilitator's browser keeps: its facilitator-only calls carry it. */
  readonly seat: string;
  readonly name: string;
  readonly since: number;
  /**
   * The awareness client id of the facilitator's page, which participants follow; null until the
   * page says. The server relays presence under an id only from the connection that introduced it.
   */
  readonly clientId: number | null;
}

/** The timer: running towards `endsAt`, or paused with `remainingMs` left. Server times (ms since the epoch). */
export type WorkshopTimer =
  | { readonly state: 'running'; readonly endsAt: number }
  | { readonly state: 'paused'; readonly remainingMs: number }
  | { readonly state: 'stopped' };

export interface AgendaRun {
  readonly itemId: string;
  readonly startedAt: number;
  /** When the item was left for the next one; null while it runs. */
  readonly endedAt: number | null;
}

/** An off-agenda topic someone dropped in the parking lot, until the facilitator makes it a card or discards it. */
export interface ParkedTopic {
  readonly id: string;
  readonly text: string;
  /** Who dropped it, by the name they gave. */
  readonly by: string;
  readonly at: number;
}

export interface Workshop {
  readonly facilitator: Facilitator | null;
  readonly agenda: readonly AgendaItem[];
  /** The item under way, or null before the start and after the end. */
  readonly currentItemId: string | null;
  readonly timer: WorkshopTimer;
  /** Whether participants' edits are refused for now (while the facilitator presents). */
  readonly locked: boolean;
  /** The agenda as run: when each item started and ended, for the summary. */
  readonly runs: readonly AgendaRun[];
  /** Off-agenda topics, oldest first. */
  readonly parkingLot: readonly ParkedTopic[];
  /** When the facilitator last brought everyone to their view (server time); null if never. */
  readonly gatheredAt: number | null;
}

const isFocusKind = (value: unknown): value is FocusKind => typeof value === 'string' && (FOCUS_KINDS as readonly string[]).includes(value);

function readAgendaItem(value: unknown): AgendaItem | null {
  if (!isPlainObject(value)) return null;
  const { id, title, minutes, focus } = value;
  if (typeof id !== 'string' || typeof title !== 'string' || typeof minutes !== 'number' || !Number.isFinite(minutes)) return null;
  const kind = isPlainObject(focus) && isFocusKind(focus['kind']) ? focus['kind'] : 'map';
  const focusId = isPlainObject(focus) && typeof focus['id'] === 'string' ? focus['id'] : null;
  return { id, title, minutes, focus: { kind, id: kind === 'map' ? null : focusId } };
}

function readTimer(value: unknown): WorkshopTimer {
  if (isPlainObject(value)) {
    if (value['state'] === 'running' && typeof value['endsAt'] === 'number') return { state: 'running', endsAt: value['endsAt'] };
    if (value['state'] === 'paused' && typeof value['remainingMs'] === 'number')
      return { state: 'paused', remainingMs: Math.max(0, value['remainingMs']) };
  }
  return { state: 'stopped' };
}

/** The workshop as the document holds it; anything malformed reads as absent. */
export function readWorkshop(doc: Y.Doc): Workshop {
  const map = topLevelMap(doc, 'workshop');
  const facilitator = map.get('facilitator');
  const agenda = map.get('agenda');
  const runs = map.get('runs');
  const current = map.get('currentItemId');
  const gatheredAt = map.get('gatheredAt');
  return {
    facilitator:
      isPlainObject(facilitator) &&
      typeof facilitator['seat'] === 'string' &&
      typeof facilitator['name'] === 'string' &&
      typeof facilitator['since'] === 'number'
        ? {
            seat: facilitator['seat'],
            name: facilitator['name'],
            since: facilitator['since'],
            clientId: readClientId(facilitator['clientId']),
          }
        : null,
    agenda: Array.isArray(agenda) ? agenda.map(readAgendaItem).filter((item): item is AgendaItem => item !== null) : [],
    currentItemId: typeof current === 'string' ? current : null,
    timer: readTimer(map.get('timer')),
    locked: map.get('locked') === true,
    parkingLot: readParkingLot(map.get('parkingLot')),
    gatheredAt: typeof gatheredAt === 'number' && Number.isFinite(gatheredAt) ? gatheredAt : null,
    runs: Array.isArray(runs)
      ? runs.flatMap((run): AgendaRun[] =>
          isPlainObject(run) && typeof run['itemId'] === 'string' && typeof run['startedAt'] === 'number'
            ? [{ itemId: run['itemId'], startedAt: run['startedAt'], endedAt: typeof run['endedAt'] === 'number' ? run['endedAt'] : null }]
            : [],
        )
      : [],
  };
}

/** An awareness client id is a Yjs client id: a whole number below 2^32. */
export const isAwarenessClientId = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** 32;

const readClientId = (value: unknown): number | null => (isAwarenessClientId(value) ? value : null);

function readParkingLot(value: unknown): ParkedTopic[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((topic): ParkedTopic[] =>
    isPlainObject(topic) && typeof topic['id'] === 'string' && typeof topic['text'] === 'string' && typeof topic['at'] === 'number'
      ? [{ id: topic['id'], text: topic['text'], by: typeof topic['by'] === 'string' ? topic['by'] : '', at: topic['at'] }]
      : [],
  );
}

/**
 * The agenda was run to its end: nothing under way, and every item on it was reached (an item
 * stopped part way counts). A newly saved agenda of other items is not finished until it is run.
 */
export function agendaFinished(workshop: Pick<Workshop, 'agenda' | 'runs' | 'currentItemId'>): boolean {
  if (workshop.currentItemId !== null || workshop.agenda.length === 0) return false;
  const reached = new Set(workshop.runs.map((run) => run.itemId));
  return workshop.agenda.every((item) => reached.has(item.id));
}

/** Time left on the timer at `now` (server time), in ms; null when it is stopped. Negative once it has run over. */
export function timerRemaining(timer: WorkshopTimer, now: number): number | null {
  if (timer.state === 'running') return timer.endsAt - now;
  if (timer.state === 'paused') return timer.remainingMs;
  return null;
}
