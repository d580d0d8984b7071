/**
 * Keeping a caret in place while someone else edits the same text. A Y.Text event's delta
 * says what changed (retain n, insert s, delete n) from the start of the text; a position
 * shifts right by what was inserted before it and left by what was deleted before it.
 *
 * An insert exactly at the caret leaves the caret in front of it. When two people type at
 * the same spot, each keeps typing into their own run of letters instead of the two runs
 * interleaving letter by letter.
 */

export interface TextDeltaOp {
  readonly insert?: unknown;
  readonly retain?: number;
  readonly delete?: number;
}

/** Embeds (non-string inserts) count as one position, as they do in Y.Text. */
function insertLength(insert: unknown): number {
  return typeof insert === 'string' ? insert.length : 1;
}

export function shiftPosition(position: number, delta: readonly TextDeltaOp[]): number {
  let index = 0; // where the delta's cursor is, in the new text
  let shifted = position; // the position, in the new text, as far as the delta has been read
  for (const op of delta) {
    if (op.retain !== undefined) {
      index += op.retain;
    } else if (op.insert !== undefined) {
      const length = insertLength(op.insert);
      if (index < shifted) shifted += length;
      index += length;
    } else if (op.delete !== undefined) {
      if (index < shifted) shifted -= Math.min(op.delete, shifted - index);
    }
    if (index > shifted) break;
  }
  return shifted;
}

export interface TextSelection {
  readonly start: number;
  readonly end: number;
}

export function shiftSelection(selection: TextSelection, delta: readonly TextDeltaOp[]): TextSelection {
  return { start: shiftPosition(selection.start, delta), end: shiftPosition(selection.end, delta) };
}
