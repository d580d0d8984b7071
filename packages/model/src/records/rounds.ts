import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import type { Card } from './card.js';
import { isPlainObject } from './fields.js';
import { LANE_KINDS, type Lane, type LaneKind } from './lane.js';

/**
 * Sealed workshop rounds as the shared document shows them. What people submit (ballots, hidden
 * cards) stays on the server until the reveal; the document holds only the open round's settings
 * and how many people have taken part, then each revealed round's results. The server writes
 * both, in the `workshop` map under `round` and `results`.
 */

export const ROUND_KINDS = ['vote', 'brainstorm'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

/**
 * What a round is about: the whole map, a stage, a lane, every lane of a kind (pain points,
 * opportunities…) or the cards with a tag. A brainstorm's scope is the cells people may add to,
 * so it cannot be a tag.
 */
export type RoundScope =
  | { readonly kind: 'map' }
  | { readonly kind: 'stage'; readonly id: string }
  | { readonly kind: 'lane'; readonly id: string }
  | { readonly kind: 'laneKind'; readonly laneKind: LaneKind }
  | { readonly kind: 'tag'; readonly tag: string };

export interface OpenRound {
  readonly id: string;
  readonly kind: RoundKind;
  readonly scope: RoundScope;
  /** Dots each person has (votes only). */
  readonly votesPerPerson: number | null;
  /** Whether the reveal leaves out who voted for what. */
  readonly anonymous: boolean;
  readonly openedAt: number;
  /** When submissions stop (server time), or null to run until the reveal. */
  readonly endsAt: number | null;
  /** How many people have voted, or added a hidden card: the only thing anyone sees of them before the reveal. */
  readonly people: number;
}

export interface RoundResult {
  readonly id: string;
  readonly kind: RoundKind;
  readonly scope: RoundScope;
  readonly anonymous: boolean;
  readonly openedAt: number;
  readonly revealedAt: number;
  readonly people: number;
  /** Votes per card id, for the cards that got any (empty for a brainstorm). */
  readonly totals: Readonly<Record<string, number>>;
  /** Who voted for each card (names, a name once per dot), unless the round is anonymous. */
  readonly voters: Readonly<Record<string, readonly string[]>> | null;
  /** The cards a vote covered when it was revealed, or the cards a brainstorm revealed. */
  readonly cardIds: readonly string[];
}

export interface Rounds {
  readonly open: OpenRound | null;
  /** Revealed rounds, oldest first. */
  readonly results: readonly RoundResult[];
}

/** The most revealed rounds the document keeps; older results leave it (the server keeps every ballot). */
export const MAX_KEPT_RESULTS = 50;

const isRoundKind = (value: unknown): value is RoundKind => typeof value === 'string' && (ROUND_KINDS as readonly string[]).includes(value);

/** A scope from untrusted input, or null. */
export function readRoundScope(value: unknown): RoundScope | null {
  if (!isPlainObject(value)) return null;
  switch (value['kind']) {
    case 'map':
      return { kind: 'map' };
    case 'stage':
    case 'lane':
      return typeof value['id'] === 'string' && value['id'] !== '' ? { kind: value['kind'], id: value['id'] } : null;
    case 'laneKind': {
      const laneKind = value['laneKind'];
      return typeof laneKind === 'string' && (LANE_KINDS as readonly string[]).includes(laneKind)
        ? { kind: 'laneKind', laneKind: laneKind as LaneKind }
        : null;
    }
    case 'tag':
      return typeof value['tag'] === 'string' && value['tag'].trim() !== '' ? { kind: 'tag', tag: value['tag'].trim() } : null;
    default:
      return null;
  }
}

/** Whether a card is one a round's votes may go to. */
export function cardInScope(
  scope: RoundScope,
  card: Pick<Card, 'stageId' | 'laneId' | 'tags'>,
  lane: Pick<Lane, 'kind'> | undefined,
): boolean {
  switch (scope.kind) {
    case 'map':
      return true;
    case 'stage':
      return card.stageId === scope.id;
    case 'lane':
      return card.laneId === scope.id;
    case 'laneKind':
      return lane?.kind === scope.laneKind;
    case 'tag':
      return card.tags.includes(scope.tag);
  }
}

/** Whether a brainstorm in this scope takes cards in the cell (stage, lane). */
export function cellInScope(scope: RoundScope, stageId: string, laneId: string, lane: Pick<Lane, 'kind'> | undefined): boolean {
  if (scope.kind === 'tag') return false;
  if (lane?.kind === 'emotions') return false;
  return cardInScope(scope, { stageId, laneId, tags: [] }, lane);
}

function readCounts(value: unknown): Record<string, number> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, number] => Number.isInteger(entry[1]) && (entry[1] as number) > 0),
  );
}

