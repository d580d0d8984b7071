import type { Action } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import { actionCountsByCard, distinctValues, dueDateLabel, groupByStatus, localDay, ownerSuggestions, UNOWNED } from './action-board';

const action = (id: string, fields: Partial<Action> = {}): Action => ({
  id,
  title: `Action ${id}`,
  owner: '',
  department: '',
  status: 'idea',
  due: '',
  kpiTarget: '',
  cardIds: [],
  order: id,
  author: '',
  createdAt: 0,
  ...fields,
});

const plan = [
  action('a', { owner: 'Ana', department: 'Support', status: 'planned' }),
  action('b', { owner: 'Ben', department: 'Payments', status: 'planned' }),
  action('c', { department: 'Support', status: 'done' }),
  action('d', { owner: 'Ana', status: 'idea' }),
];

const ids = (columns: Record<string, readonly Action[]>) =>
  Object.fromEntries(Object.entries(columns).map(([status, actions]) => [status, actions.map((a) => a.id)]));

describe('the action board', () => {
  it('puts every action in its status column, in plan order, with every column present', () => {
    expect(ids(groupByStatus(plan))).toEqual({ idea: ['d'], planned: ['a', 'b'], 'in-progress': [], done: ['c'], dropped: [] });
  });

  it('narrows the columns by department, by owner, by both, and to the unowned', () => {
    expect(ids(groupByStatus(plan, { department: 'Support', owner: null }))).toMatchObject({ planned: ['a'], done: ['c'], idea: [] });
    expect(ids(groupByStatus(plan, { department: null, owner: 'Ana' }))).toMatchObject({ planned: ['a'], idea: ['d'], done: [] });
    expect(ids(groupByStatus(plan, { department: 'Payments', owner: 'Ana' }))).toMatchObject({ planned: [], idea: [] });
    expect(ids(groupByStatus(plan, { department: null, owner: UNOWNED }))).toMatchObject({ done: ['c'], planned: [], idea: [] });
  });

  it('offers each department and owner once, sorted, never an empty one', () => {
    expect(distinctValues(plan, 'department')).toEqual(['Payments', 'Support']);
    expect(distinctValues(plan, 'owner')).toEqual(['Ana', 'Ben']);
  });

  it('suggests the people here and the owners named, once each', () => {
    expect(ownerSuggestions(['Zoë', ' Ana ', '', 'Chris'], plan)).toEqual(['Ana', 'Ben', 'Chris', 'Zoë']);
  });

  it('counts each card’s actions', () => {
    const counts = actionCountsByCard([action('x', { cardIds: ['c1', 'c2'] }), action('y', { cardIds: ['c1'] })]);
    expect([...counts]).toEqual([
      ['c1', 2],
      ['c2', 1],
    ]);
  });

  it('names the local calendar day, and writes due dates as people read them', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDay(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
    expect(dueDateLabel('2026-03-31')).toBe('31 Mar 2026');
    expect(dueDateLabel('soon')).toBe('soon');
  });
});
