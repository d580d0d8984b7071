import { topLevelMap, type TopLevelKey } from '@waymark/model';
import type * as Y from 'yjs';

/** One card's count, its own signal: a change on one card redraws that card's badge only. */
export class CardCount {
  value = $state(0);

  constructor(value: number) {
    this.value = value;
  }
}

export interface CardCountedSource<T> {
  /** The collection read, observed deeply: any write inside one of its records re-reads it. */
  collection: TopLevelKey;
  /**
   * Collections whose records coming or going changes what is read (records pointing at one that
   * is gone drop out). They are observed shallowly, so typing in a card does not reach here.
   */
  dependsOn: readonly TopLevelKey[];
  read: (doc: Y.Doc) => readonly T[];
  countByCard: (records: readonly T[]) => Map<string, number>;
}

/**
 * The valid records of one collection of the Y.Doc, kept current: re-read whole once per
 * transaction that touched them, and counted per card for the card notes' badges.
 */
export class CardCountedRecords<T> {
  #records = $state.raw<readonly T[]>([]);
  #counts = new Map<string, number>();
  readonly #badges = new Map<string, CardCount>();
  #dirty = true;
  #cameOrWent = false;
  readonly #doc: Y.Doc;
  readonly #source: CardCountedSource<T>;
  readonly #detach: () => void;

  constructor(doc: Y.Doc, source: CardCountedSource<T>) {
    this.#doc = doc;
    this.#source = source;
    const records = topLevelMap(doc, source.collection);
    const others = source.dependsOn.map((key) => topLevelMap(doc, key));
    const mark = () => (this.#dirty = true);
    const markCameOrWent = () => (this.#dirty = this.#cameOrWent = true);
    const flush = () => this.#flush();
    records.observeDeep(mark);
    for (const other of others) other.observe(markCameOrWent);
    doc.on('afterTransaction', flush);
    this.#detach = () => {
      records.unobserveDeep(mark);
      for (const other of others) other.unobserve(markCameOrWent);
      doc.off('afterTransaction', flush);
    };
    this.#flush();
  }

  get records(): readonly T[] {
    return this.#records;
  }

  /**
   * The count for this card, kept current; cheap enough for every card note on a big map.
   * Read `value` in another reaction than the one that asked for the holder: Svelte does not track
   * state read in the reaction that created it.
   */
  countOf(cardId: string): CardCount {
    let badge = this.#badges.get(cardId);
    if (badge === undefined) {
      badge = new CardCount(this.#counts.get(cardId) ?? 0);
      this.#badges.set(cardId, badge);
    }
    return badge;
  }

  destroy(): void {
    this.#detach();
  }

  #flush(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const records = this.#source.read(this.#doc);
    const counts = this.#source.countByCard(records);
    // Only cards whose count changed are touched: the ones counted before or now.
    for (const cardId of new Set([...this.#counts.keys(), ...counts.keys()])) {
      const badge = this.#badges.get(cardId);
      const count = counts.get(cardId) ?? 0;
      if (badge !== undefined && badge.value !== count) badge.value = count;
    }
    this.#counts = counts;
    this.#records = records;
    if (this.#cameOrWent) {
      // A deleted card's note is gone, and a card brought back (undo) draws a new one that asks again.
      const cards = topLevelMap(this.#doc, 'cards');
      for (const cardId of this.#badges.keys()) if (!cards.has(cardId)) this.#badges.delete(cardId);
      this.#cameOrWent = false;
    }
  }
}
