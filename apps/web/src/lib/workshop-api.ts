import type { FocusKind } from '@waymark/model';
import { apiRequest, type ApiAnswer, type Fetch } from './api-request';

/**
 * The workshop routes as the page calls them. The facilitator's browser keeps a random seat id;
 * taking the seat records it on the map, and every facilitator-only call shows it again.
 */

const SEAT_KEY = 'waymark.seat';
const SEAT_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** This browser's seat id, made once and remembered (for this visit only when storage is blocked). */
export function browserSeat(storage: Storage | null = globalThis.localStorage ?? null): string {
  try {
    const stored = storage?.getItem(SEAT_KEY);
    if (stored && SEAT_PATTERN.test(stored)) return stored;
  } catch {
    // Storage blocked: a seat for this visit.
  }
  const seat = `seat-${crypto.randomUUID()}`;
  try {
    storage?.setItem(SEAT_KEY, seat);
  } catch {
    // Storage full or blocked: the seat still works until the page closes.
  }
  return seat;
}

export interface AgendaDraftItem {
  readonly id?: string;
  readonly title: string;
  readonly minutes: number;
  readonly focus: { readonly kind: FocusKind; readonly id: string | null };
}

export type AgendaAction = 'start' | 'pause' | 'resume' | 'next' | 'stop';

/** The calls, for one map and link; the answer's value is not needed (the document brings the state). */
export class WorkshopApi {
  constructor(
    private readonly mapId: string,
    private readonly token: string,
    readonly seat: string,
    private readonly send?: Fetch,
  ) {}

  /** `clientId`: this page's awareness client id, the one participants follow. */
  takeSeat(name: string, clientId: number): Promise<ApiAnswer<unknown>> {
    return this.#call('/seat', 'POST', { seat: this.seat, name, clientId }, false);
  }

  /** The seat is this browser's, and this page is a new one (a reload): participants follow it now. */
  announceClient(clientId: number): Promise<ApiAnswer<unknown>> {
    return this.#call('/seat/client', 'PUT', { clientId });
  }

  /** "Bring everyone here". */
  gather(): Promise<ApiAnswer<unknown>> {
    return this.#call('/gather', 'POST', {});
  }

  leaveSeat(): Promise<ApiAnswer<unknown>> {
    return this.#call('/seat', 'DELETE');
  }

  saveAgenda(items: readonly AgendaDraftItem[]): Promise<ApiAnswer<unknown>> {
    return this.#call('/agenda', 'PUT', { items });
  }

  run(action: AgendaAction): Promise<ApiAnswer<unknown>> {
    return this.#call(`/agenda/${action}`, 'POST', {});
  }

  lock(locked: boolean): Promise<ApiAnswer<unknown>> {
    return this.#call('/lock', 'POST', { locked });
  }

  /** Anyone who may write parks a topic; the server records it under `person`. */
  park(text: string, person: string): Promise<ApiAnswer<unknown>> {
    return this.#call('/parking', 'POST', { text }, false, person);
  }

  topicToCard(topicId: string, stageId: string, laneId: string): Promise<ApiAnswer<unknown>> {
    return this.#call(`/parking/${encodeURIComponent(topicId)}/card`, 'POST', { stageId, laneId });
  }

  discardTopic(topicId: string): Promise<ApiAnswer<unknown>> {
    return this.#call(`/parking/${encodeURIComponent(topicId)}`, 'DELETE');
  }

  #call(path: string, method: string, body?: unknown, asFacilitator = true, person?: string): Promise<ApiAnswer<unknown>> {
    return apiRequest(
      `/api/maps/${encodeURIComponent(this.mapId)}/workshop${path}`,
      {
        token: this.token,
        method,
        person,
        ...(body === undefined ? {} : { body }),
        ...(asFacilitator ? { headers: { 'x-waymark-seat': this.seat } } : {}),
      },
      this.send,
    );
  }
}
