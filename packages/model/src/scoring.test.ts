import { describe, expect, it } from 'vitest';
import type { StageImpact } from './impact.js';
import type { EmotionPoint } from './records/emotion.js';
import { DEFAULT_SCORE_WEIGHTS, type ScoreWeights } from './records/meta.js';
import { scoreCards, scoreFormula, type ScoringCard, type ScoringInputs } from './scoring.js';

const lanes = [
  { id: 'pains', kind: 'painPoints' as const },
  { id: 'ideas', kind: 'opportunities' as const },
  { id: 'doing', kind: 'actions' as const },
];

const card = (id: string, fields: Partial<ScoringCard> = {}): ScoringCard => ({
  id,
  stageId: 's1',
  laneId: 'pains',
  personaIds: [],
  evidence: 'assumed',
  sources: [],
  impact: 0,
  effort: 0,
  ...fields,
});

const impact = (stageId: string, volume: number | null, revenueAtStake: number | null): StageImpact => ({
  stageId,
  volume,
  dropOff: null,
  csat: null,
  revenueAtStake,
  csatPointWorth: null,
  missing: revenueAtStake === null ? ['Drop-off %'] : [],
});

const emotion = (personaId: string, stageId: string, score: number | null, mean: number | null = null): EmotionPoint => ({
  personaId,
  stageId,
  score,
  participants: {},
  mean,
  min: null,
  max: null,
  stdDev: null,
});

const only = (factor: keyof ScoreWeights): ScoreWeights => ({
  impact: 0,
  ease: 0,
  emotion: 0,
  reach: 0,
  confidence: 0,
  votes: 0,
  business: 0,
  [factor]: 1,
});

function inputs(overrides: Partial<ScoringInputs>): ScoringInputs {
  return { cards: [], lanes, emotions: [], votes: new Map(), impacts: [], weights: DEFAULT_SCORE_WEIGHTS, ...overrides };
}

describe('prioritisation', () => {
  it('scores only pain points and opportunities, and says why in points that add up to the score', () => {
    const ranked = scoreCards(
      inputs({
        cards: [
          card('a', { impact: 5, effort: 1 }),
          card('b', { laneId: 'ideas', impact: 2, effort: 4 }),
          card('c', { laneId: 'doing', impact: 5 }),
        ],
      }),
    );
    expect(ranked.map((entry) => entry.cardId)).toEqual(['a', 'b']);
    for (const entry of ranked) {
      const sum = entry.factors.reduce((total, factor) => total + factor.points, 0);
      expect(Math.abs(sum - entry.score)).toBeLessThan(0.5);
    }
    const impactFactor = ranked[0]!.factors.find((factor) => factor.factor === 'impact')!;
    expect(impactFactor).toMatchObject({ weight: 3, value: 1, detail: 'impact 5 of 5' });
  });

  it('brings each factor to 0–1 as its rule says', () => {
    const cards = [
      card('low', { stageId: 's1', evidence: 'assumed', impact: 1, effort: 5 }),
      card('high', { stageId: 's2', evidence: 'observed', sources: [{}, {}], impact: 5, effort: 1, personaIds: ['p1'] }),
    ];
    const common = {
      cards,
      emotions: [emotion('p1', 's2', -3), emotion('p2', 's1', null, 1.5)],
      votes: new Map([
        ['high', { votes: 4 }],
        ['low', { votes: 1 }],
      ]),
      impacts: [impact('s1', 2000, 1000), impact('s2', 8000, 4000)],
    };
    const value = (factor: keyof ScoreWeights, id: string) =>
      scoreCards(inputs({ ...common, weights: only(factor) }))
        .find((entry) => entry.cardId === id)!
        .factors.find((f) => f.factor === factor)!.value;
    expect([value('impact', 'low'), value('impact', 'high')]).toEqual([0, 1]);
    expect([value('ease', 'low'), value('ease', 'high')]).toEqual([0, 1]);
    // An untagged card feels its stage's strongest curve (here a mean of ratings); a tagged one its personas'.
    expect([value('emotion', 'low'), value('emotion', 'high')]).toEqual([0.5, 1]);
    expect([value('reach', 'low'), value('reach', 'high')]).toEqual([0.25, 1]);
    expect([value('confidence', 'low'), value('confidence', 'high')]).toEqual([0.25, 1]);
    expect([value('votes', 'low'), value('votes', 'high')]).toEqual([0.25, 1]);
    expect([value('business', 'low'), value('business', 'high')]).toEqual([0.25, 1]);
  });

  it('counts a card not yet judged as middling, and says so', () => {
    const [entry] = scoreCards(inputs({ cards: [card('a')], weights: only('impact') }));
    expect(entry!.score).toBe(50);
    expect(entry!.factors[0]!.detail).toBe('impact not scored (counts as 3)');
  });

  it('reorders when a vote total or a weight changes, and keeps map order among equals', () => {
    const cards = [card('a', { impact: 4 }), card('b', { impact: 3 }), card('c', { impact: 3 })];
    const byImpact = scoreCards(inputs({ cards, weights: only('impact') }));
    expect(byImpact.map((entry) => [entry.cardId, entry.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
    ]);
    const weights = { ...only('impact'), votes: 3 };
    const votes = new Map([['c', { votes: 5 }]]);
    expect(scoreCards(inputs({ cards, weights, votes })).map((entry) => entry.cardId)).toEqual(['c', 'a', 'b']);
    expect(scoreCards(inputs({ cards, weights: only('votes'), votes }))[0]!.factors.find((f) => f.factor === 'votes')!.detail).toBe(
      '5 votes of the top 5',
    );
  });

  it('shows the formula with the weights in use', () => {
    expect(scoreFormula(DEFAULT_SCORE_WEIGHTS)).toBe(
      'Score = 100 × (3 × impact + 2 × ease (low effort) + 2 × emotional intensity + 1 × reach + 1 × confidence + 2 × votes + 2 × business impact) ÷ 13, each factor from 0 to 1',
    );
    expect(scoreFormula(only('votes'))).toBe('Score = 100 × (1 × votes) ÷ 1, each factor from 0 to 1');
    const zero = { ...only('votes'), votes: 0 };
    expect(scoreFormula(zero)).toMatch('nothing is scored');
    expect(scoreCards(inputs({ cards: [card('a', { impact: 5 })], weights: zero }))[0]!.score).toBe(0);
  });

  it('scores 500 cards from one set of inputs', () => {
    const cards = Array.from({ length: 500 }, (_, index) => card(`c${index}`, { impact: (index % 5) + 1, effort: ((index * 3) % 5) + 1 }));
    const ranked = scoreCards(inputs({ cards }));
    expect(ranked).toHaveLength(500);
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[499]!.score);
  });
});
