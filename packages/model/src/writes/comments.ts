import * as Y from 'yjs';
import { recordMap, topLevelMap } from '../doc-keys.js';
import { newId } from '../ids.js';
import type { Origin } from '../origin.js';
import {
  COMMENT_TARGET_COLLECTIONS,
  COMMENT_TARGET_KINDS,
  isCommentTargetKind,
  MAX_COMMENT_LENGTH,
  MAX_MENTIONS,
  parseComment,
  type Comment,
  type CommentTarget,
} from '../records/comment.js';
import { checkString, checkStringList } from '../records/fields.js';
import { InvalidRecordError } from '../problems.js';
import { existingRecord, insertRecord, transactAs } from './transaction.js';

export interface CommentInput {
  readonly text: string;
  /** Names the text mentions (see mentionsIn). */
  readonly mentions?: readonly string[];
  /** The writer's display name. */
  readonly author?: string;
}

function checkText(text: unknown, what: string): string {
  const checked = checkString(text, `${what}: text`).trim();
  if (checked === '') throw new Error(`${what}: a comment needs some text`);
  if (checked.length > MAX_COMMENT_LENGTH)
    throw new Error(`${what}: a comment holds at most ${MAX_COMMENT_LENGTH} characters (this one has ${checked.length})`);
  return checked;
}

function checkMentions(mentions: readonly string[] | undefined, what: string): string[] {
  const names = checkStringList(mentions ?? [], `${what}: mentions`);
  if (names.length > MAX_MENTIONS) throw new Error(`${what}: a comment mentions at most ${MAX_MENTIONS} people`);
  return names;
}

/** The stored comment under `id`, valid; throws the caller's message otherwise. */
function storedComment(doc: Y.Doc, id: string, what: string): Comment {
  const record = existingRecord(doc, 'comments', id, what);
  try {
    return parseComment(id, record);
  } catch (error) {
    if (error instanceof InvalidRecordError)
      throw new Error(`${what}: comment "${id}" is not readable (${error.message})`, { cause: error });
    throw error;
  }
}

function insertComment(doc: Y.Doc, target: CommentTarget, replyTo: string, input: CommentInput, origin: Origin | undefined, what: string) {
  const text = checkText(input.text, what);
  const mentions = checkMentions(input.mentions, what);
  const author = checkString(input.author ?? '', `${what}: author`).trim();
  const id = newId();
  transactAs(doc, origin, () => {
    insertRecord(doc, 'comments', id, {
      targetKind: target.kind,
      targetId: target.id,
      replyTo,
      text,
      mentions,
      author,
      createdAt: Date.now(),
      resolved: false,
    });
  });
  return id;
}

/** Starts a thread on a card, a stage or an action; returns the comment's id. */
export function addComment(doc: Y.Doc, target: CommentTarget, input: CommentInput, origin?: Origin): string {
  if (!isCommentTargetKind(target.kind)) throw new Error(`addComment: a comment goes on one of ${COMMENT_TARGET_KINDS.join(', ')}`);
  if (recordMap(doc, COMMENT_TARGET_COLLECTIONS[target.kind], target.id) === undefined)
    throw new Error(`addComment: unknown ${target.kind} "${target.id}"`);
  return insertComment(doc, target, '', input, origin, 'addComment');
}

/** Replies in the thread that `threadId` (its first comment) starts; returns the reply's id. */
export function replyToComment(doc: Y.Doc, threadId: string, input: CommentInput, origin?: Origin): string {
  const first = storedComment(doc, threadId, 'replyToComment');
  if (first.replyTo !== '') throw new Error(`replyToComment: "${threadId}" is a reply; reply to the thread's first comment`);
  return insertComment(doc, { kind: first.targetKind, id: first.targetId }, threadId, input, origin, 'replyToComment');
}

/** Replaces a comment's text (and the names it mentions), noting when. */
export function editComment(doc: Y.Doc, id: string, input: Omit<CommentInput, 'author'>, origin?: Origin): void {
  storedComment(doc, id, 'editComment');
  const text = checkText(input.text, 'editComment');
  const mentions = checkMentions(input.mentions, 'editComment');
  const record = existingRecord(doc, 'comments', id, 'editComment');
  transactAs(doc, origin, () => {
    record.set('text', text);
    record.set('mentions', mentions);
    record.set('editedAt', Date.now());
  });
}

/** Resolves or reopens the thread that `threadId` (its first comment) starts. */
export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean, origin?: Origin): void {
  const first = storedComment(doc, threadId, 'setThreadResolved');
  if (first.replyTo !== '') throw new Error(`setThreadResolved: "${threadId}" is a reply; threads are resolved by their first comment`);
  if (typeof resolved !== 'boolean') throw new Error('setThreadResolved: resolved must be true or false');
  const record = existingRecord(doc, 'comments', threadId, 'setThreadResolved');
  if (record.get('resolved') === resolved) return;
  transactAs(doc, origin, () => record.set('resolved', resolved));
}

/** The ids of the comments that deleting `id` deletes: the comment, and its replies when it starts a thread. */
export function commentsDeletedWith(doc: Y.Doc, id: string): string[] {
  const ids = [id];
  for (const [otherId, value] of topLevelMap(doc, 'comments').entries()) {
    if (otherId !== id && value instanceof Y.Map && (value as Y.Map<unknown>).get('replyTo') === id) ids.push(otherId);
  }
  return ids;
}

/** Deletes a comment; a thread's first comment goes with its replies. */
export function deleteComment(doc: Y.Doc, id: string, origin?: Origin): void {
  existingRecord(doc, 'comments', id, 'deleteComment');
  const ids = commentsDeletedWith(doc, id);
  transactAs(doc, origin, () => {
    const comments = topLevelMap(doc, 'comments');
    for (const each of ids) comments.delete(each);
  });
}
