import { roundedMean, type EmotionPoint } from '@waymark/model';
import { signedScore } from './journey-highlights';

/**
 * How the participants' own ratings of one stage read, in words and as the curve draws them.
 * The spread is the range, lowest to highest rating: with a handful of whole-number ratings a
 * range says plainly who is furthest apart, where a standard deviation would need explaining.
 */
export interface RatingSummary {
  readonly count: number;
  /** The exact mean, for drawing. */
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** The whole number "Adopt mean" would make the agreed score. */
  readonly adoptable: number;
  /** E.g. "Mean −1.5 from 4 ratings, spread −3 to +1". */
  readonly text: string;
}

/** A mean to one decimal, signed like the curve's scores ("−1.5", "+2", "0"). */
export function signedMean(mean: number): string {
  const rounded = Math.round(mean * 10) / 10;
  return signedScore(rounded === 0 ? 0 : rounded);
}

export function ratingSummary(point: EmotionPoint | undefined): RatingSummary | null {
  if (point === undefined || point.mean === null || point.min === null || point.max === null) return null;
  const count = Object.keys(point.participants).length;
  const ratings = count === 1 ? '1 rating' : `${count} ratings`;
  const spread =
    point.min === point.max ? `all ${signedScore(point.min)}` : `spread ${signedScore(point.min)} to ${signedScore(point.max)}`;
  return {
    count,
    mean: point.mean,
    min: point.min,
    max: point.max,
    adoptable: roundedMean(point)!,
    text: `Mean ${signedMean(point.mean)} from ${ratings}, ${spread}`,
  };
}
