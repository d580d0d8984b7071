import {
  dataRefreshedAt,
  isOverdue,
  isUnowned,
  nextReviewDate,
  staleStages,
  type Action,
  type Evidence,
  type LaneKind,
  type Metric,
  type Stage,
} from '@waymark/model';

/**
 * What on a map needs someone's attention, worked out from what the page already holds: cards
 * nobody has touched for longer than the map's review interval, cards whose evidence is only
 * assumed, open actions without an owner or past their due date, and stages whose customer data
 * is older than the interval. Pure, so the panel stays a thin view and the rules are tested here.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the rules read of a card: never its text, so typing in a card does not re-run them. */
export interface AttentionCard {
  readonly id: string;
  readonly stageId: string;
  readonly laneId: string;
  readonly evidence: Evidence;
  readonly createdAt: number;
}

export interface AttentionInput {
  readonly cards: Iterable<AttentionCard>;
  /** When each card was last changed as far as the server's activity record goes; undefined when it has none. */
  readonly lastChanged: (cardId: string) => number | undefined;
  readonly stages: readonly Pick<Stage, 'id' | 'name'>[];
  readonly laneKinds: ReadonlyMap<string, LaneKind>;
  readonly actions: readonly Action[];
  readonly metrics: readonly Metric[];
  readonly intervalDays: number;
  /** ms since the epoch. */
  readonly now: number;
  /** The local calendar day, `YYYY-MM-DD` (actions are due on a day where the person is). */
  readonly today: string;
}

export interface StaleCard extends AttentionCard {
  /** The later of its creation and its last known change; 0 when neither is known. */
  readonly lastChange: number;
}

export interface StaleStage {
  readonly id: string;
  readonly name: string;
  /** The date of its newest measurement, `YYYY-MM-DD`. */
  readonly newest: string;
}

export interface NeedsAttention {
  /** Oldest change first. */
  readonly staleCards: readonly StaleCard[];
  /** Pain points, then opportunities, then the rest; each in stage order. */
  readonly assumedCards: readonly AttentionCard[];
  readonly unownedActions: readonly Action[];
  readonly overdueActions: readonly Action[];
  /** In stage order. */
  readonly staleStages: readonly StaleStage[];
  readonly total: number;
}

/** Lanes whose assumptions cost the most when wrong come first in the assumed list. */
const LANE_PRIORITY: Partial<Record<LaneKind, number>> = { painPoints: 0, opportunities: 1 };

export function needsAttention(input: AttentionInput): NeedsAttention {
  const stageOrder = new Map(input.stages.map((stage, index) => [stage.id, index]));
  const cutoff = input.now - input.intervalDays * DAY_MS;
  const staleCards: StaleCard[] = [];
  const assumedCards: AttentionCard[] = [];
  for (const card of input.cards) {
    const lastChange = Math.max(card.createdAt, input.lastChanged(card.id) ?? 0);
    // A card of unknown age (written before cards kept their creation time) is not called stale on no evidence.
    if (lastChange > 0 && lastChange < cutoff) staleCards.push({ ...card, lastChange });
    if (card.evidence === 'assumed') assumedCards.push(card);
  }
  const place = (card: AttentionCard) => stageOrder.get(card.stageId) ?? Number.MAX_SAFE_INTEGER;
  const lanePriority = (card: AttentionCard) => LANE_PRIORITY[input.laneKinds.get(card.laneId) ?? 'notes'] ?? 2;
  staleCards.sort((a, b) => a.lastChange - b.lastChange || place(a) - place(b));
  assumedCards.sort((a, b) => lanePriority(a) - lanePriority(b) || place(a) - place(b) || a.createdAt - b.createdAt);
  const unownedActions = input.actions.filter((action) => isUnowned(action));
  const overdueActions = input.actions
    .filter((action) => isOverdue(action, input.today))
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  const stale = staleStages(input.metrics, input.intervalDays, input.now);
  const stages = input.stages.flatMap((stage) => {
    const newest = stale.get(stage.id);
    return newest === undefined ? [] : [{ id: stage.id, name: stage.name, newest }];
  });
  return {
    staleCards,
    assumedCards,
    unownedActions,
    overdueActions,
    staleStages: stages,
    total: staleCards.length + assumedCards.length + unownedActions.length + overdueActions.length + stages.length,
  };
}

export interface ReviewStatus {
  /** When customer data was last entered or imported (ms), or null when the map has none. */
  readonly refreshedAt: number | null;
  /** `YYYY-MM-DD`, or null when the map's age is unknown and it has no data. */
  readonly nextReview: string | null;
  /** The review day has passed. */
  readonly overdue: boolean;
}

/** When the map's data was last refreshed and when it is next due for review. */
export function reviewStatus(metrics: readonly Metric[], createdAt: number, intervalDays: number, today: string): ReviewStatus {
  const refreshedAt = dataRefreshedAt(metrics);
  const nextReview = nextReviewDate(refreshedAt, createdAt, intervalDays);
  return { refreshedAt, nextReview, overdue: nextReview !== null && nextReview < today };
}

/** How long ago, in whole days, in words: "today", "1 day ago", "120 days ago". */
export function daysAgo(time: number, now: number): string {
  const days = Math.floor((now - time) / DAY_MS);
  return days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}
