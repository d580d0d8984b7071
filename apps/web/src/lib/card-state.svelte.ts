import type { Card, EvidenceSource, Evidence } from '@waymark/model';

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
  #sources = $state.raw<readonly EvidenceSource[]>([]);
  #channels = $state.raw<readonly string[]>([]);
  #department = $state('');
  /** Set once: a card's creation time never changes. */
  readonly createdAt: number;

  constructor(card: Card) {
    this.id = card.id;
    this.createdAt = card.createdAt;
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
  get sources(): readonly EvidenceSource[] {
    return this.#sources;
  }
  get channels(): readonly string[] {
    return this.#channels;
  }
  get department(): string {
    return this.#department;
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
    // Sources are replaced whole on each write, so a changed list is a new array.
    if (this.#sources !== card.sources && (this.#sources.length > 0 || card.sources.length > 0)) this.#sources = card.sources;
    if (!sameList(this.#channels, card.channels)) this.#channels = card.channels;
    this.#department = card.department;
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
