import { readActions, topLevelMap, type Action } from '@waymark/model';
import type * as Y from 'yjs';
import { actionCountsByCard } from './action-board';

/** One card's action count, its own signal: a change to one card's actions redraws that card's badge only. */
export class CardActionCount {
  value = $state(0);

  constructor(value: number) {
    this.value = value;
  }
}

/**
 * The map's action plan, kept current from the Y.Doc. The plan is small and re-read whole, once
 * per transaction that touched it: an action written, or a card added or deleted (links to a
 * deleted card drop out). Typing in a card does not reach the plan (the cards map is observed
 * shallowly, for cards coming and going).
 */
export class ActionPlan {
  #actions = $state.raw<readonly Action[]>([]);
  #counts = new Map<string, number>();
  readonly #badges = new Map<string, CardActionCount>();
  #dirty = true;
  #cardsCameOrWent = false;
  readonly #doc: Y.Doc;
  readonly #detach: () => void;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    const actions = topLevelMap(doc, 'actions');
    const cards = topLevelMap(doc, 'cards');
    const mark = () => (this.#dirty = true);
    const markCards = () => (this.#dirty = this.#cardsCameOrWent = true);
    const flush = () => this.#flush();
    actions.observeDeep(mark);
    cards.observe(markCards);
    doc.on('afterTransaction', flush);
    this.#detach = () => {
      actions.unobserveDeep(mark);
      cards.unobserve(markCards);
      doc.off('afterTransaction', flush);
    };
    this.#flush();
  }

  /** Every valid action, in plan order. */
  get actions(): readonly Action[] {
    return this.#actions;
  }

  action(id: string): Action | undefined {
    return this.#actions.find((action) => action.id === id);
  }

  /** The actions linking this card, in plan order (for the one card whose details are open). */
  forCard(cardId: string): Action[] {
    return this.#actions.filter((action) => action.cardIds.includes(cardId));
  }

  /**
   * How many actions link this card, kept current; cheap enough for every card note on a big map.
   * Read `value` in another reaction than the one that asked for the holder: Svelte does not track
   * state read in the reaction that created it.
   */
  countOf(cardId: string): CardActionCount {
    let badge = this.#badges.get(cardId);
    if (badge === undefined) {
      badge = new CardActionCount(this.#counts.get(cardId) ?? 0);
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
    const actions = readActions(this.#doc);
    const counts = actionCountsByCard(actions);
    // Only cards whose count changed are touched: the ones linked before or now.
    for (const cardId of new Set([...this.#counts.keys(), ...counts.keys()])) {
      const badge = this.#badges.get(cardId);
      const count = counts.get(cardId) ?? 0;
      if (badge !== undefined && badge.value !== count) badge.value = count;
    }
    this.#counts = counts;
    this.#actions = actions;
    if (this.#cardsCameOrWent) {
      // A deleted card's note is gone, and a card brought back (undo) draws a new one that asks again.
      const cards = topLevelMap(this.#doc, 'cards');
      for (const cardId of this.#badges.keys()) if (!cards.has(cardId)) this.#badges.delete(cardId);
      this.#cardsCameOrWent = false;
    }
  }
}
