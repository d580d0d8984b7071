import { describe, expect, it } from 'vitest';
import { placeLabels, type Rect, type WantedLabel } from './label-layout';

const AREA = { width: 800, height: 200 };
const overlap = (a: Rect, b: Rect) => Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
const label = (x: number, y: number, away: -1 | 1 = -1): WantedLabel => ({ x, y, width: 50, height: 16, away });

describe('placeLabels', () => {
  it('leaves a label that clashes with nothing where it wanted to be', () => {
    expect(placeLabels([label(100, 50)], [], AREA)).toEqual([{ x: 100, y: 50 }]);
  });

  it('parts labels wanted at the same spot, and keeps them off the points', () => {
    const wanted = Array.from({ length: 5 }, (_, i) => label(300 + (i - 2) * 22, 60));
    const points = wanted.map((w) => ({ x: w.x, y: 80, width: 20, height: 20 }));
    const placed = placeLabels(wanted, points, AREA).map((at) => ({ ...at, width: 50, height: 16 }));
    placed.forEach((a, i) => {
      points.forEach((point) => expect(overlap(a, point)).toBe(false));
      placed.forEach((b, j) => {
        if (j !== i) expect(overlap(a, b)).toBe(false);
      });
    });
    // The first keeps its spot; the others stack away from the points, not onto their far side.
    expect(placed[0]).toMatchObject({ x: 256, y: 60 });
    for (const at of placed) expect(at.y).toBeLessThanOrEqual(60);
  });

  it('keeps a label inside the area rather than pushing it off the top', () => {
    const placed = placeLabels([label(100, 8), label(100, 8)], [], AREA);
    expect(placed[0]).toEqual({ x: 100, y: 8 });
    expect(placed[1]!.y).toBeGreaterThanOrEqual(8);
    expect(overlap({ ...placed[0]!, width: 50, height: 16 }, { ...placed[1]!, width: 50, height: 16 })).toBe(false);
  });

  it('steps a low label downwards past a point in its way', () => {
    const [at] = placeLabels([label(100, 120, 1)], [{ x: 100, y: 120, width: 20, height: 20 }], AREA);
    expect(at!.y).toBeGreaterThan(120);
  });
});
