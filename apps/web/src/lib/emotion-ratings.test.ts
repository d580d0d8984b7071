import type { EmotionPoint } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { ratingSummary, signedMean } from './emotion-ratings';

function point(participants: Record<string, number>, score: number | null = null): EmotionPoint {
  const values = Object.values(participants);
  const mean = values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    personaId: 'p',
    stageId: 's',
    score,
    participants,
    mean,
    min: values.length === 0 ? null : Math.min(...values),
    max: values.length === 0 ? null : Math.max(...values),
    stdDev: null,
  };
}

describe('ratingSummary', () => {
  it('says the mean to one decimal, how many rated and the range', () => {
    const summary = ratingSummary(point({ a: -3, b: -2, c: -2, d: 1 }));
    expect(summary).toMatchObject({ count: 4, mean: -1.5, min: -3, max: 1, adoptable: -2 });
    expect(summary?.text).toBe('Mean −1.5 from 4 ratings, spread −3 to +1');
  });

  it('speaks of one rating, and of agreement when everyone gave the same score', () => {
    expect(ratingSummary(point({ a: 2 }))?.text).toBe('Mean +2 from 1 rating, all +2');
    expect(ratingSummary(point({ a: 0, b: 0 }))?.text).toBe('Mean 0 from 2 ratings, all 0');
  });

  it('is null when nobody rated, whatever the agreed score', () => {
    expect(ratingSummary(undefined)).toBeNull();
    expect(ratingSummary(point({}, 2))).toBeNull();
  });
});

describe('signedMean', () => {
  it('rounds to one decimal and never says "−0"', () => {
    expect(signedMean(2 / 3)).toBe('+0.7');
    expect(signedMean(-0.04)).toBe('0');
    expect(signedMean(-1)).toBe('−1');
  });
});
