import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { topLevelMap } from '../doc-keys.js';
import { localOrigin } from '../origin.js';
import { cardText, readCards } from '../records/card.js';
import { addCard } from './cards.js';
import { spliceCardText } from './card-text.js';
import { addLane } from './lanes.js';
import { addStage } from './stages.js';

function oneCard(text: string) {
  const doc = new Y.Doc();
  const stageId = addStage(doc, { name: 'One' });
  const laneId = addLane(doc, { title: 'Actions', kind: 'actions' });
  const id = addCard(doc, { stageId, laneId, text });
  return { doc, id };
}

describe('spliceCardText', () => {
  it('inserts and deletes where the splice says, under the given origin', () => {
    const { doc, id } = oneCard('hello world');
    const origin = localOrigin('u1');
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction) => origins.push(transaction.origin));
    spliceCardText(doc, id, { index: 6, remove: 5, insert: 'there' }, origin);
    expect(readCards(doc)[0]?.text).toBe('hello there');
    expect(origins).toEqual([origin]);
  });

  it('merges with a concurrent splice from a peer', () => {
    const { doc, id } = oneCard('note');
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    spliceCardText(doc, id, { index: 0, remove: 0, insert: 'My ' });
    spliceCardText(peer, id, { index: 4, remove: 0, insert: '!' });
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    expect(cardText(doc, id)?.toString()).toBe('My note!');
    expect(cardText(peer, id)?.toString()).toBe('My note!');
  });

  it('clamps a splice that reaches past the end', () => {
    const { doc, id } = oneCard('abc');
    spliceCardText(doc, id, { index: 2, remove: 9, insert: 'Z' });
    expect(cardText(doc, id)?.toString()).toBe('abZ');
  });

  it('turns a v1 string text into a Y.Text', () => {
    const { doc, id } = oneCard('');
    (topLevelMap(doc, 'cards').get(id) as Y.Map<unknown>).set('text', 'old');
    spliceCardText(doc, id, { index: 3, remove: 0, insert: '!' });
    expect(cardText(doc, id)?.toString()).toBe('old!');
  });

  it('rejects bad splices and unknown cards without changing anything', () => {
    const { doc, id } = oneCard('abc');
    expect(() => spliceCardText(doc, id, { index: -1, remove: 0, insert: '' })).toThrow(/index/);
    expect(() => spliceCardText(doc, 'missing', { index: 0, remove: 0, insert: 'x' })).toThrow(/unknown card/);
    expect(cardText(doc, id)?.toString()).toBe('abc');
  });
});
