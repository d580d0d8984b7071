import {
  commentThreads,
  holderOf,
  openCommentCounts,
  openMentionsOf,
  readComments,
  topLevelMap,
  type Comment,
  type CommentTarget,
  type CommentThread,
} from '@waymark/model';
import * as Y from 'yjs';
import { CardCountedRecords, type CardCount } from './card-counted-records.svelte';

/**
 * The map's comments, kept current from the Y.Doc: re-read whole once per transaction that
 * touched them, or that made a card, stage or action come or go (comments on one that is gone
 * drop out).
 */
export class CommentBoard {
  readonly #board: CardCountedRecords<Comment>;
  readonly #doc: Y.Doc;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    this.#board = new CardCountedRecords(doc, {
      collection: 'comments',
      dependsOn: ['cards', 'stages', 'actions'],
      read: readComments,
      countByCard: (comments) => openCommentCounts(comments, 'card'),
    });
  }

  /** Every valid comment, oldest first. */
  get comments(): readonly Comment[] {
    return this.#board.records;
  }

  comment(id: string): Comment | undefined {
    return this.comments.find((comment) => comment.id === id);
  }

  /** The threads on one card, stage or action, oldest first. */
  threadsOn(target: CommentTarget): CommentThread[] {
    return commentThreads(this.comments, target);
  }

  /** How many comments the unresolved threads on a target hold. */
  openCountOn(target: CommentTarget): number {
    return this.threadsOn(target)
      .filter((thread) => !thread.resolved)
      .reduce((sum, thread) => sum + 1 + thread.replies.length, 0);
  }

  /** The comments of unresolved threads that mention `name`. */
  mentionsOf(name: string): Comment[] {
    return openMentionsOf(this.comments, name);
  }

  /**
   * Whether this page's document wrote the comment (its Yjs item carries this document's client):
   * the server lets a writer change or delete only those, so one written before a reload counts
   * as someone else's.
   */
  writtenHere(id: string): boolean {
    const record = topLevelMap(this.#doc, 'comments').get(id);
    return record instanceof Y.Map && holderOf(record)?.id.client === this.#doc.clientID;
  }

  /** How many comments the unresolved threads on this card hold, kept current (see `CardCountedRecords.countOf`). */
  countOf(cardId: string): CardCount {
    return this.#board.countOf(cardId);
  }

  destroy(): void {
    this.#board.destroy();
  }
}
