import type { Action, LaneKind, Metric } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { daysAgo, needsAttention, reviewStatus, type AttentionCard, type AttentionInput } from './needs-attention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 27, 12);
const TODAY = '2026-11-27';

const card = (id: string, fields: Partial<AttentionCard> = {}): AttentionCard => ({
  id,
  stageId: 's1',
  laneId: 'notes',
  evidence: 'observed',
  createdAt: NOW - DAY,
  ...fields,
});

const action = (id: string, fields: Partial<Action> = {}): Action => ({
  id,
  title: id,
  owner: 'Dana',
  department: '',
  status: 'planned',
  due: '',
  kpiTarget: '',
  cardIds: [],
  order: 'a0',
  author: '',
  createdAt: NOW,
  ...fields,
});

const metric = (stageId: string, date: string, createdAt = NOW): Metric => ({
  id: `${stageId}-${date}`,
  stageId,
  personaId: '',
  name: 'CSAT',
  value: 4,
  target: null,
  date,
  source: 'manual',
  origin: '',
  author: '',
  createdAt,
});

const lanes = new Map<string, LaneKind>([
  ['pain', 'painPoints'],
  ['opps', 'opportunities'],
  ['notes', 'notes'],
]);

const input = (fields: Partial<AttentionInput>): AttentionInput => ({
  cards: [],
  lastChanged: () => undefined,
  stages: [
    { id: 's1', name: 'Research' },
    { id: 's2', name: 'Purchase' },
  ],
  laneKinds: lanes,
  actions: [],
  metrics: [],
  intervalDays: 90,
  now: NOW,
  today: TODAY,
  ...fields,
});

describe('needs attention', () => {
  it('calls a card stale when neither its creation nor its last known change is within the review interval', () => {
    const cards = [
      card('old', { createdAt: NOW - 200 * DAY }),
      card('older', { createdAt: NOW - 300 * DAY }),
      card('old but edited', { createdAt: NOW - 200 * DAY }),
      card('fresh', { createdAt: NOW - 10 * DAY }),
      card('just inside', { createdAt: NOW - 89 * DAY }),
      card('unknown age', { createdAt: 0 }),
    ];
    const lastChanged = (id: string) => (id === 'old but edited' ? NOW - 5 * DAY : undefined);
    const result = needsAttention(input({ cards, lastChanged }));
    expect(result.staleCards.map((c) => c.id)).toEqual(['older', 'old']);
    expect(result.staleCards[0]!.lastChange).toBe(NOW - 300 * DAY);
    // A shorter interval catches more.
    const strict = needsAttention(input({ cards, lastChanged, intervalDays: 7 }));
    expect(strict.staleCards.map((c) => c.id)).toEqual(['older', 'old', 'just inside', 'fresh']);
  });

  it('lists assumed cards with pain points first, then opportunities, each in stage order', () => {
    const cards = [
      card('note', { evidence: 'assumed', laneId: 'notes' }),
      card('opportunity', { evidence: 'assumed', laneId: 'opps' }),
      card('late pain', { evidence: 'assumed', laneId: 'pain', stageId: 's2' }),
      card('early pain', { evidence: 'assumed', laneId: 'pain', stageId: 's1' }),
      card('observed pain', { evidence: 'observed', laneId: 'pain' }),
      card('proposed', { evidence: 'proposed', laneId: 'opps' }),
    ];
    expect(needsAttention(input({ cards })).assumedCards.map((c) => c.id)).toEqual(['early pain', 'late pain', 'opportunity', 'note']);
  });

  it('lists open actions without an owner and open actions past their due day', () => {
    const actions = [
      action('owned, on time', { due: '2026-12-01' }),
      action('nobody', { owner: '  ' }),
      action('nobody but done', { owner: '', status: 'done' }),
      action('late', { due: '2026-11-20' }),
      action('later', { due: '2026-11-01' }),
      action('due today', { due: TODAY }),
      action('late but dropped', { due: '2026-01-01', status: 'dropped' }),
    ];
    const result = needsAttention(input({ actions }));
    expect(result.unownedActions.map((a) => a.id)).toEqual(['nobody']);
    expect(result.overdueActions.map((a) => a.id)).toEqual(['later', 'late']);
  });

  it('flags stages whose newest measurement is older than the interval', () => {
    const metrics = [metric('s1', '2026-05-01'), metric('s2', '2026-05-01'), metric('s2', '2026-11-01')];
    const result = needsAttention(input({ metrics }));
    expect(result.staleStages).toEqual([{ id: 's1', name: 'Research', newest: '2026-05-01' }]);
    expect(needsAttention(input({ metrics, intervalDays: 365 })).staleStages).toEqual([]);
  });

  it('counts everything it lists', () => {
    const result = needsAttention(
      input({
        cards: [card('a', { evidence: 'assumed', createdAt: NOW - 400 * DAY })],
        actions: [action('b', { owner: '', due: '2026-01-01' })],
        metrics: [metric('s2', '2025-01-01')],
      }),
    );
    expect(result.total).toBe(5);
    expect(needsAttention(input({})).total).toBe(0);
  });
});

describe('review dates', () => {
  it('dates the next review from the last data refresh, or from the map’s creation without data', () => {
    const refreshed = Date.UTC(2026, 9, 1);
    expect(reviewStatus([metric('s1', '2026-09-30', refreshed)], Date.UTC(2026, 0, 1), 90, TODAY)).toEqual({
      refreshedAt: refreshed,
      nextReview: '2026-12-30',
      overdue: false,
    });
    expect(reviewStatus([], Date.UTC(2026, 0, 1), 90, TODAY)).toEqual({ refreshedAt: null, nextReview: '2026-04-01', overdue: true });
    expect(reviewStatus([], 0, 90, TODAY)).toEqual({ refreshedAt: null, nextReview: null, overdue: false });
  });

  it('says how long ago in days', () => {
    expect(daysAgo(NOW - 3 * 60 * 60 * 1000, NOW)).toBe('today');
    expect(daysAgo(NOW - DAY, NOW)).toBe('1 day ago');
    expect(daysAgo(NOW - 120 * DAY - 5, NOW)).toBe('120 days ago');
  });
});
