import type * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { isValidId } from '../ids.js';
import { invalid, parseOrReport } from '../problems.js';
import { asRecordMap, optionalFiniteNumber, optionalString, optionalStringList } from './fields.js';

/**
 * Comments: threads on a card, a stage or an action. A thread is its first comment (`replyTo`
 * empty) and the replies to it, which name it in `replyTo`; whether the thread is resolved is
 * kept on its first comment. Stored as a Y.Map per comment in `comments`, plain values, last
 * writer wins per field.
 */

export const COMMENT_TARGET_KINDS = ['card', 'stage', 'action'] as const;
export type CommentTargetKind = (typeof COMMENT_TARGET_KINDS)[number];

/** The collection each kind of target lives in. */
export const COMMENT_TARGET_COLLECTIONS = Object.freeze({ card: 'cards', stage: 'stages', action: 'actions' } as const);

export const MAX_COMMENT_LENGTH = 4000;
export const MAX_MENTIONS = 50;
const MAX_NAME_LENGTH = 200;

export interface CommentTarget {
  readonly kind: CommentTargetKind;
  readonly id: string;
}

export interface Comment {
  readonly id: string;
  readonly targetKind: CommentTargetKind;
  readonly targetId: string;
  /** '' for a thread's first comment, else that first comment's id. */
  readonly replyTo: string;
  readonly text: string;
  /** The names of people on the map the text mentions (`@Name`). */
  readonly mentions: readonly string[];
  /** The writer's display name. */
  readonly author: string;
  readonly createdAt: number;
  /** On a thread's first comment: whether the thread is resolved. */
  readonly resolved: boolean;
  /** When the text was last edited; 0 if never. */
  readonly editedAt: number;
}

export interface CommentThread {
  /** The first comment's id. */
  readonly id: string;
  readonly first: Comment;
  readonly replies: readonly Comment[];
  readonly resolved: boolean;
}

export const isCommentTargetKind = (value: unknown): value is CommentTargetKind =>
  typeof value === 'string' && (COMMENT_TARGET_KINDS as readonly string[]).includes(value);

/** Whether `value` is a comment's text as stored: not blank, at most MAX_COMMENT_LENGTH characters. */
export const isCommentText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= MAX_COMMENT_LENGTH;

/** Whether `value` is a comment's list of mentioned names. */
export const isMentionList = (value: unknown): value is string[] =>
  Array.isArray(value) &&
  value.length <= MAX_MENTIONS &&
  value.every((name) => typeof name === 'string' && name.trim() !== '' && name.length <= MAX_NAME_LENGTH);

/** Whether `value` is what `replyTo` holds: empty for a thread's first comment, or a comment id. */
export const isReplyTo = (value: unknown): value is string => value === '' || isValidId(value);

export function parseComment(id: string, value: unknown): Comment {
  if (!isValidId(id)) invalid('id is not a valid record id');
  const record = asRecordMap(value);
  const targetKind = record.get('targetKind');
  if (!isCommentTargetKind(targetKind)) invalid(`targetKind is not one of ${COMMENT_TARGET_KINDS.join(', ')}`);
  const targetId = record.get('targetId');
  if (!isValidId(targetId)) invalid('targetId is not a record id');
  const replyTo = record.get('replyTo');
  if (!isReplyTo(replyTo)) invalid('replyTo is neither empty nor a comment id');
  const text = record.get('text');
  if (!isCommentText(text)) invalid(`text is empty or longer than ${MAX_COMMENT_LENGTH} characters`);
  const resolved = record.get('resolved') ?? false;
  if (typeof resolved !== 'boolean') invalid('resolved is not true or false');
  return {
    id,
    targetKind,
    targetId,
    replyTo,
    text,
    mentions: optionalStringList(record, 'mentions'),
    author: optionalString(record, 'author', ''),
    createdAt: optionalFiniteNumber(record, 'createdAt', 0),
    resolved,
    editedAt: optionalFiniteNumber(record, 'editedAt', 0),
  };
}

const byTime = (a: Comment, b: Comment) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Valid comments, oldest first. Left out: comments whose target is gone, and replies whose thread
 * is gone, or is itself a reply, or is on something else.
 */
export function readComments(doc: Y.Doc): Comment[] {
  const valid = new Map<string, Comment>();
  for (const [id, value] of topLevelMap(doc, 'comments').entries()) {
    const comment = parseOrReport('comments', id, [], () => parseComment(id, value));
    if (comment && topLevelMap(doc, COMMENT_TARGET_COLLECTIONS[comment.targetKind]).has(comment.targetId)) valid.set(id, comment);
  }
  const kept = [...valid.values()].filter((comment) => {
    if (comment.replyTo === '') return true;
    const first = valid.get(comment.replyTo);
    return first !== undefined && first.replyTo === '' && first.targetKind === comment.targetKind && first.targetId === comment.targetId;
  });
  return kept.sort(byTime);
}

/** The threads among `comments` (as readComments gives them), oldest first; only those on `target` when given. */
export function commentThreads(comments: readonly Comment[], target?: CommentTarget): CommentThread[] {
  const on = (comment: Comment) => target === undefined || (comment.targetKind === target.kind && comment.targetId === target.id);
  const replies = new Map<string, Comment[]>();
  for (const comment of comments) {
    if (comment.replyTo !== '' && on(comment)) replies.set(comment.replyTo, [...(replies.get(comment.replyTo) ?? []), comment]);
  }
  return comments
    .filter((comment) => comment.replyTo === '' && on(comment))
    .map((first) => ({ id: first.id, first, replies: replies.get(first.id) ?? [], resolved: first.resolved }));
}

/** Per target id of one kind: how many comments its unresolved threads hold. Targets without any are absent. */
export function openCommentCounts(comments: readonly Comment[], kind: CommentTargetKind = 'card'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of commentThreads(comments)) {
    if (thread.resolved || thread.first.targetKind !== kind) continue;
    const id = thread.first.targetId;
    counts.set(id, (counts.get(id) ?? 0) + 1 + thread.replies.length);
  }
  return counts;
}

/** The comments of unresolved threads that mention `name` (compared without regard to case), oldest first. */
export function openMentionsOf(comments: readonly Comment[], name: string): Comment[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return [];
  const threads = commentThreads(comments);
  const open = new Set(threads.filter((thread) => !thread.resolved).map((thread) => thread.id));
  return comments.filter(
    (comment) => open.has(comment.replyTo || comment.id) && comment.mentions.some((mentioned) => mentioned.trim().toLowerCase() === wanted),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The names among `knownNames` that `text` mentions as `@Name` (case aside, not followed by a
 * letter or digit), spelled as in `knownNames`, each once, in the order the text first mentions them. A longer name wins over a name it
 * starts with ("@Ben Ali" mentions Ben Ali, not Ben).
 */
export function mentionsIn(text: string, knownNames: readonly string[]): string[] {
  const names = [...new Set(knownNames.map((name) => name.trim()).filter((name) => name !== ''))].sort((a, b) => b.length - a.length);
  const taken: { start: number; end: number; name: string }[] = [];
  for (const name of names) {
    const pattern = new RegExp(`@${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'giu');
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!taken.some((other) => start < other.end && end > other.start)) taken.push({ start, end, name });
    }
  }
  const inTextOrder = taken.sort((a, b) => a.start - b.start).map((mention) => mention.name);
  return [...new Set(inTextOrder)].slice(0, MAX_MENTIONS);
}
