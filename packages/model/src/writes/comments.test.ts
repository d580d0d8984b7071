import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkMapExport, exportMap, writeMapState } from '../map-export.js';
import { commentThreads, openCommentCounts, openMentionsOf, readComments } from '../records/comment.js';
import { addAction, deleteAction } from './actions.js';
import { addCard, deleteCard } from './cards.js';
import { addComment, deleteComment, editComment, replyToComment, setThreadResolved } from './comments.js';
import { addLane } from './lanes.js';
import { setMeta } from './meta.js';
import { addStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function mapWithCard() {
  const doc = new Y.Doc();
  setMeta(doc, { title: 'Checkout' });
  const stageId = addStage(doc, { name: 'Purchase' });
  const laneId = addLane(doc, { title: 'Pain points', kind: 'painPoints' });
  const cardId = addCard(doc, { stageId, laneId, text: 'Hidden fees' });
  return { doc, stageId, laneId, cardId };
}

describe('comment threads', () => {
  it('starts a thread on a card, takes replies, and counts the open ones per card', () => {
    const { doc, cardId, stageId } = mapWithCard();
    const first = addComment(
      doc,
      { kind: 'card', id: cardId },
      { text: ' @Ben is this in the survey? ', mentions: ['Ben'], author: 'Ana' },
    );
    const reply = replyToComment(doc, first, { text: 'Yes, question 4', author: 'Ben' });
    addComment(doc, { kind: 'stage', id: stageId }, { text: 'Rename this stage?', author: 'Ana' });

    const comments = readComments(doc);
    const [thread] = commentThreads(comments, { kind: 'card', id: cardId });
    expect(thread).toMatchObject({
      id: first,
      resolved: false,
      first: { text: '@Ben is this in the survey?', mentions: ['Ben'], author: 'Ana' },
    });
    expect(thread!.replies.map((c) => c.id)).toEqual([reply]);
    expect(commentThreads(comments, { kind: 'stage', id: stageId })).toHaveLength(1);
    expect(openCommentCounts(comments)).toEqual(new Map([[cardId, 2]]));
    expect(openMentionsOf(comments, 'ben').map((c) => c.id)).toEqual([first]);

    setThreadResolved(doc, first, true);
    expect(openCommentCounts(readComments(doc))).toEqual(new Map());
    expect(openMentionsOf(readComments(doc), 'Ben')).toEqual([]);
    setThreadResolved(doc, first, false);
    expect(openCommentCounts(readComments(doc)).get(cardId)).toBe(2);
  });

  it('edits text with the time of the edit, and deletes a thread with its replies', () => {
    const { doc, cardId } = mapWithCard();
    const first = addComment(doc, { kind: 'card', id: cardId }, { text: 'Frist' });
    const reply = replyToComment(doc, first, { text: 'A reply' });
    editComment(doc, first, { text: 'First', mentions: [] });
    const edited = readComments(doc).find((c) => c.id === first);
    expect(edited).toMatchObject({ text: 'First', mentions: [] });
    expect(edited!.editedAt).toBeGreaterThan(0);

    deleteComment(doc, reply);
    expect(readComments(doc).map((c) => c.id)).toEqual([first]);
    replyToComment(doc, first, { text: 'Another' });
    deleteComment(doc, first);
    expect(doc.getMap('comments').size).toBe(0);
  });

  it('refuses what does not fit, changing nothing', () => {
    const { doc, cardId } = mapWithCard();
    const first = addComment(doc, { kind: 'card', id: cardId }, { text: 'Hello' });
    const reply = replyToComment(doc, first, { text: 'Hi' });
    expectRejected(doc, () => addComment(doc, { kind: 'card', id: 'nope' }, { text: 'x' }), 'addComment: unknown card "nope"');
    expectRejected(doc, () => addComment(doc, { kind: 'lane' as 'card', id: cardId }, { text: 'x' }), /one of card, stage, action/);
    expectRejected(doc, () => addComment(doc, { kind: 'card', id: cardId }, { text: '   ' }), 'addComment: a comment needs some text');
    expectRejected(doc, () => addComment(doc, { kind: 'card', id: cardId }, { text: 'x'.repeat(4001) }), /at most 4000 characters/);
    expectRejected(doc, () => replyToComment(doc, reply, { text: 'x' }), /is a reply/);
    expectRejected(doc, () => setThreadResolved(doc, reply, true), /is a reply/);
    expectRejected(doc, () => editComment(doc, 'gone', { text: 'x' }), 'editComment: unknown comment "gone"');
  });

  it('leaves out comments whose target is gone, and replies whose thread is gone', () => {
    const { doc, cardId } = mapWithCard();
    const actionId = addAction(doc, { title: 'Show fees early' });
    addComment(doc, { kind: 'card', id: cardId }, { text: 'On the card' });
    const onAction = addComment(doc, { kind: 'action', id: actionId }, { text: 'On the action' });
    const reply = replyToComment(doc, onAction, { text: 'A reply' });
    deleteCard(doc, cardId);
    expect(readComments(doc).map((c) => c.id)).toEqual(expect.arrayContaining([onAction, reply]));
    expect(readComments(doc)).toHaveLength(2);
    doc.getMap('comments').delete(onAction);
    expect(readComments(doc)).toEqual([]);
    deleteAction(doc, actionId);
    expect(readComments(doc)).toEqual([]);
  });

  it('travels in a map export, and a comment on a missing card is refused on import', () => {
    const { doc, cardId } = mapWithCard();
    const first = addComment(doc, { kind: 'card', id: cardId }, { text: '@Ben look', mentions: ['Ben'], author: 'Ana' });
    replyToComment(doc, first, { text: 'Seen' });
    const exported = exportMap(doc);
    expect(Object.keys(exported.comments ?? {})).toHaveLength(2);
    const copy = new Y.Doc();
    writeMapState(copy, checkMapExport(JSON.parse(JSON.stringify(exported))), null);
    expect(readComments(copy)).toEqual(readComments(doc));

    const { comments: _comments, ...older } = exported;
    expect(() => checkMapExport(older)).not.toThrow();
    const dangling = { ...exported, comments: { [first]: { ...exported.comments![first], targetId: 'nope' } } };
    expect(() => checkMapExport(dangling)).toThrow(
      `comments.${first}.targetId: refers to "nope", which is not among the cards of this file`,
    );
  });
});
