/**
 * Places the emotion curve's "High"/"Low" labels so that no two labels overlap and none covers
 * a point. Each label is tried at its wanted spot first, then at spots further away, nearest
 * first and its preferred side (above a high, below a low) before the other; it takes the first
 * spot that is clear of the points and of the labels already placed.
 */

export interface Rect {
  /** Centre. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WantedLabel extends Rect {
  /** Which way the label may move without parting from its point: -1 up, 1 down. */
  readonly away: -1 | 1;
}

export interface LabelArea {
  readonly width: number;
  readonly height: number;
}

/** Room kept between a label and anything else. */
const GAP = 2;
const STEP_X = 8;
const MAX_ROWS = 6;
const MAX_COLUMNS = 16;

const clash = (a: Rect, b: Rect) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width + 2 * GAP && Math.abs(a.y - b.y) * 2 < a.height + b.height + 2 * GAP;

const inside = (label: Rect, area: LabelArea) =>
  label.x - label.width / 2 >= 0 &&
  label.x + label.width / 2 <= area.width &&
  label.y - label.height / 2 >= 0 &&
  label.y + label.height / 2 <= area.height;

/** Returns each label's centre, in the order given; earlier labels keep their spot first. */
export function placeLabels(labels: readonly WantedLabel[], obstacles: readonly Rect[], area: LabelArea): { x: number; y: number }[] {
  const placed: Rect[] = [];
  return labels.map((label) => {
    const stepY = label.height + GAP;
    const candidates: { x: number; y: number; cost: number }[] = [];
    for (let row = -MAX_ROWS; row <= MAX_ROWS; row++) {
      for (let column = -MAX_COLUMNS; column <= MAX_COLUMNS; column++) {
        const dy = row * stepY;
        const dx = column * STEP_X;
        // Moving towards the point's other side parts the label from it: it costs more.
        const wrongWay = Math.sign(dy) === -label.away ? 3 : 1;
        candidates.push({ x: label.x + dx, y: label.y + dy, cost: Math.abs(dx) + Math.abs(dy) * wrongWay });
      }
    }
    candidates.sort((a, b) => a.cost - b.cost);
    const fits = (candidate: Rect) =>
      !obstacles.some((other) => clash(candidate, other)) && !placed.some((other) => clash(candidate, other));
    const choice =
      candidates.find((candidate) => inside({ ...label, ...candidate }, area) && fits({ ...label, ...candidate })) ??
      candidates.find((candidate) => fits({ ...label, ...candidate })) ??
      label;
    placed.push({ ...label, x: choice.x, y: choice.y });
    return { x: choice.x, y: choice.y };
  });
}
