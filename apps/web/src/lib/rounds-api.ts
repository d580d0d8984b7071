import type { RoundKind, RoundScope } from '@waymark/model';
import { apiRequest, NOT_UNDERSTOOD, type ApiAnswer, type Fetch } from './api-request';

/**
 * The sealed rounds' routes as the page calls them. Whoever takes part is known by an id this
 * browser keeps (`X-Waymark-Voter`) and their name; a personal link is its own person whatever
 * the browser. Starting, revealing and cancelling also show the facilitator's seat.
 */

const VOTER_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The id the server accepts for this browser's votes: the profile's own id when it has the right
 * shape (ids Waymark makes do), else one derived from it, so the same profile is the same voter.
 */
export function voterId(profileId: string): string {
  if (VOTER_PATTERN.test(profileId)) return profileId;
  const bytes = new TextEncoder().encode(profileId);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const encoded = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `voter-${encoded}`.slice(0, 64).padEnd(8, '_');
}

export interface NewRound {
  readonly kind: RoundKind;
  readonly scope: RoundScope;
  /** Votes only. */
  readonly votesPerPerson?: number;
  readonly anonymous?: boolean;
  /** Server time; absent to run until the reveal. */
  readonly endsAt?: number;
}

/** A card added to a brainstorm that only its author sees until the reveal. */
export interface PrivateCard {
  readonly id: string;
  readonly stageId: string;
  readonly laneId: string;
  readonly text: string;
}

export type RoundState = 'open' | 'revealed' | 'cancelled';

/** A round as the caller may see it: its state, and what they themselves submitted. */
export interface MyRound {
  readonly id: string;
  readonly kind: RoundKind;
  readonly state: RoundState;
  /** The caller's dots, a card id once per dot (votes). */
  readonly ballot: readonly string[];
  /** The caller's hidden cards (brainstorms). */
  readonly cards: readonly PrivateCard[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function decodePrivateCard(value: unknown): PrivateCard | null {
  if (!isRecord(value)) return null;
  const { id, stageId, laneId, text } = value;
  if (typeof id !== 'string' || typeof stageId !== 'string' || typeof laneId !== 'string' || typeof text !== 'string') return null;
  return { id, stageId, laneId, text };
}

export function decodeMyRound(value: unknown): MyRound | null {
  if (!isRecord(value)) return null;
  const { id, kind, state, ballot, cards } = value;
  if (typeof id !== 'string' || (kind !== 'vote' && kind !== 'brainstorm')) return null;
  if (state !== 'open' && state !== 'revealed' && state !== 'cancelled') return null;
  return {
    id,
    kind,
    state,
    ballot: Array.isArray(ballot) ? ballot.filter((cardId): cardId is string => typeof cardId === 'string') : [],
    cards: Array.isArray(cards) ? cards.map(decodePrivateCard).filter((card): card is PrivateCard => card !== null) : [],
  };
}

/** The calls, for one map and link. `person()` is read on each call: a name changed meanwhile counts. */
export class RoundsApi {
  constructor(
    private readonly mapId: string,
    private readonly token: string,
    private readonly seat: string,
    private readonly voter: string,
    private readonly person: () => string,
    private readonly send?: Fetch,
  ) {}

  open(round: NewRound): Promise<ApiAnswer<unknown>> {
    return this.#call('', 'POST', round, true);
  }

  reveal(roundId: string): Promise<ApiAnswer<unknown>> {
    return this.#call(`/${encodeURIComponent(roundId)}/reveal`, 'POST', {}, true);
  }

  cancel(roundId: string): Promise<ApiAnswer<unknown>> {
    return this.#call(`/${encodeURIComponent(roundId)}`, 'DELETE', undefined, true);
  }

  async mine(roundId: string): Promise<ApiAnswer<MyRound>> {
    const answer = await this.#call(`/${encodeURIComponent(roundId)}`, 'GET');
    if (!answer.ok) return answer;
    const round = decodeMyRound(answer.value);
    return round ? { ok: true, value: round } : NOT_UNDERSTOOD;
  }

  /** The whole ballot: a card id once per dot; empty takes every dot back. */
  vote(roundId: string, cardIds: readonly string[]): Promise<ApiAnswer<unknown>> {
    return this.#call(`/${encodeURIComponent(roundId)}/ballot`, 'PUT', { cardIds });
  }

  async addCard(roundId: string, card: Omit<PrivateCard, 'id'>): Promise<ApiAnswer<PrivateCard>> {
    const answer = await this.#call(`/${encodeURIComponent(roundId)}/cards`, 'POST', card);
    if (!answer.ok) return answer;
    const added = decodePrivateCard(answer.value);
    return added ? { ok: true, value: added } : NOT_UNDERSTOOD;
  }

  deleteCard(roundId: string, cardId: string): Promise<ApiAnswer<unknown>> {
    return this.#call(`/${encodeURIComponent(roundId)}/cards/${encodeURIComponent(cardId)}`, 'DELETE');
  }

  #call(path: string, method: string, body?: unknown, asFacilitator = false): Promise<ApiAnswer<unknown>> {
    return apiRequest(
      `/api/maps/${encodeURIComponent(this.mapId)}/rounds${path}`,
      {
        token: this.token,
        method,
        person: this.person(),
        ...(body === undefined ? {} : { body }),
        headers: asFacilitator ? { 'x-waymark-seat': this.seat } : { 'x-waymark-voter': this.voter },
      },
      this.send,
    );
  }
}
