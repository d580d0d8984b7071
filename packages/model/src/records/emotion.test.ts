import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Problem } from '../problems.js';
import { checkEmotionScore, collectEmotions, emotionKey, parseEmotionKey, readEmotions, roundedMean } from './emotion.js';

function put(doc: Y.Doc, collection: string, id: string, fields: Record<string, unknown>): void {
  const record = new Y.Map<unknown>();
  doc.getMap(collection).set(id, record);
  for (const [key, value] of Object.entries(fields)) record.set(key, value);
}

describe('emotion keys', () => {
  it('round-trip with and without a participant', () => {
    expect(emotionKey('p', 's')).toBe('p:s');
    expect(parseEmotionKey(emotionKey('p', 's', 'user@example.com'))).toEqual({
      personaId: 'p',
      stageId: 's',
      participantId: 'user@example.com',
    });
    expect(parseEmotionKey('p:s')).toEqual({ personaId: 'p', stageId: 's', participantId: undefined });
    for (const bad of ['p', 'p:s:u:x', ':s', 'p::u', 'p:s:']) expect(parseEmotionKey(bad)).toBeUndefined();
  });
});

describe('reading emotions', () => {
  it('gives the agreed score and mean/min/max/stdDev of participant scores', () => {
    const doc = new Y.Doc();
    put(doc, 'personas', 'p1', { name: 'Alex' });
    put(doc, 'stages', 's1', { name: 'One', order: 'a0' });
    put(doc, 'stages', 's2', { name: 'Two', order: 'a1' });
    const emotions = doc.getMap('emotions');
    emotions.set('p1:s2', -2);
    emotions.set('p1:s1:u1', 3);
    emotions.set('p1:s1:u2', 1);
    emotions.set('p1:s1:u3', -1);
    expect(readEmotions(doc)).toEqual([
      {
        personaId: 'p1',
        stageId: 's1',
        score: null,
        participants: { u1: 3, u2: 1, u3: -1 },
        mean: 1,
        min: -1,
        max: 3,
        stdDev: Math.sqrt(8 / 3),
      },
      {
        personaId: 'p1',
        stageId: 's2',
        score: -2,
        participants: {},
        mean: null,
        min: null,
        max: null,
        stdDev: null,
      },
    ]);
  });

  it('skips bad keys, bad scores and unknown personas or stages', () => {
    const doc = new Y.Doc();
    const emotions = doc.getMap('emotions');
    emotions.set('p1:s1', 2);
    emotions.set('p1:s1:u1', 4);
    emotions.set('p1:s1:u2', 1.5);
    emotions.set('p1:s1:u3', '2');
    emotions.set('nonsense', 1);
    emotions.set('gone:s1', 1);
    emotions.set('p1:gone', 1);
    const problems: Problem[] = [];
    const points = collectEmotions(doc, problems, ['p1'], ['s1']);
    expect(points.map((point) => [point.score, point.participants])).toEqual([[2, {}]]);
    expect(Object.fromEntries(problems.map((p) => [p.id, p.reason]))).toEqual({
      'p1:s1:u1': 'score is not an integer from -3 to 3',
      'p1:s1:u2': 'score is not an integer from -3 to 3',
      'p1:s1:u3': 'score is not an integer from -3 to 3',
      nonsense: 'malformed key',
      'gone:s1': 'persona does not exist',
      'p1:gone': 'stage does not exist',
    });
  });

  it('orders points by the given persona and stage order', () => {
    const doc = new Y.Doc();
    const emotions = doc.getMap('emotions');
    emotions.set('p2:s1', 1);
    emotions.set('p1:s2', 1);
    emotions.set('p1:s1', 1);
    const points = collectEmotions(doc, [], ['p1', 'p2'], ['s1', 's2']);
    expect(points.map((p) => `${p.personaId}:${p.stageId}`)).toEqual(['p1:s1', 'p1:s2', 'p2:s1']);
  });
});

describe('checkEmotionScore', () => {
  it('accepts integers -3..3 only', () => {
    for (const score of [-3, 0, 3]) expect(checkEmotionScore(score, 'setEmotion')).toBe(score);
    for (const score of [-4, 4, 0.5, Number.NaN, '1']) {
      expect(() => checkEmotionScore(score, 'setEmotion')).toThrow(/setEmotion: score must be an integer from -3 to 3/);
    }
  });
});

describe('participant ids that look like object keys', () => {
  it('are stored as plain data', () => {
    const doc = new Y.Doc();
    doc.getMap('emotions').set('p1:s1:__proto__', 2);
    doc.getMap('emotions').set('p1:s1:constructor', -1);
    const [point] = collectEmotions(doc, [], ['p1'], ['s1']);
    expect(Object.keys(point?.participants ?? {}).sort()).toEqual(['__proto__', 'constructor']);
    expect(point?.mean).toBe(0.5);
  });
});

describe('roundedMean', () => {
  it('rounds halves away from zero, so the curve is the same both sides of neutral', () => {
    const cases: [number | null, number | null][] = [
      [null, null],
      [0, 0],
      [0.4, 0],
      [-0.4, 0],
      [1.5, 2],
      [-1.5, -2],
      [-0.5, -1],
      [2.49, 2],
      [-2.6, -3],
    ];
    for (const [mean, rounded] of cases) expect(roundedMean({ mean }), `mean ${String(mean)}`).toBe(rounded);
  });
});
