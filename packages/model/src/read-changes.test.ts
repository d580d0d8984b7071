import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { topLevelMap } from './doc-keys.js';
import { changedRecordIds, readCardsById, type DeepEvent } from './read-changes.js';
import { readCards } from './records/card.js';
import { addCard, moveCard, updateCard } from './writes/cards.js';
import { spliceCardText } from './writes/card-text.js';
import { addLane } from './writes/lanes.js';
import { addStage, deleteStage } from './writes/stages.js';

function board() {
  const doc = new Y.Doc();
  const s1 = addStage(doc, { name: 'One' });
  const s2 = addStage(doc, { name: 'Two' });
  const lane = addLane(doc, { title: 'Actions', kind: 'actions' });
  const a = addCard(doc, { stageId: s1, laneId: lane, text: 'a' });
  const b = addCard(doc, { stageId: s2, laneId: lane, text: 'b' });
  return { doc, s1, s2, lane, a, b };
}

/** Collects the ids each transaction touched, the way a view's observer would. */
function recordChanges(doc: Y.Doc): string[][] {
  const cards = topLevelMap(doc, 'cards');
  const seen: string[][] = [];
  cards.observeDeep((events) => {
    seen.push([...changedRecordIds(cards, events as unknown as DeepEvent[])].sort());
  });
  return seen;
}

describe('changedRecordIds', () => {
  it('names the card whose text, fields or cell changed, and nothing else', () => {
    const { doc, s2, lane, a, b } = board();
    const seen = recordChanges(doc);
    spliceCardText(doc, a, { index: 1, remove: 0, insert: '!' });
    updateCard(doc, b, { colour: '#bfdbfe' });
    moveCard(doc, a, { stageId: s2, laneId: lane });
    expect(seen).toEqual([[a], [b], [a]]);
  });

  it('names added and deleted cards, including those a stage deletion takes along', () => {
    const { doc, s1, lane, a } = board();
    const seen = recordChanges(doc);
    const c = addCard(doc, { stageId: s1, laneId: lane, text: 'c' });
    deleteStage(doc, s1);
    expect(seen).toEqual([[c], [a, c].sort()]);
  });

  it('works for changes that arrive from a peer', () => {
    const { doc, a } = board();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const seen = recordChanges(peer);
    spliceCardText(doc, a, { index: 0, remove: 1, insert: 'edited elsewhere' });
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));
    expect(seen).toEqual([[a]]);
  });
});

describe('readCardsById', () => {
  it('reads the same cards readCards does', () => {
    const { doc, a, b } = board();
    const byId = readCardsById(doc, [a, b]);
    expect([...byId.values()]).toEqual(readCards(doc));
  });

  it('answers null for unknown ids and for cards that do not validate', () => {
    const { doc, s1, a, b } = board();
    topLevelMap(doc, 'stages').delete(s1); // leaves card a pointing at a missing stage
    const byId = readCardsById(doc, [a, b, 'nope']);
    expect(byId.get(a)).toBeNull();
    expect(byId.get('nope')).toBeNull();
    expect(byId.get(b)?.text).toBe('b');
  });
});
