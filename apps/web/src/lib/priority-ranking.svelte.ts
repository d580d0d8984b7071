import {
  cardContext,
  cardMatchesFilter,
  changedRecordIds,
  readCards,
  readCardsById,
  scoreCards,
  SCORED_LANE_KINDS,
  stageImpacts,
  topLevelMap,
  voteTotals,
  type Card,
  type DeepEvent,
  type ScoredCard,
  type ScoringCard,
} from '@waymark/model';
import type * as Y from 'yjs';
import type { MapState } from './map-state.svelte';
import type { RoundsState } from './rounds.svelte';

/** What scoring reads of a card, plus its place in map order (ties keep it). */
interface RankedCard extends ScoringCard {
  readonly order: string;
}

/**
 * The map's pain points and opportunities, scored and ranked, kept current from the document.
 *
 * The scoring fields of every card are cached and only the cards a transaction touched are read
 * again; a card whose scoring fields did not change (someone typing in it) leaves the ranking
 * alone. The ranking itself is one derivation over the cache, the map's weights, metrics, curve
 * and revealed votes: it runs once per change that matters, when someone looks at it. Entries
 * that come out the same as before are the same objects, so a keyed list redraws only the rows
 * that moved or changed.
 */
export class PriorityRanking {
  readonly #cards = new Map<string, RankedCard>();
  #version = $state(0);
  readonly #dirty = new Set<string>();
  #structure: unknown[] = [];
  #previous = new Map<string, ScoredCard>();
  #previousList: readonly ScoredCard[] = [];
  readonly #detach: () => void;

  constructor(
    private readonly doc: Y.Doc,
    private readonly state: MapState,
    private readonly rounds: RoundsState,
    /** The persona the page is filtered to, or null for everyone. */
    private readonly personaId: () => string | null,
  ) {
    const cards = topLevelMap(doc, 'cards');
    const watch = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const id of changedRecordIds(cards, events as unknown as DeepEvent[])) this.#dirty.add(id);
    };
    const flush = () => this.#flush();
    cards.observeDeep(watch);
    doc.on('afterTransaction', flush);
    this.#detach = () => {
      cards.unobserveDeep(watch);
      doc.off('afterTransaction', flush);
    };
    this.#readAll();
  }

  readonly #ranked = $derived.by((): readonly ScoredCard[] => {
    void this.#version;
    const { stages, lanes, emotions, metrics, meta } = this.state;
    const personaId = this.personaId();
    const stageRank = new Map(stages.map((stage, index) => [stage.id, index]));
    const laneRank = new Map(lanes.map((lane, index) => [lane.id, index]));
    const scoredLanes = new Set(lanes.filter((lane) => SCORED_LANE_KINDS.includes(lane.kind)).map((lane) => lane.id));
    const cards: RankedCard[] = [];
    for (const card of this.#cards.values()) {
      if (!scoredLanes.has(card.laneId)) continue;
      if (personaId !== null && !cardMatchesFilter(card, { personaId })) continue;
      cards.push(card);
    }
    cards.sort(
      (a, b) =>
        stageRank.get(a.stageId)! - stageRank.get(b.stageId)! ||
        laneRank.get(a.laneId)! - laneRank.get(b.laneId)! ||
        (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) ||
        (a.id < b.id ? -1 : 1),
    );
    const ranked = scoreCards({
      cards,
      lanes,
      emotions: personaId === null ? emotions : emotions.filter((point) => point.personaId === personaId),
      votes: voteTotals(this.rounds.results),
      impacts: stageImpacts(
        metrics,
        stages.map((stage) => stage.id),
        { valuePerCustomer: meta.valuePerCustomer, calibration: meta.calibration },
        personaId,
      ),
      weights: meta.scoreWeights,
    });
    return this.#reuse(ranked);
  });

  /** The scored cards, best first. */
  get ranked(): readonly ScoredCard[] {
    return this.#ranked;
  }

  /** One card's score and rank, or undefined when it is not a pain point or opportunity (in this view). */
  scoreOf(cardId: string): ScoredCard | undefined {
    return this.#ranked.find((entry) => entry.cardId === cardId);
  }

  /** A card's judged impact and effort (0 = not scored), as scoring sees them. */
  judgements(cardId: string): { impact: number; effort: number } | undefined {
    void this.#version;
    const card = this.#cards.get(cardId);
    return card && { impact: card.impact, effort: card.effort };
  }

  destroy(): void {
    this.#detach();
  }

  /** Keeps last time's entry objects (and list) where nothing about them changed. */
  #reuse(ranked: readonly ScoredCard[]): readonly ScoredCard[] {
    const next = new Map<string, ScoredCard>();
    let same = ranked.length === this.#previousList.length;
    const list = ranked.map((entry, index) => {
      const before = this.#previous.get(entry.cardId);
      const kept = before !== undefined && sameScore(before, entry) ? before : entry;
      next.set(entry.cardId, kept);
      if (kept !== this.#previousList[index]) same = false;
      return kept;
    });
    this.#previous = next;
    if (!same) this.#previousList = list;
    return this.#previousList;
  }

  #flush(): void {
    const { stages, lanes, personas } = this.state;
    const structure = [stages, lanes, personas];
    // A card's validity depends on its stage, lane and personas: when they change, read every card again.
    if (structure.some((part, index) => part !== this.#structure[index])) {
      this.#dirty.clear();
      this.#readAll();
      this.#version++;
      return;
    }
    if (this.#dirty.size === 0) return;
    const read = readCardsById(this.doc, this.#dirty, cardContext(stages, lanes, personas));
    this.#dirty.clear();
    let changed = false;
    for (const [id, card] of read) {
      const before = this.#cards.get(id);
      if (card === null) {
        changed ||= this.#cards.delete(id);
        continue;
      }
      const fresh = rankedCard(card);
      if (before !== undefined && sameScoringFields(before, fresh)) continue;
      this.#cards.set(id, fresh);
      changed = true;
    }
    if (changed) this.#version++;
  }

  #readAll(): void {
    const { stages, lanes, personas } = this.state;
    this.#structure = [stages, lanes, personas];
    this.#cards.clear();
    for (const card of readCards(this.doc)) this.#cards.set(card.id, rankedCard(card));
  }
}

function rankedCard(card: Card): RankedCard {
  const { id, stageId, laneId, personaIds, evidence, sources, impact, effort, order } = card;
  return { id, stageId, laneId, personaIds, evidence, sources, impact, effort, order };
}

function sameScoringFields(a: RankedCard, b: RankedCard): boolean {
  return (
    a.stageId === b.stageId &&
    a.laneId === b.laneId &&
    a.order === b.order &&
    a.evidence === b.evidence &&
    a.sources.length === b.sources.length &&
    a.impact === b.impact &&
    a.effort === b.effort &&
    a.personaIds.length === b.personaIds.length &&
    a.personaIds.every((id, index) => id === b.personaIds[index])
  );
}

function sameScore(a: ScoredCard, b: ScoredCard): boolean {
  return (
    a.rank === b.rank &&
    a.score === b.score &&
    a.factors.length === b.factors.length &&
    a.factors.every((factor, index) => {
      const other = b.factors[index]!;
      return (
        factor.weight === other.weight && factor.points === other.points && factor.value === other.value && factor.detail === other.detail
      );
    })
  );
}
