import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from '../records/card.js';
import { readPersonas } from '../records/persona.js';
import { addCard } from './cards.js';
import { setEmotion } from './emotions.js';
import { addLane } from './lanes.js';
import { addPersona, deletePersona, updatePersona } from './personas.js';
import { addStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

describe('persona writes', () => {
  it('adds and updates personas', () => {
    const doc = new Y.Doc();
    const id = addPersona(doc, { name: 'Alex', goals: 'Buy quickly', colour: '#0ea5e9' });
    updatePersona(doc, id, { frustrations: 'Hidden fees', name: 'Alex P.' });
    expect(readPersonas(doc)).toEqual([
      { id, name: 'Alex P.', description: '', goals: 'Buy quickly', frustrations: 'Hidden fees', colour: '#0ea5e9' },
    ]);
    expectRejected(doc, () => updatePersona(doc, id, { name: ' ' }), 'updatePersona: name must not be empty');
    expectRejected(doc, () => updatePersona(doc, 'nope', {}), 'updatePersona: unknown persona "nope"');
    expectRejected(doc, () => addPersona(doc, { name: 'X', colour: 'blue' }), /addPersona: colour/);
  });

  it('deletes a persona with its card references and emotion scores', () => {
    const doc = new Y.Doc();
    const stage = addStage(doc, { name: 'S' });
    const lane = addLane(doc, { title: 'L', kind: 'actions' });
    const alex = addPersona(doc, { name: 'Alex' });
    const sam = addPersona(doc, { name: 'Sam' });
    addCard(doc, { stageId: stage, laneId: lane, personaIds: [alex, sam] });
    addCard(doc, { stageId: stage, laneId: lane, personaIds: [alex] });
    setEmotion(doc, { personaId: alex, stageId: stage, score: 1 });
    setEmotion(doc, { personaId: alex, stageId: stage, participantId: 'u', score: 2 });
    setEmotion(doc, { personaId: sam, stageId: stage, score: -1 });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    deletePersona(doc, alex);
    expect(transactions).toBe(1);
    expect(readPersonas(doc).map((persona) => persona.name)).toEqual(['Sam']);
    expect(readCards(doc).map((card) => card.personaIds)).toEqual([[sam], []]);
    expect([...doc.getMap('emotions').keys()]).toEqual([`${sam}:${stage}`]);
  });
});
