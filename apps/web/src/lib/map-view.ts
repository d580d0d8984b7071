import { LANE_HEADER_WIDTH, STAGE_WIDTH } from './grid-layout';
import type { MapView } from './peer';

/**
 * A view of the map grid in map coordinates (unzoomed pixels from the grid's top-left corner), so
 * a follower with a smaller window or another zoom sees the same stage at the left edge as the
 * person they follow.
 */

export interface Scroll {
  readonly left: number;
  readonly top: number;
}

/** The view of a grid scrolled to `scroll` (CSS pixels of the scroller) at `zoom`. */
export function viewAt(scroll: Scroll, zoom: number, stageId: string | null): MapView {
  return { x: round(scroll.left / zoom), y: round(scroll.top / zoom), zoom, stageId };
}

/**
 * Where to scroll to show `view` in a scroller `width` pixels wide: its corner, moved just enough
 * to bring the stage at `stageIndex` (if any) fully into sight right of the lane column, which
 * stays put while the grid scrolls.
 */
export function scrollFor(view: MapView, stageIndex: number | null, width: number): Scroll {
  const zoom = view.zoom;
  let left = view.x * zoom;
  if (stageIndex !== null && stageIndex >= 0) {
    const start = (LANE_HEADER_WIDTH + stageIndex * STAGE_WIDTH) * zoom;
    const end = start + STAGE_WIDTH * zoom;
    if (end > left + width) left = end - width;
    if (start < left + LANE_HEADER_WIDTH * zoom) left = start - LANE_HEADER_WIDTH * zoom;
  }
  return { left: Math.max(0, left), top: Math.max(0, view.y * zoom) };
}

/** The stage column under `x` (map pixels), or null over the lane column or past the last stage. */
export function stageIndexAt(x: number, stageCount: number): number | null {
  const index = Math.floor((x - LANE_HEADER_WIDTH) / STAGE_WIDTH);
  return index >= 0 && index < stageCount ? index : null;
}

const round = (value: number) => Math.round(value * 10) / 10;
