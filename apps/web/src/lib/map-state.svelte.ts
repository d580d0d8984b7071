import {
  cardContext,
  changedRecordIds,
  compareByOrder,
  isNewerSchema,
  META_DEFAULTS,
  readCards,
  readCardsById,
  readEmotions,
  readLanes,
  readMeta,
  readMetrics,
  readPersonas,
  readStages,
  topLevelMap,
  type Card,
  type CardContext,
  type DeepEvent,
  type EmotionPoint,
  type Lane,
  type MapMeta,
  type Metric,
  type Persona,
  type Stage,
} from '@waymark/model';
import type * as Y from 'yjs';
import { CardState, CellState, cellKey } from './card-state.svelte';

type Section = 'meta' | 'stages' | 'lanes' | 'personas' | 'emotions' | 'metrics';

/**
 * The validated picture of the map the page draws, kept current from the Y.Doc.
 *
 * Changes are collected from deep observers during a transaction and applied once after it
 * (a stage deletion and the deletion of its cards arrive together). Structure (stages,
 * lanes, personas) is small and re-read whole; cards are re-read only when touched, and a
 * cell's id list is rebuilt only when a card enters, leaves or moves within it.
 */
export class MapState {
  #meta = $state.raw<MapMeta>(META_DEFAULTS);
  #stages = $state.raw<readonly Stage[]>([]);
  #lanes = $state.raw<readonly Lane[]>([]);
  #personas = $state.raw<readonly Persona[]>([]);
  /** What cards are checked against, made from the stages, lanes and personas above when they change (not per keystroke). */
  #cardContext: CardContext | null = null;
  #emotions = $state.raw<readonly EmotionPoint[]>([]);
  #metrics = $state.raw<readonly Metric[]>([]);
  #newerSchema = $state(false);
  #cardCount = $state(0);
  /** Bumped whenever a card appears or disappears, for views that look one up by id. */
  #membership = $state(0);
  readonly #cards = new Map<string, CardState>();
  readonly #cells = new Map<string, CellState>();
  readonly #cellMembers = new Map<string, Set<string>>();
  readonly #dirtySections = new Set<Section>();
  readonly #dirtyCards = new Set<string>();
  #allCardsDirty = false;
  readonly #doc: Y.Doc;
  readonly #detach: () => void;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    const cards = topLevelMap(doc, 'cards');
    const watchers: [Y.Map<unknown>, (events: Y.YEvent<Y.AbstractType<unknown>>[]) => void][] = [
      [cards, (events) => this.#markCards(changedRecordIds(cards, events as unknown as DeepEvent[]))],
    ];
    for (const section of ['meta', 'stages', 'lanes', 'personas', 'emotions', 'metrics'] as const) {
      watchers.push([topLevelMap(doc, section), () => this.#dirtySections.add(section)]);
    }
    for (const [type, watcher] of watchers) type.observeDeep(watcher);
    const flush = () => this.#flush();
    doc.on('afterTransaction', flush);
    this.#detach = () => {
      for (const [type, watcher] of watchers) type.unobserveDeep(watcher);
      doc.off('afterTransaction', flush);
    };
    for (const section of ['meta', 'stages', 'lanes', 'personas', 'emotions', 'metrics'] as const) {
      this.#dirtySections.add(section);
    }
    this.#allCardsDirty = true;
    this.#flush();
  }

  get meta(): MapMeta {
    return this.#meta;
  }
  get stages(): readonly Stage[] {
    return this.#stages;
  }
  get lanes(): readonly Lane[] {
    return this.#lanes;
  }
  get personas(): readonly Persona[] {
    return this.#personas;
  }
  get emotions(): readonly EmotionPoint[] {
    return this.#emotions;
  }
  /** Every valid measurement of customer data, oldest first. */
  get metrics(): readonly Metric[] {
    return this.#metrics;
  }
  /** The document was written by a newer Waymark: show it, never write to it. */
  get newerSchema(): boolean {
    return this.#newerSchema;
  }
  get cardCount(): number {
    return this.#cardCount;
  }

  /** Not reactive to the card appearing or going: cells list ids, and each id has its card. */
  card(id: string): CardState | undefined {
    return this.#cards.get(id);
  }

  /** Like `card`, but a view using it updates when the card is deleted or comes back. */
  watchCard(id: string): CardState | undefined {
    void this.#membership;
    return this.#cards.get(id);
  }

  /** Every card, in no particular order; a view using it updates when cards come or go. */
  allCards(): Iterable<CardState> {
    void this.#membership;
    return this.#cards.values();
  }

  cell(stageId: string, laneId: string): CellState {
    const key = cellKey(stageId, laneId);
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = new CellState();
      cell.set(this.#sortedMembers(key));
      this.#cells.set(key, cell);
    }
    return cell;
  }

  stage(id: string): Stage | undefined {
    return this.#stages.find((stage) => stage.id === id);
  }

  lane(id: string): Lane | undefined {
    return this.#lanes.find((lane) => lane.id === id);
  }

  persona(id: string): Persona | undefined {
    return this.#personas.find((persona) => persona.id === id);
  }

  cardsInStage(stageId: string): number {
    let count = 0;
    for (const card of this.#cards.values()) if (card.stageId === stageId) count++;
    return count;
  }

  cardsInLane(laneId: string): number {
    let count = 0;
    for (const card of this.#cards.values()) if (card.laneId === laneId) count++;
    return count;
  }

  destroy(): void {
    this.#detach();
  }

  #markCards(ids: Set<string>): void {
    for (const id of ids) this.#dirtyCards.add(id);
  }

  #flush(): void {
    const sections = this.#dirtySections;
    if (sections.size === 0 && this.#dirtyCards.size === 0 && !this.#allCardsDirty) return;
    const doc = this.#doc;
    if (sections.has('meta')) {
      this.#meta = readMeta(doc);
      this.#newerSchema = isNewerSchema(doc);
    }
    if (sections.has('stages')) this.#stages = readStages(doc);
    if (sections.has('lanes')) this.#lanes = readLanes(doc);
    if (sections.has('personas')) this.#personas = readPersonas(doc);
    // A card's validity depends on its stage, lane and personas existing.
    const structureChanged = sections.has('stages') || sections.has('lanes') || sections.has('personas');
    if (structureChanged) this.#cardContext = null;
    if (sections.has('emotions') || sections.has('stages') || sections.has('personas')) {
      this.#emotions = readEmotions(doc);
    }
    // A measurement is valid only while its stage and persona exist.
    if (sections.has('metrics') || sections.has('stages') || sections.has('personas')) this.#metrics = readMetrics(doc);
    if (this.#allCardsDirty || structureChanged) this.#replaceAllCards(readCards(doc));
    else if (this.#dirtyCards.size > 0) {
      this.#cardContext ??= cardContext(this.#stages, this.#lanes, this.#personas);
      this.#applyCards(readCardsById(doc, this.#dirtyCards, this.#cardContext));
    }
    sections.clear();
    this.#dirtyCards.clear();
    this.#allCardsDirty = false;
  }

  #replaceAllCards(cards: readonly Card[]): void {
    const fresh = new Map<string, Card | null>(cards.map((card) => [card.id, card]));
    for (const id of this.#cards.keys()) if (!fresh.has(id)) fresh.set(id, null);
    this.#applyCards(fresh);
  }

  #applyCards(changes: ReadonlyMap<string, Card | null>): void {
    const touched = new Set<string>();
    let membershipChanged = false;
    for (const [id, card] of changes) {
      const existing = this.#cards.get(id);
      if (card === null) {
        if (existing === undefined) continue;
        this.#cards.delete(id);
        membershipChanged = true;
        this.#cellMembers.get(existing.cellKey)?.delete(id);
        touched.add(existing.cellKey);
        continue;
      }
      if (existing === undefined) {
        const created = new CardState(card);
        this.#cards.set(id, created);
        membershipChanged = true;
        this.#join(created.cellKey, id);
        touched.add(created.cellKey);
        continue;
      }
      const before = existing.cellKey;
      const orderBefore = existing.order;
      existing.update(card);
      if (existing.cellKey !== before) {
        this.#cellMembers.get(before)?.delete(id);
        this.#join(existing.cellKey, id);
        touched.add(before).add(existing.cellKey);
      } else if (existing.order !== orderBefore) {
        touched.add(before);
      }
    }
    for (const key of touched) this.#cells.get(key)?.set(this.#sortedMembers(key));
    if (membershipChanged) this.#membership++;
    this.#cardCount = this.#cards.size;
  }

  #join(key: string, id: string): void {
    let members = this.#cellMembers.get(key);
    if (members === undefined) {
      members = new Set();
      this.#cellMembers.set(key, members);
    }
    members.add(id);
  }

  #sortedMembers(key: string): string[] {
    const members = this.#cellMembers.get(key);
    if (members === undefined) return [];
    const cards: CardState[] = [];
    for (const id of members) {
      const card = this.#cards.get(id);
      if (card !== undefined) cards.push(card);
    }
    return cards.sort(compareByOrder).map((card) => card.id);
  }
}
