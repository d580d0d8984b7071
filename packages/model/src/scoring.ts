import type { StageImpact } from './impact.js';
import type { Evidence } from './records/card.js';
import type { EmotionPoint } from './records/emotion.js';
import type { LaneKind } from './records/lane.js';
import { SCORE_FACTORS, type ScoreFactor, type ScoreWeights } from './records/meta.js';

/**
 * Prioritisation: pain points and opportunities scored on seven factors, each brought to 0–1,
 * weighted by the map's weights. The score is 100 × Σ weight × factor ÷ Σ weight, so a card
 * that is best on every factor scores 100, and each factor's share of the score is its points:
 * "why is this first?" is answered by the points, and the formula is the same for every card.
 */

/** The lanes whose cards are prioritised. */
export const SCORED_LANE_KINDS: readonly LaneKind[] = ['painPoints', 'opportunities'];

export const SCORE_FACTOR_LABELS: Readonly<Record<ScoreFactor, string>> = Object.freeze({
  impact: 'Impact',
  ease: 'Ease (low effort)',
  emotion: 'Emotional intensity',
  reach: 'Reach',
  confidence: 'Confidence',
  votes: 'Votes',
  business: 'Business impact',
});

/** How each factor is brought to 0–1, in words, for the formula on screen. */
export const SCORE_FACTOR_RULES: Readonly<Record<ScoreFactor, string>> = Object.freeze({
  impact: 'judged impact 1–5 → 0–1 (not scored counts as 3)',
  ease: 'judged effort 1–5 → 1–0 (not scored counts as 3)',
  emotion: 'strongest emotion at its stage on the curve, |score| ÷ 3',
  reach: "its stage's volume ÷ the largest stage volume",
  confidence: 'observed 1, proposed 0.5, assumed 0.25, +0.15 per source (at most 1)',
  votes: 'its latest dot-vote total ÷ the most any card got',
  business: "its stage's revenue at stake ÷ the largest stage's",
});

/** What scoring reads of a card. */
export interface ScoringCard {
  readonly id: string;
  readonly stageId: string;
  readonly laneId: string;
  readonly personaIds: readonly string[];
  readonly evidence: Evidence;
  readonly sources: readonly unknown[];
  readonly impact: number;
  readonly effort: number;
}

export interface ScoringInputs {
  /** Cards in map order: ties keep it. */
  readonly cards: readonly ScoringCard[];
  readonly lanes: readonly { readonly id: string; readonly kind: LaneKind }[];
  /** The agreed curve (and ratings' means) per persona and stage. */
  readonly emotions: readonly EmotionPoint[];
  /** Dot-vote totals per card id (see voteTotals). */
  readonly votes: ReadonlyMap<string, { readonly votes: number }>;
  readonly impacts: readonly StageImpact[];
  readonly weights: ScoreWeights;
}

export interface FactorScore {
  readonly factor: ScoreFactor;
  readonly weight: number;
  /** The factor brought to 0–1. */
  readonly value: number;
  /** Its share of the score: 100 × weight × value ÷ Σ weights. */
  readonly points: number;
  /** Where the value came from, in words. */
  readonly detail: string;
}

export interface ScoredCard {
  readonly cardId: string;
  /** 1 for the first; cards with equal scores share a rank. */
  readonly rank: number;
  /** 0–100. */
  readonly score: number;
  readonly factors: readonly FactorScore[];
}

const CONFIDENCE: Readonly<Record<Evidence, number>> = { observed: 1, proposed: 0.5, assumed: 0.25 };
const SOURCE_CONFIDENCE = 0.15;

