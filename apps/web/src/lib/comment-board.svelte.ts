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

/** One card's open comment count, its own signal: a comment on one card redraws that card's badge only. */
export class CardCommentCount {
  value = $state(0);

  constructor(value: number) {
    this.value = value;
  }
}

/**
 * The map's comments, kept current from the Y.Doc: re-read whole once per transaction that
 * touched them, or that made a card, stage or action come or go (comments on one that is gone
 * drop out). Typing in a card does not reach here: those collections are observed shallowly.
 */
export class CommentBoard {
  #comments = $state.raw<readonly Comment[]>([]);
  #counts = new Map<string, number>();
  readonly #badges = new Map<string, CardCommentCount>();
  #dirty = true;
  readonly #doc: Y.Doc;
  readonly #detach: () => void;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    const comments = topLevelMap(doc, 'comments');
    const targets = (['cards', 'stages', 'actions'] as const).map((key) => topLevelMap(doc, key));
    const mark = () => (this.#dirty = true);
    const flush = () => this.#flush();
    comments.observeDeep(mark);
    for (const target of targets) target.observe(mark);
    doc.on('afterTransaction', flush);
    this.#detach = () => {
      comments.unobserveDeep(mark);
      for (const target of targets) target.unobserve(mark);
      doc.off('afterTransaction', flush);
    };
    this.#flush();
  }

  /** Every valid comment, oldest first. */
  get comments(): readonly Comment[] {
    return this.#comments;
  }

  comment(id: string): Comment | undefined {
    return this.#comments.find((comment) => comment.id === id);
  }

  /** The threads on one card, stage or action, oldest first. */
  threadsOn(target: CommentTarget): CommentThread[] {
    return commentThreads(this.#comments, target);
  }

  /** How many comments the unresolved threads on a target hold. */
  openCountOn(target: CommentTarget): number {
    return this.threadsOn(target)
      .filter((thread) => !thread.resolved)
      .reduce((sum, thread) => sum + 1 + thread.replies.length, 0);
  }

  /** The comments of unresolved threads that mention `name`. */
  mentionsOf(name: string): Comment[] {
    return openMentionsOf(this.#comments, name);
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

  /**
   * How many comments the unresolved threads on this card hold, kept current; cheap enough for
   * every card note. Read `value` in another reaction than the one that asked for the holder.
   */
  countOf(cardId: string): CardCommentCount {
    let badge = this.#badges.get(cardId);
    if (badge === undefined) {
      badge = new CardCommentCount(this.#counts.get(cardId) ?? 0);
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
    const comments = readComments(this.#doc);
    const counts = openCommentCounts(comments, 'card');
    for (const cardId of new Set([...this.#counts.keys(), ...counts.keys()])) {
      const badge = this.#badges.get(cardId);
      const count = counts.get(cardId) ?? 0;
      if (badge !== undefined && badge.value !== count) badge.value = count;
    }
    this.#counts = counts;
    this.#comments = comments;
  }
}
