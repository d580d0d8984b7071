import type { EmotionPoint, Persona, Stage } from '@waymark/model';

/**
 * What a walkthrough calls out at each stage: where each persona's emotion curve peaks and dips,
 * and which stages carry the most pain points and opportunities. Pure, so the rules (ties, flat
 * curves, unscored stages) are tested without a browser.
 */

/** One persona's curve as numbers, by stage index; null where the stage is not scored. */
export interface EmotionCurve {
  readonly persona: Persona;
  readonly scores: readonly (number | null)[];
}

export type ExtremeKind = 'highest' | 'lowest';

export interface Extreme {
  readonly kind: ExtremeKind;
  readonly persona: Persona;
  readonly score: number;
}

/** A point as drawn: the agreed score, else the participants' mean to one decimal. */
export function feltScore(point: EmotionPoint): number | null {
  if (point.score !== null) return point.score;
  return point.mean === null ? null : Math.round(point.mean * 10) / 10;
}

export function emotionCurves(personas: readonly Persona[], stages: readonly Stage[], points: readonly EmotionPoint[]): EmotionCurve[] {
  const byPair = new Map(points.map((point) => [`${point.personaId}:${point.stageId}`, feltScore(point)]));
  return personas.map((persona) => ({
    persona,
    scores: stages.map((stage) => byPair.get(`${persona.id}:${stage.id}`) ?? null),
  }));
}

/**
 * For each persona, whether the stage at `index` is the highest or the lowest point of its curve.
 * Every stage tied at the top (or bottom) is called out. A curve with fewer than two different
 * scores has no high or low to speak of.
 */
export function extremesAt(curves: readonly EmotionCurve[], index: number): Extreme[] {
  const extremes: Extreme[] = [];
  for (const { persona, scores } of curves) {
    const score = scores[index];
    if (score === null || score === undefined) continue;
    const scored = scores.filter((each): each is number => each !== null);
    const highest = Math.max(...scored);
    const lowest = Math.min(...scored);
    if (highest === lowest) continue;
    if (score === lowest) extremes.push({ kind: 'lowest', persona, score });
    else if (score === highest) extremes.push({ kind: 'highest', persona, score });
  }
  // Dips first: a walkthrough is mostly about where the journey hurts.
  return extremes.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'lowest' ? -1 : 1));
}

/**
 * Whether `counts[index]` is the most of the journey, above zero and more than any other stage.
 * A shared top count is left unsaid: on an evenly filled map half the stages would claim "most";
 * so is a journey of one stage.
 */
export function isBusiest(counts: readonly number[], index: number): boolean {
  const count = counts[index] ?? 0;
  return counts.length > 1 && count > 0 && counts.every((each, other) => other === index || each < count);
}

/** A score with its sign, as people read it on a scale from −3 to +3 (a real minus sign). */
export const signedScore = (score: number): string => (score > 0 ? `+${score}` : score < 0 ? `−${-score}` : '0');
