import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { localOrigin, serverOrigin } from '../origin.js';
import { cardText, readCards } from '../records/card.js';
import { addCard, deleteCard, moveCard, updateCard } from './cards.js';
import { addLane } from './lanes.js';
import { addPersona } from './personas.js';
import { addStage, deleteStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

function board() {
  const doc = new Y.Doc();
  const s1 = addStage(doc, { name: 'One' });
  const s2 = addStage(doc, { name: 'Two' });
  const l1 = addLane(doc, { title: 'Actions', kind: 'actions' });
  const l2 = addLane(doc, { title: 'Pain', kind: 'painPoints' });
  const persona = addPersona(doc, { name: 'Alex' });
  return { doc, s1, s2, l1, l2, persona };
}

function cellTexts(doc: Y.Doc, stageId: string, laneId: string): string[] {
  return readCards(doc, { stageId, laneId }).map((card) => card.text);
}

describe('addCard', () => {
  it('stores a full card with defaults, the local user as author and a Y.Text', () => {
    const { doc, s1, l1 } = board();
    const before = Date.now();
    const id = addCard(doc, { stageId: s1, laneId: l1, text: 'Searches reviews' }, localOrigin('user-7'));
    const [card] = readCards(doc);
    expect(card).toMatchObject({
      id,
      stageId: s1,
      laneId: l1,
      text: 'Searches reviews',
      colour: '#fde68a',
      tags: [],
      personaIds: [],
      evidence: 'assumed',
      links: [],
      author: 'user-7',
    });
    expect(card?.createdAt).toBeGreaterThanOrEqual(before);
    expect(cardText(doc, id)?.toString()).toBe('Searches reviews');
  });

  it('places cards within their cell', () => {
    const { doc, s1, l1 } = board();
    const first = addCard(doc, { stageId: s1, laneId: l1, text: 'b' });
    addCard(doc, { stageId: s1, laneId: l1, text: 'd' });
    addCard(doc, { stageId: s1, laneId: l1, text: 'a', after: null });
    addCard(doc, { stageId: s1, laneId: l1, text: 'c', after: first });
    expect(cellTexts(doc, s1, l1)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects unknown stage, lane, persona and anchor without changes', () => {
    const { doc, s1, s2, l1 } = board();
    const other = addCard(doc, { stageId: s2, laneId: l1 });
    expectRejected(doc, () => addCard(doc, { stageId: 'x', laneId: l1 }), 'addCard: unknown stage "x"');
    expectRejected(doc, () => addCard(doc, { stageId: s1, laneId: 'x' }), 'addCard: unknown lane "x"');
    expectRejected(doc, () => addCard(doc, { stageId: s1, laneId: l1, personaIds: ['ghost'] }), 'addCard: unknown persona "ghost"');
    // an anchor must be in the target cell
    expectRejected(doc, () => addCard(doc, { stageId: s1, laneId: l1, after: other }), `addCard: unknown anchor "${other}"`);
  });
});

describe('moveCard', () => {
  it('writes only stageId, laneId and order, in one transaction', () => {
    const { doc, s1, s2, l1, l2 } = board();
    const id = addCard(doc, { stageId: s1, laneId: l1, text: 'mover' });
    addCard(doc, { stageId: s2, laneId: l2, text: 'target' });
    const record = doc.getMap('cards').get(id) as Y.Map<unknown>;
    const changed: string[][] = [];
    record.observe((event) => changed.push([...event.keysChanged].sort()));
    moveCard(doc, id, { stageId: s2, laneId: l2, after: null });
    expect(changed).toEqual([['laneId', 'order', 'stageId']]);
    expect(cellTexts(doc, s2, l2)).toEqual(['mover', 'target']);
    expect(cellTexts(doc, s1, l1)).toEqual([]);
  });

  it('reorders within a cell and rejects bad targets without changes', () => {
    const { doc, s1, l1 } = board();
    const a = addCard(doc, { stageId: s1, laneId: l1, text: 'a' });
    const b = addCard(doc, { stageId: s1, laneId: l1, text: 'b' });
    moveCard(doc, a, { stageId: s1, laneId: l1, after: b });
    expect(cellTexts(doc, s1, l1)).toEqual(['b', 'a']);
    expectRejected(doc, () => moveCard(doc, 'nope', { stageId: s1, laneId: l1 }), 'moveCard: unknown card "nope"');
    expectRejected(doc, () => moveCard(doc, a, { stageId: 'x', laneId: l1 }), 'moveCard: unknown stage "x"');
    expectRejected(doc, () => moveCard(doc, a, { stageId: s1, laneId: l1, before: a }), /relative to itself/);
  });

  it('can rescue a card orphaned by a concurrent stage deletion', () => {
    const { doc, s1, s2, l1 } = board();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const id = addCard(doc, { stageId: s1, laneId: l1, text: 'survivor' });
    deleteStage(peer, s1);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    expect(readCards(doc)).toEqual([]);
    moveCard(doc, id, { stageId: s2, laneId: l1 });
    expect(readCards(doc).map((card) => card.text)).toEqual(['survivor']);
  });
});

describe('updateCard and deleteCard', () => {
  it('updates only the given fields, with the given origin', () => {
    const { doc, s1, l1, persona } = board();
    const id = addCard(doc, { stageId: s1, laneId: l1, tags: ['web'], text: 'x' });
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const origin = serverOrigin();
    updateCard(doc, id, { colour: '#bbf7d0', personaIds: [persona], evidence: 'observed' }, origin);
    expect(origins).toEqual([origin]);
    expect(readCards(doc)[0]).toMatchObject({
      colour: '#bbf7d0',
      personaIds: [persona],
      evidence: 'observed',
      tags: ['web'],
      text: 'x',
    });
    updateCard(doc, id, { tags: [], links: ['https://example.com/survey.csv'] });
    expect(readCards(doc)[0]).toMatchObject({ tags: [], links: ['https://example.com/survey.csv'] });
    expectRejected(doc, () => updateCard(doc, id, { personaIds: ['ghost'] }), 'updateCard: unknown persona "ghost"');
    expectRejected(doc, () => updateCard(doc, id, { colour: 'red' }), /colour must be a colour/);
  });

  it('deletes a card', () => {
    const { doc, s1, l1 } = board();
    const id = addCard(doc, { stageId: s1, laneId: l1 });
    deleteCard(doc, id);
    expect(doc.getMap('cards').size).toBe(0);
    expectRejected(doc, () => deleteCard(doc, id), `deleteCard: unknown card "${id}"`);
  });
});
