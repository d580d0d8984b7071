import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readEmotions } from '../records/emotion.js';
import { clearEmotion, setEmotion } from './emotions.js';
import { addPersona } from './personas.js';
import { addStage } from './stages.js';

function expectRejected(doc: Y.Doc, write: () => unknown, message: string | RegExp): void {
  const before = Y.encodeStateVector(doc);
  expect(write).toThrow(message);
  expect(Y.encodeStateVector(doc)).toEqual(before);
}

describe('setEmotion and clearEmotion', () => {
  it('stores agreed and per-participant scores under their keys', () => {
    const doc = new Y.Doc();
    const stageId = addStage(doc, { name: 'S' });
    const personaId = addPersona(doc, { name: 'Alex' });
    setEmotion(doc, { personaId, stageId, score: -2 });
    setEmotion(doc, { personaId, stageId, participantId: 'ana', score: 3 });
    setEmotion(doc, { personaId, stageId, participantId: 'ben', score: 1 });
    expect(doc.getMap('emotions').toJSON()).toEqual({
      [`${personaId}:${stageId}`]: -2,
      [`${personaId}:${stageId}:ana`]: 3,
      [`${personaId}:${stageId}:ben`]: 1,
    });
    expect(readEmotions(doc)[0]).toMatchObject({ score: -2, mean: 2, min: 1, max: 3, stdDev: 1 });
    clearEmotion(doc, { personaId, stageId, participantId: 'ana' });
    expect(readEmotions(doc)[0]).toMatchObject({ participants: { ben: 1 }, mean: 1 });
  });

  it('rejects out-of-range scores, bad participants and unknown targets', () => {
    const doc = new Y.Doc();
    const stageId = addStage(doc, { name: 'S' });
    const personaId = addPersona(doc, { name: 'Alex' });
    for (const score of [4, -4, 1.5, Number.NaN]) {
      expectRejected(doc, () => setEmotion(doc, { personaId, stageId, score }), /setEmotion: score must be an integer from -3 to 3/);
    }
    expectRejected(
      doc,
      () => setEmotion(doc, { personaId, stageId, participantId: 'a:b', score: 1 }),
      /participantId must be a non-empty string without ":"/,
    );
    expectRejected(doc, () => setEmotion(doc, { personaId: 'x', stageId, score: 1 }), 'setEmotion: unknown persona "x"');
    expectRejected(doc, () => setEmotion(doc, { personaId, stageId: 'x', score: 1 }), 'setEmotion: unknown stage "x"');
    expectRejected(doc, () => clearEmotion(doc, { personaId, stageId: 'x' }), 'clearEmotion: unknown stage "x"');
  });
});