/** The formula with the map's weights, for the screen. */
export function scoreFormula(weights: ScoreWeights): string {
  const total = SCORE_FACTORS.reduce((sum, factor) => sum + weights[factor], 0);
  const terms = SCORE_FACTORS.filter((factor) => weights[factor] > 0).map(
    (factor) => `${weights[factor]} × ${SCORE_FACTOR_LABELS[factor].toLowerCase()}`,
  );
  if (total === 0) return 'Every weight is 0: nothing is scored.';
  return `Score = 100 × (${terms.join(' + ')}) ÷ ${total}, each factor from 0 to 1`;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Scores and ranks the pain points and opportunities among `cards`, best first. */
export function scoreCards(inputs: ScoringInputs): ScoredCard[] {
  const scoredLanes = new Set(inputs.lanes.filter((lane) => SCORED_LANE_KINDS.includes(lane.kind)).map((lane) => lane.id));
  const candidates = inputs.cards.filter((card) => scoredLanes.has(card.laneId));
  const impactByStage = new Map(inputs.impacts.map((impact) => [impact.stageId, impact]));
  const maxVolume = Math.max(0, ...inputs.impacts.map((impact) => impact.volume ?? 0));
  const maxRevenue = Math.max(0, ...inputs.impacts.map((impact) => impact.revenueAtStake ?? 0));
  const maxVotes = Math.max(0, ...candidates.map((card) => inputs.votes.get(card.id)?.votes ?? 0));
  const emotionByStage = strongestEmotions(inputs.emotions);
  const totalWeight = SCORE_FACTORS.reduce((sum, factor) => sum + inputs.weights[factor], 0);

  const scored = candidates.map((card, index) => {
    const impact = impactByStage.get(card.stageId);
    const values: Record<ScoreFactor, [number, string]> = {
      impact: judged(card.impact, (n) => (n - 1) / 4, 'impact'),
      ease: judged(card.effort, (n) => (5 - n) / 4, 'effort'),
      emotion: emotionOf(card, emotionByStage),
      reach:
        impact?.volume == null || maxVolume === 0
          ? [0, 'no volume at its stage']
          : [impact.volume / maxVolume, `volume ${impact.volume.toLocaleString('en-GB')} of ${maxVolume.toLocaleString('en-GB')}`],
      confidence: confidenceOf(card),
      votes: votesOf(inputs.votes.get(card.id)?.votes ?? 0, maxVotes),
      business:
        impact?.revenueAtStake == null || maxRevenue === 0
          ? [0, impact && impact.missing.length > 0 ? `no revenue at stake (missing ${impact.missing.join(', ')})` : 'no revenue at stake']
          : [
              impact.revenueAtStake / maxRevenue,
              `${Math.round((impact.revenueAtStake / maxRevenue) * 100)}% of the largest revenue at stake`,
            ],
    };
    const factors = SCORE_FACTORS.map((factor): FactorScore => {
      const [value, detail] = values[factor];
      const weight = inputs.weights[factor];
      return { factor, weight, value, points: totalWeight === 0 ? 0 : (100 * weight * value) / totalWeight, detail };
    });
    const score = round1(factors.reduce((sum, factor) => sum + factor.points, 0));
    return { cardId: card.id, index, score, factors: factors.map((factor) => ({ ...factor, points: round1(factor.points) })) };
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  let rank = 0;
  return scored.map((entry, position) => {
    if (position === 0 || entry.score !== scored[position - 1]!.score) rank = position + 1;
    return { cardId: entry.cardId, rank, score: entry.score, factors: entry.factors };
  });
}

function judged(value: number, scale: (n: number) => number, what: string): [number, string] {
  return value >= 1 && value <= 5 ? [scale(value), `${what} ${value} of 5`] : [0.5, `${what} not scored (counts as 3)`];
}

function votesOf(votes: number, maxVotes: number): [number, string] {
  if (maxVotes === 0) return [0, 'no dot votes yet'];
  return [votes / maxVotes, `${votes} ${votes === 1 ? 'vote' : 'votes'} of the top ${maxVotes}`];
}

function confidenceOf(card: ScoringCard): [number, string] {
  const sources = card.sources.length;
  const value = Math.min(1, CONFIDENCE[card.evidence] + SOURCE_CONFIDENCE * sources);
  return [value, `${card.evidence}, ${sources} ${sources === 1 ? 'source' : 'sources'}`];
}

/** Per stage, per persona: the curve's score (agreed, else the ratings' mean). */
function strongestEmotions(points: readonly EmotionPoint[]): Map<string, Map<string, number>> {
  const byStage = new Map<string, Map<string, number>>();
  for (const point of points) {
    const score = point.score ?? point.mean;
    if (score === null) continue;
    const personas = byStage.get(point.stageId) ?? new Map<string, number>();
    personas.set(point.personaId, score);
    byStage.set(point.stageId, personas);
  }
  return byStage;
}

function emotionOf(card: ScoringCard, byStage: Map<string, Map<string, number>>): [number, string] {
  const personas = byStage.get(card.stageId);
  if (!personas) return [0, 'no emotion on the curve at its stage'];
  // A card for everyone feels as strong as the strongest persona's curve there.
  const scores = card.personaIds.length === 0 ? [...personas.values()] : card.personaIds.flatMap((id) => personas.get(id) ?? []);
  if (scores.length === 0) return [0, "no emotion on its personas' curve at its stage"];
  const strongest = scores.reduce((best, score) => (Math.abs(score) > Math.abs(best) ? score : best));
  const shown = Math.round(strongest * 10) / 10;
  return [Math.abs(strongest) / 3, `curve at ${shown > 0 ? '+' : ''}${shown}`];
}
