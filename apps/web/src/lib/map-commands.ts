import {
  addCard,
  addLane,
  addPersona,
  addStage,
  clearEmotion,
  deleteCard,
  deleteLane,
  deletePersona,
  deleteStage,
  moveCard,
  moveLane,
  moveStage,
  renameLane,
  renameStage,
  setEmotion,
  setMeta,
  spliceCardText,
  updateCard,
  updatePersona,
  type CardPatch,
  type LaneKind,
  type MetaPatch,
  type Origin,
  type PersonaInput,
  type PersonaPatch,
  type TextSplice,
} from '@waymark/model';
import type * as Y from 'yjs';
import type { MapState } from './map-state.svelte';

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * Every change the page makes to the map, each a model write under this session's one
 * origin (so undo finds it). Writes validate against the document as it is now; when a
 * colleague deleted the stage a card was being dropped into a moment ago, the write throws
 * and the person gets a message instead of a broken map.
 */
export class MapCommands {
  constructor(
    private readonly doc: Y.Doc,
    private readonly origin: Origin,
    private readonly state: MapState,
    private readonly canEdit: () => boolean,
    private readonly report: (message: string) => void,
  ) {}

  #run<T>(what: string, write: () => T): T | undefined {
    if (!this.canEdit()) return undefined;
    try {
      return write();
    } catch (error) {
      this.report(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  setMeta(patch: MetaPatch): void {
    this.#run('update the map', () => setMeta(this.doc, patch, this.origin));
  }

  addStage(name: string, after?: string | null): string | undefined {
    return this.#run('add a stage', () => addStage(this.doc, { name, after }, this.origin));
  }

  renameStage(id: string, name: string): void {
    this.#run('rename the stage', () => renameStage(this.doc, id, name, this.origin));
  }

  /** Moves a stage one column left or right. */
  shiftStage(id: string, direction: 'left' | 'right'): void {
    const ids = this.state.stages.map((stage) => stage.id);
    const placement = neighbourPlacement(ids, id, direction === 'left' ? -1 : 1);
    if (placement) this.#run('move the stage', () => moveStage(this.doc, id, placement, this.origin));
  }

  moveStageTo(id: string, placement: { before?: string | null; after?: string | null }): void {
    this.#run('move the stage', () => moveStage(this.doc, id, placement, this.origin));
  }

  deleteStage(id: string): void {
    this.#run('delete the stage', () => deleteStage(this.doc, id, this.origin));
  }

  addLane(title: string, kind: LaneKind, after?: string | null): string | undefined {
    return this.#run('add a lane', () => addLane(this.doc, { title, kind, after }, this.origin));
  }

  renameLane(id: string, title: string): void {
    this.#run('rename the lane', () => renameLane(this.doc, id, title, this.origin));
  }

  shiftLane(id: string, direction: 'up' | 'down'): void {
    const ids = this.state.lanes.map((lane) => lane.id);
    const placement = neighbourPlacement(ids, id, direction === 'up' ? -1 : 1);
    if (placement) this.#run('move the lane', () => moveLane(this.doc, id, placement, this.origin));
  }

  moveLaneTo(id: string, placement: { before?: string | null; after?: string | null }): void {
    this.#run('move the lane', () => moveLane(this.doc, id, placement, this.origin));
  }

  deleteLane(id: string): void {
    this.#run('delete the lane', () => deleteLane(this.doc, id, this.origin));
  }

  addCard(stageId: string, laneId: string, text = ''): string | undefined {
    return this.#run('add a card', () => addCard(this.doc, { stageId, laneId, text }, this.origin));
  }

  spliceCardText(id: string, splice: TextSplice): void {
    this.#run('save your typing', () => spliceCardText(this.doc, id, splice, this.origin));
  }

  updateCard(id: string, patch: CardPatch): void {
    this.#run('update the card', () => updateCard(this.doc, id, patch, this.origin));
  }

  /** Drops a card into a cell, before the given card or at the end. */
  moveCard(id: string, stageId: string, laneId: string, beforeId: string | null): void {
    if (beforeId === id) return;
    const placement = beforeId === null ? { before: null } : { before: beforeId };
    this.#run('move the card', () =>
      moveCard(this.doc, id, { stageId, laneId, ...placement }, this.origin),
    );
  }

  /**
   * The keyboard way to move a card: up and down within its cell, left and right to the
   * neighbouring stage; at the top or bottom of a cell it crosses into the next card lane.
   */
  nudgeCard(id: string, direction: Direction): void {
    const card = this.state.card(id);
    if (card === undefined) return;
    const siblings = this.state.cell(card.stageId, card.laneId).ids;
    const index = siblings.indexOf(id);
    if (direction === 'left' || direction === 'right') {
      const stages = this.state.stages.map((stage) => stage.id);
      const target = stages[stages.indexOf(card.stageId) + (direction === 'left' ? -1 : 1)];
      if (target !== undefined) this.moveCard(id, target, card.laneId, null);
      return;
    }
    const step = direction === 'up' ? -1 : 1;
    const neighbour = siblings[index + step];
    if (neighbour !== undefined) {
      const placement = step < 0 ? { before: neighbour } : { after: neighbour };
      this.#run('move the card', () =>
        moveCard(this.doc, id, { stageId: card.stageId, laneId: card.laneId, ...placement }, this.origin),
      );
      return;
    }
    const lanes = this.state.lanes.filter((lane) => lane.kind !== 'emotions').map((lane) => lane.id);
    const targetLane = lanes[lanes.indexOf(card.laneId) + step];
    if (targetLane === undefined) return;
    const placement = step < 0 ? { before: null } : { after: null };
    this.#run('move the card', () =>
      moveCard(this.doc, id, { stageId: card.stageId, laneId: targetLane, ...placement }, this.origin),
    );
  }

  deleteCard(id: string): void {
    this.#run('delete the card', () => deleteCard(this.doc, id, this.origin));
  }

  addPersona(input: PersonaInput): string | undefined {
    return this.#run('add the persona', () => addPersona(this.doc, input, this.origin));
  }

  updatePersona(id: string, patch: PersonaPatch): void {
    this.#run('update the persona', () => updatePersona(this.doc, id, patch, this.origin));
  }

  deletePersona(id: string): void {
    this.#run('delete the persona', () => deletePersona(this.doc, id, this.origin));
  }

  setEmotion(personaId: string, stageId: string, score: number): void {
    this.#run('set the emotion', () => setEmotion(this.doc, { personaId, stageId, score }, this.origin));
  }

  clearEmotion(personaId: string, stageId: string): void {
    this.#run('clear the emotion', () => clearEmotion(this.doc, { personaId, stageId }, this.origin));
  }
}

/** The placement that swaps a record with its neighbour `step` places away, if any. */
function neighbourPlacement(
  ids: readonly string[],
  id: string,
  step: -1 | 1,
): { before: string } | { after: string } | null {
  const neighbour = ids[ids.indexOf(id) + step];
  if (neighbour === undefined) return null;
  return step < 0 ? { before: neighbour } : { after: neighbour };
}
