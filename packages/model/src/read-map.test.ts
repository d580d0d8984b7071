import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMapFromTemplate } from './create-map.js';
import { readMap } from './read-map.js';
import { addCard } from './writes/cards.js';
import { spliceCardText } from './writes/card-text.js';
import { setEmotion } from './writes/emotions.js';

describe('readMap', () => {
  it('reads a healthy map with no problems', () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Buyers', template: 'buyer-journey' });
    const before = readMap(doc);
    const stage = before.stages[0];
    const lane = before.lanes[0];
    const persona = before.personas[0];
    if (stage === undefined || lane === undefined || persona === undefined) throw new Error('template is empty');
    const card = addCard(doc, { stageId: stage.id, laneId: lane.id, personaIds: [persona.id] });
    spliceCardText(doc, card, { index: 0, remove: 0, insert: 'Reads a comparison blog post' });
    setEmotion(doc, { personaId: persona.id, stageId: stage.id, score: 1 });
    const map = readMap(doc);
    expect(map.problems).toEqual([]);
    expect(map.meta.title).toBe('Buyers');
    expect(map.stages).toHaveLength(7);
    expect(map.cards.map((c) => c.text)).toEqual(['Reads a comparison blog post']);
    expect(map.emotions.map((point) => point.score)).toEqual([1]);
  });

  it('skips everything that depends on a skipped record and lists every problem', () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'Buyers', template: 'onboarding' });
    const { stages, lanes, personas } = readMap(doc);
    const [stage, secondStage] = stages;
    const lane = lanes[0];
    const persona = personas[0];
    if (!stage || !secondStage || !lane || !persona) throw new Error('template is empty');
    addCard(doc, { stageId: stage.id, laneId: lane.id, text: 'fine' });
    addCard(doc, { stageId: secondStage.id, laneId: lane.id, text: 'in a broken stage' });
    setEmotion(doc, { personaId: persona.id, stageId: secondStage.id, score: 2 });
    // a peer writes garbage into the second stage and the persona
    (doc.getMap('stages').get(secondStage.id) as Y.Map<unknown>).set('name', 42);
    (doc.getMap('personas').get(persona.id) as Y.Map<unknown>).delete('name');
    doc.getMap('lanes').set('junk', 'not a record');

    const map = readMap(doc);
    expect(map.stages.map((s) => s.id)).not.toContain(secondStage.id);
    expect(map.cards.map((c) => c.text)).toEqual(['fine']);
    expect(map.personas).toEqual([]);
    expect(map.emotions).toEqual([]);
    expect(map.problems.map((p) => [p.collection, p.reason])).toEqual(
      expect.arrayContaining([
        ['stages', 'name is not a string'],
        ['lanes', 'not a Y.Map'],
        ['personas', 'missing name'],
        ['cards', `stage "${secondStage.id}" does not exist`],
        ['emotions', 'persona does not exist'],
      ]),
    );
    expect(map.problems).toHaveLength(5);
  });
});