function readVoters(value: unknown): Record<string, string[]> | null {
  if (!isPlainObject(value)) return null;
  return Object.fromEntries(
    Object.entries(value).flatMap(([cardId, names]) =>
      Array.isArray(names) ? [[cardId, names.filter((name): name is string => typeof name === 'string')]] : [],
    ),
  );
}

function readOpenRound(value: unknown): OpenRound | null {
  if (!isPlainObject(value)) return null;
  const { id, kind, openedAt, endsAt, votesPerPerson, people } = value;
  const scope = readRoundScope(value['scope']);
  if (typeof id !== 'string' || !isRoundKind(kind) || scope === null || typeof openedAt !== 'number') return null;
  return {
    id,
    kind,
    scope,
    votesPerPerson: kind === 'vote' && Number.isInteger(votesPerPerson) ? (votesPerPerson as number) : null,
    anonymous: value['anonymous'] === true,
    openedAt,
    endsAt: typeof endsAt === 'number' ? endsAt : null,
    people: Number.isInteger(people) ? (people as number) : 0,
  };
}

function readResult(value: unknown): RoundResult | null {
  if (!isPlainObject(value)) return null;
  const { id, kind, openedAt, revealedAt, people, cardIds } = value;
  const scope = readRoundScope(value['scope']);
  if (typeof id !== 'string' || !isRoundKind(kind) || scope === null || typeof openedAt !== 'number' || typeof revealedAt !== 'number')
    return null;
  const anonymous = value['anonymous'] === true;
  return {
    id,
    kind,
    scope,
    anonymous,
    openedAt,
    revealedAt,
    people: Number.isInteger(people) ? (people as number) : 0,
    totals: readCounts(value['totals']),
    voters: anonymous ? null : readVoters(value['voters']),
    cardIds: Array.isArray(cardIds) ? cardIds.filter((cardId): cardId is string => typeof cardId === 'string') : [],
  };
}

/** The open round and the revealed ones, as the document holds them; anything malformed reads as absent. */
export function readRounds(doc: Y.Doc): Rounds {
  const workshop = topLevelMap(doc, 'workshop');
  const results = workshop.get('results');
  return {
    open: readOpenRound(workshop.get('round')),
    results: Array.isArray(results) ? results.map(readResult).filter((result): result is RoundResult => result !== null) : [],
  };
}

/**
 * Dot-vote totals per card: for each card, the totals of the latest revealed vote round whose
 * scope held it (a card voted on twice counts the later round). This is what scoring reads.
 */
export function voteTotals(results: readonly RoundResult[]): Map<string, { votes: number; roundId: string }> {
  const totals = new Map<string, { votes: number; roundId: string }>();
  for (const result of results) {
    if (result.kind !== 'vote') continue;
    // A later round replaces an earlier one's count for every card it covered, voted for or not.
    for (const cardId of result.cardIds) totals.set(cardId, { votes: result.totals[cardId] ?? 0, roundId: result.id });
    for (const [cardId, votes] of Object.entries(result.totals)) totals.set(cardId, { votes, roundId: result.id });
  }
  return totals;
}
