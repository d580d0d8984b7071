import { describe, expect, it } from 'vitest';
import { LANE_HEADER_WIDTH, STAGE_WIDTH } from './grid-layout';
import { scrollFor, stageIndexAt, viewAt } from './map-view';

describe('map views', () => {
  it('shares the corner in unzoomed map pixels, and a follower at the same zoom lands on it', () => {
    const view = viewAt({ left: 400, top: 60 }, 0.5, null);
    expect(view).toEqual({ x: 800, y: 120, zoom: 0.5, stageId: null });
    expect(scrollFor(view, null, 1000)).toEqual({ left: 400, top: 60 });
  });

  it('brings the focused stage into a narrower window, right of the lane column', () => {
    const view = { x: 0, y: 0, zoom: 1, stageId: 's4' };
    // Stage 4 ends at 200 + 4 × 264 = 1256 px: a 900 px window scrolls it in from the right.
    expect(scrollFor(view, 3, 900).left).toBe(LANE_HEADER_WIDTH + 4 * STAGE_WIDTH - 900);
    // Scrolled past stage 1, it comes back to sit just right of the lane column.
    expect(scrollFor({ ...view, x: 600 }, 0, 900).left).toBe(0);
    // Already in sight: the corner is kept.
    expect(scrollFor({ ...view, x: 100 }, 1, 1440).left).toBe(100);
  });

  it('finds the stage column under a point', () => {
    expect(stageIndexAt(LANE_HEADER_WIDTH - 1, 3)).toBeNull();
    expect(stageIndexAt(LANE_HEADER_WIDTH, 3)).toBe(0);
    expect(stageIndexAt(LANE_HEADER_WIDTH + 2 * STAGE_WIDTH + 10, 3)).toBe(2);
    expect(stageIndexAt(LANE_HEADER_WIDTH + 3 * STAGE_WIDTH + 10, 3)).toBeNull();
  });
});
