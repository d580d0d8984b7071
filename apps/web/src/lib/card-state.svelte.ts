import type { Card, Evidence } from '@waymark/model';

export function cellKey(stageId: string, laneId: string): string {
  return `${stageId}/${laneId}`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * One card as the page shows it. Each field is its own signal, so a remote edit to one
 * card's colour re-renders that card's swatch and nothing else on a 500-card map.
 */
export class CardState {
  readonly id: string;
  #stageId = $state('');
  #laneId = $state('');
  #order = $state('');
  #text = $state('');
  #colour = $state('');
  #tags = $state.raw<readonly string[]>([]);
  #personaIds = $state.raw<readonly string[]>([]);
  #evidence = $state<Evidence>('assumed');
  #author = $state('');

  constructor(card: Card) {
    this.id = card.id;
    this.update(card);
  }

  get stageId(): string {
    return this.#stageId;
  }
  get laneId(): string {
    return this.#laneId;
  }
  get cellKey(): string {
    return cellKey(this.#stageId, this.#laneId);
  }
  get order(): string {
    return this.#order;
  }
  get text(): string {
    return this.#text;
  }
  get colour(): string {
    return this.#colour;
  }
  get tags(): readonly string[] {
    return this.#tags;
  }
  get personaIds(): readonly string[] {
    return this.#personaIds;
  }
  get evidence(): Evidence {
    return this.#evidence;
  }
  get author(): string {
    return this.#author;
  }

  /** Copies a freshly read card in; unchanged fields stay quiet. */
  update(card: Card): void {
    this.#stageId = card.stageId;
    this.#laneId = card.laneId;
    this.#order = card.order;
    this.#text = card.text;
    this.#colour = card.colour;
    this.#evidence = card.evidence;
    this.#author = card.author;
    if (!sameList(this.#tags, card.tags)) this.#tags = card.tags;
    if (!sameList(this.#personaIds, card.personaIds)) this.#personaIds = card.personaIds;
  }
}

/** The ordered card ids of one stage × lane cell. */
export class CellState {
  #ids = $state.raw<readonly string[]>([]);

  get ids(): readonly string[] {
    return this.#ids;
  }

  set(ids: readonly string[]): void {
    if (!sameList(this.#ids, ids)) this.#ids = ids;
  }
}
