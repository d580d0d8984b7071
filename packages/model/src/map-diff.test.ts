import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMapFromTemplate } from './create-map.js';
import { diffMaps, isEmptyDiff } from './map-diff.js';
import { exportMap } from './map-export.js';
import { readMap } from './read-map.js';
import { addCard, deleteCard, moveCard, updateCard } from './writes/cards.js';
import { setEmotion } from './writes/emotions.js';
import { addLane, renameLane } from './writes/lanes.js';
import { renameStage } from './writes/stages.js';
import { spliceCardText } from './writes/card-text.js';

describe('diffMaps', () => {
  it('tells added, removed, moved and changed cards, structure added, renamed and removed, and scores changed, item by item', () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Checkout', template: 'buyer-journey' });
    const map = readMap(doc);
    const [awareness, consideration] = map.stages;
    const [goals, actions] = map.lanes;
    const persona = map.personas[0]!;
    const kept = addCard(doc, { stageId: awareness!.id, laneId: goals!.id, text: 'Sees an ad' });
    const moving = addCard(doc, { stageId: awareness!.id, laneId: actions!.id, text: 'Searches' });
    const going = addCard(doc, { stageId: consideration!.id, laneId: goals!.id, text: 'Compares' });
    setEmotion(doc, { personaId: persona.id, stageId: awareness!.id, score: 1 });
    const before = exportMap(doc);
    expect(isEmptyDiff(diffMaps(before, before))).toBe(true);

    spliceCardText(doc, kept, { index: 0, remove: 0, insert: 'Often ' });
    updateCard(doc, kept, { tags: ['ads'] });
    moveCard(doc, moving, { stageId: consideration!.id, laneId: actions!.id });
    deleteCard(doc, going);
    const fresh = addCard(doc, { stageId: consideration!.id, laneId: goals!.id, text: 'Reads reviews' });
    renameStage(doc, awareness!.id, 'Discover');
    const lane = addLane(doc, { title: 'Channels we own', kind: 'channels' });
    renameLane(doc, goals!.id, 'What they want');
    setEmotion(doc, { personaId: persona.id, stageId: awareness!.id, score: -2 });
    setEmotion(doc, { personaId: persona.id, stageId: consideration!.id, score: 2 });
    doc.getMap('meta').set('goal', 'Find where carts are abandoned');

    const diff = diffMaps(before, exportMap(doc));
    expect(diff.cards.added).toEqual([fresh]);
    expect(diff.cards.removed).toEqual([going]);
    expect(diff.cards.moved).toEqual([
      { id: moving, from: { stageId: awareness!.id, laneId: actions!.id }, to: { stageId: consideration!.id, laneId: actions!.id } },
    ]);
    expect(diff.cards.changed).toEqual([{ id: kept, fields: ['tags', 'text'], textBefore: 'Sees an ad', textAfter: 'Often Sees an ad' }]);
    expect(diff.stages).toEqual({ added: [], removed: [], renamed: [{ id: awareness!.id, before: 'Awareness', after: 'Discover' }] });
    expect(diff.lanes).toEqual({
      added: [lane],
      removed: [],
      renamed: [{ id: goals!.id, before: 'Customer goals', after: 'What they want' }],
    });
    expect(diff.emotions).toEqual(
      [
        { key: `${persona.id}:${awareness!.id}`, before: 1, after: -2 },
        { key: `${persona.id}:${consideration!.id}`, before: null, after: 2 },
      ].sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    expect(diff.meta).toEqual([{ field: 'goal', before: expect.any(String), after: 'Find where carts are abandoned' }]);
    expect(isEmptyDiff(diff)).toBe(false);
  });
});
