/**
 * The impact/effort matrix: judged impact (1–5) up the side, judged effort (1–5) along the
 * bottom, so the cards worth doing first sit top left. Cards judged alike share a cell; the
 * cell shows the best-ranked few as dots and says how many more there are.
 */

export const JUDGEMENTS = [1, 2, 3, 4, 5] as const;

export type Quadrant = 'quickWins' | 'bigBets' | 'fillIns' | 'moneyPits';

export const QUADRANT_LABELS: Readonly<Record<Quadrant, string>> = Object.freeze({
  quickWins: 'Quick wins',
  bigBets: 'Big bets',
  fillIns: 'Fill-ins',
  moneyPits: 'Money pits',
});

/** High impact and low effort is a quick win, and so on; a 3 on either scale sits on the line between two, so null. */
export function quadrantOf(impact: number, effort: number): Quadrant | null {
  if (impact === 3 || effort === 3) return null;
  if (impact > 3) return effort < 3 ? 'quickWins' : 'bigBets';
  return effort < 3 ? 'fillIns' : 'moneyPits';
}

export interface MatrixEntry {
  readonly cardId: string;
  readonly rank: number;
  /** 1–5, or 0 while not judged. */
  readonly impact: number;
  readonly effort: number;
}

export interface MatrixDot {
  readonly cardId: string;
  readonly rank: number;
  readonly impact: number;
  readonly effort: number;
  /** Centre, in the chart's units from the plot's top left corner. */
  readonly x: number;
  readonly y: number;
}

/** "+N": the cards a full cell does not draw. */
export interface MatrixOverflow {
  readonly impact: number;
  readonly effort: number;
  readonly hidden: number;
  readonly x: number;
  readonly y: number;
}

export interface MatrixLayout {
  readonly dots: readonly MatrixDot[];
  readonly overflow: readonly MatrixOverflow[];
  /** The cards missing an impact or an effort, in rank order: they have no place on the chart. */
  readonly unscored: readonly string[];
}

export interface MatrixGeometry {
  /** The side of one cell. */
  readonly cell: number;
  /** Dots per row and rows of dots in a cell. */
  readonly across: number;
  readonly down: number;
}

/**
 * Where each judged card's dot goes, in the order given (best first): a cell fills row by row,
 * centred, and when more cards share it than it has room for, its last place says how many are
 * not drawn.
 */
export function matrixLayout(entries: readonly MatrixEntry[], geometry: MatrixGeometry): MatrixLayout {
  const { cell, across, down } = geometry;
  const room = across * down;
  const byCell = new Map<string, MatrixEntry[]>();
  const unscored: string[] = [];
  for (const entry of entries) {
    if (!isJudged(entry.impact) || !isJudged(entry.effort)) {
      unscored.push(entry.cardId);
      continue;
    }
    const key = `${entry.impact}:${entry.effort}`;
    const members = byCell.get(key);
    if (members) members.push(entry);
    else byCell.set(key, [entry]);
  }
  const step = { x: cell / across, y: cell / down };
  const dots: MatrixDot[] = [];
  const overflow: MatrixOverflow[] = [];
  for (const members of byCell.values()) {
    const { impact, effort } = members[0]!;
    const places = Math.min(members.length, room);
    const rows = Math.ceil(places / across);
    // A cell's dots sit centred in it, row by row: one card sits in the middle of its cell.
    const place = (slot: number) => {
      const row = Math.floor(slot / across);
      const inRow = Math.min(across, places - row * across);
      return {
        x: (effort - 0.5) * cell + ((slot % across) - (inRow - 1) / 2) * step.x,
        y: (5.5 - impact) * cell + (row - (rows - 1) / 2) * step.y,
      };
    };
    const drawn = members.length > room ? room - 1 : members.length;
    members.slice(0, drawn).forEach((entry, slot) => dots.push({ cardId: entry.cardId, rank: entry.rank, impact, effort, ...place(slot) }));
    if (drawn < members.length) overflow.push({ impact, effort, hidden: members.length - drawn, ...place(room - 1) });
  }
  return { dots, overflow, unscored };
}

const isJudged = (value: number) => Number.isInteger(value) && value >= 1 && value <= 5;
