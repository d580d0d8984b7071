import type { EmotionPoint, Persona, Stage } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { emotionCurves, extremesAt, feltScore, isBusiest, signedScore } from './journey-highlights';

const stages: Stage[] = ['s1', 's2', 's3', 's4'].map((id, order) => ({ id, name: id, order: String(order), metrics: {} }));
const persona = (id: string, name: string): Persona => ({ id, name, description: '', goals: '', frustrations: '', colour: '#0ea5e9' });
const buyer = persona('buyer', 'Buyer');
const admin = persona('admin', 'Admin');

function point(personaId: string, stageId: string, score: number | null, mean: number | null = null): EmotionPoint {
  return { personaId, stageId, score, mean, participants: {}, min: null, max: null, stdDev: null };
}

describe('journey highlights', () => {
  it('draws the agreed score, else the participants’ mean to one decimal', () => {
    expect(feltScore(point('buyer', 's1', -2, 1.5))).toBe(-2);
    expect(feltScore(point('buyer', 's1', null, 4 / 3))).toBe(1.3);
    expect(feltScore(point('buyer', 's1', null, null))).toBeNull();
  });

  it('calls out each persona’s lowest and highest stage, ties included, lows first', () => {
    const curves = emotionCurves([buyer, admin], stages, [
      point('buyer', 's1', 1),
      point('buyer', 's2', -2),
      point('buyer', 's3', 3),
      point('buyer', 's4', -2),
      point('admin', 's2', 2),
      point('admin', 's3', -1),
    ]);
    expect(curves.map((curve) => curve.scores)).toEqual([
      [1, -2, 3, -2],
      [null, 2, -1, null],
    ]);
    expect(extremesAt(curves, 0)).toEqual([]);
    expect(extremesAt(curves, 1)).toEqual([
      { kind: 'lowest', persona: buyer, score: -2 },
      { kind: 'highest', persona: admin, score: 2 },
    ]);
    expect(extremesAt(curves, 2)).toEqual([
      { kind: 'lowest', persona: admin, score: -1 },
      { kind: 'highest', persona: buyer, score: 3 },
    ]);
    expect(extremesAt(curves, 3)).toEqual([{ kind: 'lowest', persona: buyer, score: -2 }]);
  });

  it('finds no high or low in a flat curve or a single score', () => {
    const flat = emotionCurves([buyer, admin], stages, [point('buyer', 's1', 1), point('buyer', 's2', 1), point('admin', 's3', -3)]);
    for (const index of [0, 1, 2, 3]) expect(extremesAt(flat, index)).toEqual([]);
  });

  it('marks the one stage with the most cards of a kind, and no stage when the most is shared', () => {
    expect(isBusiest([1, 4, 3, 0], 1)).toBe(true);
    expect(isBusiest([1, 4, 3, 0], 2)).toBe(false);
    expect(isBusiest([1, 4, 4, 0], 1)).toBe(false);
    expect(isBusiest([1, 4, 4, 0], 0)).toBe(false);
    expect(isBusiest([5], 0)).toBe(false);
    expect(isBusiest([2, 2, 2], 0)).toBe(false);
    expect(isBusiest([0, 0], 0)).toBe(false);
  });

  it('signs scores with a real minus', () => {
    expect([-2, 0, 3, -1.5].map(signedScore)).toEqual(['−2', '0', '+3', '−1.5']);
  });
});
