import {
  addAction,
  addActionForCard,
  addComment,
  adoptMeanEmotions,
  addCard,
  addLane,
  addPersona,
  addStage,
  clearEmotion,
  deleteAction,
  deleteComment,
  editComment,
  mentionsIn,
  replyToComment,
  setThreadResolved,
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
  updateAction,
  updateCard,
  updatePersona,
  type ActionInput,
  type ActionPatch,
  type CardPatch,
  type CommentTarget,
  type Evidence,
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

/** What this page may write now (MapSession answers from the role and the page's state). */
export interface WritePermissions {
  readonly canShapeMap: boolean;
  readonly canEditCards: boolean;
  /** Writing comments, resolving and reopening threads. */
  readonly canComment: boolean;
  /** Changing or deleting this comment. */
  canChangeComment(id: string): boolean;
  canDeleteCard(id: string): boolean;
  /** Whether this person may set or clear their own rating of this persona at this stage. */
  canChangeRating(personaId: string, stageId: string): boolean;
}

/**
 * Every change the page makes to the map, each a model write under this session's one
 * origin (so undo finds it). Writes validate against the document as it is now; when a
 * colleague deleted the stage a card was being dropped into a moment ago, the write throws
 * and the person gets a message instead of a broken map. A write the role may not make is
 * not attempted (the page hides its controls; this keeps a stray shortcut from trying).
 */
export class MapCommands {
  constructor(
    private readonly doc: Y.Doc,
    private readonly origin: Origin,
    private readonly state: MapState,
    private readonly may: WritePermissions,
    private readonly report: (message: string) => void,
  ) {}

  /** A write to the map's shape: title, goal, scope, stages, lanes, personas, agreed emotions, the action plan. */
  #shape<T>(what: string, write: () => T): T | undefined {
    return this.may.canShapeMap ? this.#run(what, write) : undefined;
  }

  #card<T>(what: string, write: () => T): T | undefined {
    return this.may.canEditCards ? this.#run(what, write) : undefined;
  }

  #run<T>(what: string, write: () => T): T | undefined {
    try {
      return write();
    } catch (error) {
      this.report(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  setMeta(patch: MetaPatch): void {
    this.#shape('update the map', () => setMeta(this.doc, patch, this.origin));
  }

  addStage(name: string, after?: string | null): string | undefined {
    return this.#shape('add a stage', () => addStage(this.doc, { name, after }, this.origin));
  }

  renameStage(id: string, name: string): void {
    this.#shape('rename the stage', () => renameStage(this.doc, id, name, this.origin));
  }

  /** Moves a stage one column left or right. */
  shiftStage(id: string, direction: 'left' | 'right'): void {
    const ids = this.state.stages.map((stage) => stage.id);
    const placement = neighbourPlacement(ids, id, direction === 'left' ? -1 : 1);
    if (placement) this.#shape('move the stage', () => moveStage(this.doc, id, placement, this.origin));
  }

  moveStageTo(id: string, placement: { before?: string | null; after?: string | null }): void {
    this.#shape('move the stage', () => moveStage(this.doc, id, placement, this.origin));
  }

  deleteStage(id: string): void {
    this.#shape('delete the stage', () => deleteStage(this.doc, id, this.origin));
  }

  addLane(title: string, kind: LaneKind, after?: string | null): string | undefined {
    return this.#shape('add a lane', () => addLane(this.doc, { title, kind, after }, this.origin));
  }

  renameLane(id: string, title: string): void {
    this.#shape('rename the lane', () => renameLane(this.doc, id, title, this.origin));
  }

  shiftLane(id: string, direction: 'up' | 'down'): void {
    const ids = this.state.lanes.map((lane) => lane.id);
    const placement = neighbourPlacement(ids, id, direction === 'up' ? -1 : 1);
    if (placement) this.#shape('move the lane', () => moveLane(this.doc, id, placement, this.origin));
  }

  moveLaneTo(id: string, placement: { before?: string | null; after?: string | null }): void {
    this.#shape('move the lane', () => moveLane(this.doc, id, placement, this.origin));
  }

  deleteLane(id: string): void {
    this.#shape('delete the lane', () => deleteLane(this.doc, id, this.origin));
  }

  addCard(
    stageId: string,
    laneId: string,
    fields: {
      text?: string;
      personaIds?: readonly string[];
      tags?: readonly string[];
      evidence?: Evidence;
      channels?: readonly string[];
      department?: string;
    } = {},
  ): string | undefined {
    return this.#card('add a card', () => addCard(this.doc, { stageId, laneId, ...fields }, this.origin));
  }

  spliceCardText(id: string, splice: TextSplice): void {
    this.#card('save your typing', () => spliceCardText(this.doc, id, splice, this.origin));
  }

  updateCard(id: string, patch: CardPatch): void {
    this.#card('update the card', () => updateCard(this.doc, id, patch, this.origin));
  }

  /** Drops a card into a cell, before the given card or at the end. */
  moveCard(id: string, stageId: string, laneId: string, beforeId: string | null): void {
    if (beforeId === id) return;
    const placement = beforeId === null ? { before: null } : { before: beforeId };
    this.#card('move the card', () => moveCard(this.doc, id, { stageId, laneId, ...placement }, this.origin));
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
      this.#card('move the card', () => moveCard(this.doc, id, { stageId: card.stageId, laneId: card.laneId, ...placement }, this.origin));
      return;
    }
    const lanes = this.state.lanes.filter((lane) => lane.kind !== 'emotions').map((lane) => lane.id);
    const targetLane = lanes[lanes.indexOf(card.laneId) + step];
    if (targetLane === undefined) return;
    const placement = step < 0 ? { before: null } : { after: null };
    this.#card('move the card', () => moveCard(this.doc, id, { stageId: card.stageId, laneId: targetLane, ...placement }, this.origin));
  }

  /** Deletes the card if this person may (see `WritePermissions.canDeleteCard`); says whether it did. */
  deleteCard(id: string): boolean {
    if (!this.may.canDeleteCard(id)) return false;
    const deleted = this.#run('delete the card', () => {
      deleteCard(this.doc, id, this.origin);
      return true;
    });
    return deleted ?? false;
  }

  addPersona(input: PersonaInput): string | undefined {
    return this.#shape('add the persona', () => addPersona(this.doc, input, this.origin));
  }

  updatePersona(id: string, patch: PersonaPatch): void {
    this.#shape('update the persona', () => updatePersona(this.doc, id, patch, this.origin));
  }

  deletePersona(id: string): void {
    this.#shape('delete the persona', () => deletePersona(this.doc, id, this.origin));
  }

  setEmotion(personaId: string, stageId: string, score: number): void {
    this.#shape('set the emotion', () => setEmotion(this.doc, { personaId, stageId, score }, this.origin));
  }

  clearEmotion(personaId: string, stageId: string): void {
    this.#shape('clear the emotion', () => clearEmotion(this.doc, { personaId, stageId }, this.origin));
  }

  /**
   * This person's own rating (null clears it), stored under the id their origin names: the
   * browser's profile id, the same on every visit.
   */
  rateEmotion(personaId: string, stageId: string, score: number | null): void {
    const participantId = this.origin.kind === 'local' ? this.origin.userId : undefined;
    if (participantId === undefined || !this.may.canChangeRating(personaId, stageId)) return;
    const target = { personaId, stageId, participantId };
    if (score === null) this.#run('clear your rating', () => clearEmotion(this.doc, target, this.origin));
    else this.#run('save your rating', () => setEmotion(this.doc, { ...target, score }, this.origin));
  }

  /** Makes the participants' rounded mean the agreed score at these stages (all when omitted). */
  adoptMeanEmotions(personaId: string, stageIds?: readonly string[]): void {
    this.#shape('adopt the mean', () => adoptMeanEmotions(this.doc, { personaId, ...(stageIds ? { stageIds } : {}) }, this.origin));
  }

  addAction(input: ActionInput): string | undefined {
    return this.#shape('add the action', () => addAction(this.doc, input, this.origin));
  }

  updateAction(id: string, patch: ActionPatch): void {
    this.#shape('update the action', () => updateAction(this.doc, id, patch, this.origin));
  }

  deleteAction(id: string): void {
    this.#shape('delete the action', () => deleteAction(this.doc, id, this.origin));
  }

  /** An action answering this card, titled by its first line and linked to it; returns its id. */
  addActionForCard(cardId: string): string | undefined {
    return this.#shape('add an action for the card', () => addActionForCard(this.doc, cardId, this.origin));
  }

  /** Starts a thread on a card, stage or action; the names the text mentions are found among `knownNames`. */
  addComment(target: CommentTarget, text: string, author: string, knownNames: readonly string[]): string | undefined {
    if (!this.may.canComment) return undefined;
    return this.#run('post the comment', () =>
      addComment(this.doc, target, { text, author, mentions: mentionsIn(text, knownNames) }, this.origin),
    );
  }

  replyToComment(threadId: string, text: string, author: string, knownNames: readonly string[]): string | undefined {
    if (!this.may.canComment) return undefined;
    return this.#run('post the reply', () =>
      replyToComment(this.doc, threadId, { text, author, mentions: mentionsIn(text, knownNames) }, this.origin),
    );
  }

  editComment(id: string, text: string, knownNames: readonly string[]): boolean {
    if (!this.may.canChangeComment(id)) return false;
    return (
      this.#run(
        'save the comment',
        () => (editComment(this.doc, id, { text, mentions: mentionsIn(text, knownNames) }, this.origin), true),
      ) ?? false
    );
  }

  setThreadResolved(threadId: string, resolved: boolean): void {
    if (this.may.canComment)
      this.#run(resolved ? 'resolve the thread' : 'reopen the thread', () => setThreadResolved(this.doc, threadId, resolved, this.origin));
  }

  /** Deletes a comment (a thread's first comment with its replies). */
  deleteComment(id: string): void {
    if (this.may.canChangeComment(id)) this.#run('delete the comment', () => deleteComment(this.doc, id, this.origin));
  }
}

/** The placement that swaps a record with its neighbour `step` places away, if any. */
function neighbourPlacement(ids: readonly string[], id: string, step: -1 | 1): { before: string } | { after: string } | null {
  const neighbour = ids[ids.indexOf(id) + step];
  if (neighbour === undefined) return null;
  return step < 0 ? { before: neighbour } : { after: neighbour };
}
