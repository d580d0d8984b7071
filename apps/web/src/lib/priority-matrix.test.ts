import { describe, expect, it } from 'vitest';
import { matrixLayout, quadrantOf, type MatrixEntry } from './priority-matrix';

const GEOMETRY = { cell: 60, across: 3, down: 2 };
const entry = (cardId: string, rank: number, impact: number, effort: number): MatrixEntry => ({ cardId, rank, impact, effort });

describe('the impact/effort matrix', () => {
  it('puts high impact at the top and low effort on the left', () => {
    const { dots } = matrixLayout([entry('quick', 1, 5, 1), entry('pit', 2, 1, 5)], GEOMETRY);
    const quick = dots.find((dot) => dot.cardId === 'quick')!;
    const pit = dots.find((dot) => dot.cardId === 'pit')!;
    // Alone in their cells, each sits in the middle: the top left cell, and the bottom right one.
    expect([quick.x, quick.y]).toEqual([30, 30]);
    expect([pit.x, pit.y]).toEqual([4 * 60 + 30, 4 * 60 + 30]);
  });

  it('fills a shared cell row by row in rank order, each row centred', () => {
    const { dots, overflow } = matrixLayout([entry('a', 1, 4, 2), entry('b', 2, 4, 2), entry('c', 3, 4, 2), entry('d', 4, 4, 2)], GEOMETRY);
    // Cell impact 4, effort 2: x from 60, y from 60; places 20 apart across, 30 down.
    expect(dots.map((dot) => [dot.cardId, dot.x, dot.y])).toEqual([
      ['a', 60 + 10, 60 + 15],
      ['b', 60 + 30, 60 + 15],
      ['c', 60 + 50, 60 + 15],
      ['d', 60 + 30, 60 + 45],
    ]);
    const pair = matrixLayout([entry('a', 1, 4, 2), entry('b', 2, 4, 2)], GEOMETRY).dots;
    expect(pair.map((dot) => [dot.x, dot.y])).toEqual([
      [60 + 20, 60 + 30],
      [60 + 40, 60 + 30],
    ]);
    expect(overflow).toEqual([]);
  });

  it('says how many cards a full cell leaves out, in its last place', () => {
    const entries = Array.from({ length: 9 }, (_, index) => entry(`card-${index}`, index + 1, 2, 4));
    const { dots, overflow } = matrixLayout(entries, GEOMETRY);
    // Six places: five dots (the best ranked) and "+4".
    expect(dots.map((dot) => dot.cardId)).toEqual(['card-0', 'card-1', 'card-2', 'card-3', 'card-4']);
    expect(overflow).toEqual([{ impact: 2, effort: 4, hidden: 4, x: 3 * 60 + 50, y: 3 * 60 + 45 }]);
  });

  it('fits exactly as many cards as a cell has places without an overflow', () => {
    const entries = Array.from({ length: 6 }, (_, index) => entry(`card-${index}`, index + 1, 3, 3));
    const { dots, overflow } = matrixLayout(entries, GEOMETRY);
    expect(dots).toHaveLength(6);
    expect(overflow).toEqual([]);
  });

  it('leaves cards without an impact or an effort off the chart, listed apart in rank order', () => {
    const { dots, unscored } = matrixLayout([entry('no-effort', 1, 4, 0), entry('both', 2, 5, 5), entry('no-impact', 3, 0, 2)], GEOMETRY);
    expect(dots.map((dot) => dot.cardId)).toEqual(['both']);
    expect(unscored).toEqual(['no-effort', 'no-impact']);
  });

  it('names the quadrants, and none on the middle line', () => {
    expect(quadrantOf(5, 1)).toBe('quickWins');
    expect(quadrantOf(4, 5)).toBe('bigBets');
    expect(quadrantOf(1, 2)).toBe('fillIns');
    expect(quadrantOf(2, 4)).toBe('moneyPits');
    expect(quadrantOf(3, 1)).toBeNull();
    expect(quadrantOf(5, 3)).toBeNull();
  });
});
