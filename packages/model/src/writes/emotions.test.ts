import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readEmotions } from '../records/emotion.js';
import { localOrigin } from '../origin.js';
import { adoptMeanEmotions, clearEmotion, setEmotion } from './emotions.js';
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

describe('adoptMeanEmotions', () => {
  function ratedMap() {
    const doc = new Y.Doc();
    const research = addStage(doc, { name: 'Research' });
    const buy = addStage(doc, { name: 'Buy' });
    const use = addStage(doc, { name: 'Use' });
    const personaId = addPersona(doc, { name: 'Alex' });
    const other = addPersona(doc, { name: 'Sam' });
    const rate = (stageId: string, participantId: string, score: number, who = personaId) =>
      setEmotion(doc, { personaId: who, stageId, participantId, score });
    rate(research, 'ana', -3);
    rate(research, 'ben', 0);
    rate(buy, 'ana', 2);
    rate(buy, 'ben', 3);
    rate(buy, 'cy', 3);
    rate(use, 'ana', 1, other);
    setEmotion(doc, { personaId, stageId: use, score: 1 });
    return { doc, personaId, other, research, buy, use };
  }

  const agreed = (doc: Y.Doc, personaId: string) =>
    Object.fromEntries(
      readEmotions(doc)
        .filter((point) => point.personaId === personaId)
        .map((point) => [point.stageId, point.score]),
    );

  it('sets every rated stage’s agreed score to the rounded mean in one transaction, and leaves unrated stages alone', () => {
    const { doc, personaId, research, buy, use } = ratedMap();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(adoptMeanEmotions(doc, { personaId }).sort()).toEqual([research, buy].sort());
    expect(transactions).toBe(1);
    // -1.5 rounds away from zero; 8/3 rounds to 3; Use had no ratings for Alex and keeps its score.
    expect(agreed(doc, personaId)).toEqual({ [research]: -2, [buy]: 3, [use]: 1 });
    // Ratings stay: the team can go on rating and adopt again.
    expect(readEmotions(doc).find((point) => point.stageId === buy && point.personaId === personaId)?.participants).toEqual({
      ana: 2,
      ben: 3,
      cy: 3,
    });
  });

  it('adopts only the stages asked for and only for the persona asked for', () => {
    const { doc, personaId, other, research, buy, use } = ratedMap();
    expect(adoptMeanEmotions(doc, { personaId, stageIds: [buy] })).toEqual([buy]);
    expect(agreed(doc, personaId)).toEqual({ [research]: null, [buy]: 3, [use]: 1 });
    expect(agreed(doc, other)).toEqual({ [use]: null });
  });

  it('writes nothing when every agreed score already is the mean', () => {
    const { doc, personaId, buy } = ratedMap();
    adoptMeanEmotions(doc, { personaId, stageIds: [buy] });
    const before = Y.encodeStateVector(doc);
    expect(adoptMeanEmotions(doc, { personaId, stageIds: [buy] })).toEqual([]);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('is one undo step', () => {
    const { doc, personaId, research, buy, use } = ratedMap();
    const origin = localOrigin('facilitator');
    const undo = new Y.UndoManager(doc.getMap('emotions'), { trackedOrigins: new Set([origin]) });
    adoptMeanEmotions(doc, { personaId }, origin);
    undo.undo();
    expect(agreed(doc, personaId)).toEqual({ [research]: null, [buy]: null, [use]: 1 });
  });

  it('rejects an unknown persona or stage before writing', () => {
    const { doc, personaId } = ratedMap();
    expectRejected(doc, () => adoptMeanEmotions(doc, { personaId: 'x' }), 'adoptMeanEmotions: unknown persona "x"');
    expectRejected(doc, () => adoptMeanEmotions(doc, { personaId, stageIds: ['x'] }), 'adoptMeanEmotions: unknown stage "x"');
  });
});
