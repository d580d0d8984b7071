import { readActions, type Action } from '@waymark/model';
import type * as Y from 'yjs';
import { actionCountsByCard } from './action-board';
import { CardCountedRecords, type CardCount } from './card-counted-records.svelte';

/**
 * The map's action plan, kept current from the Y.Doc. The plan is small and re-read whole, once
 * per transaction that touched it: an action written, or a card added or deleted (links to a
 * deleted card drop out).
 */
export class ActionPlan {
  readonly #plan: CardCountedRecords<Action>;

  constructor(doc: Y.Doc) {
    this.#plan = new CardCountedRecords(doc, {
      collection: 'actions',
      dependsOn: ['cards'],
      read: readActions,
      countByCard: actionCountsByCard,
    });
  }

  /** Every valid action, in plan order. */
  get actions(): readonly Action[] {
    return this.#plan.records;
  }

  action(id: string): Action | undefined {
    return this.actions.find((action) => action.id === id);
  }

  /** The actions linking this card, in plan order (for the one card whose details are open). */
  forCard(cardId: string): Action[] {
    return this.actions.filter((action) => action.cardIds.includes(cardId));
  }

  /** How many actions link this card, kept current (see `CardCountedRecords.countOf`). */
  countOf(cardId: string): CardCount {
    return this.#plan.countOf(cardId);
  }

  destroy(): void {
    this.#plan.destroy();
  }
}
