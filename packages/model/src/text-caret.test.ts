import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { shiftPosition, shiftSelection, type TextDeltaOp } from './text-caret.js';

/** The delta a peer's edit produces on a Y.Text that reads `initial`. */
function deltaOf(initial: string, edit: (text: Y.Text) => void): TextDeltaOp[] {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, initial);
  let delta: TextDeltaOp[] = [];
  text.observe((event) => {
    delta = event.delta as TextDeltaOp[];
  });
  edit(text);
  return delta;
}

describe('shiftPosition', () => {
  it('moves right past text inserted before it and stays put for text after it', () => {
    const delta = deltaOf('hello world', (t) => t.insert(0, '>> '));
    expect(shiftPosition(5, delta)).toBe(8);
    expect(shiftPosition(0, delta)).toBe(0); // insert exactly at the caret: caret stays in front
    const after = deltaOf('hello world', (t) => t.insert(11, '!'));
    expect(shiftPosition(5, after)).toBe(5);
  });

  it('moves left past deleted text and clamps into a deleted range', () => {
    const delta = deltaOf('hello world', (t) => t.delete(0, 6));
    expect(shiftPosition(11, delta)).toBe(5);
    expect(shiftPosition(3, delta)).toBe(0);
    const middle = deltaOf('hello world', (t) => t.delete(2, 3));
    expect(shiftPosition(8, middle)).toBe(5);
    expect(shiftPosition(1, middle)).toBe(1);
  });

  it('follows a delta with several parts', () => {
    const delta = deltaOf('abcdef', (t) => {
      t.doc!.transact(() => {
        t.insert(1, 'XX');
        t.delete(5, 2); // deletes "de" (now at 5..6)
      });
    });
    // caret after "f" (6) -> +2 inserted, -2 deleted
    expect(shiftPosition(6, delta)).toBe(6);
    // caret after "c" (3) -> +2
    expect(shiftPosition(3, delta)).toBe(5);
  });

  it('keeps what two typists see consistent with the merged text', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'note');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    let caretB = 4; // B's caret at the end
    b.getText('t').observe((event) => {
      caretB = shiftPosition(caretB, event.delta as TextDeltaOp[]);
    });
    a.getText('t').insert(0, 'My ');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(b.getText('t').toString()).toBe('My note');
    expect(caretB).toBe(7);
  });
});

describe('shiftSelection', () => {
  it('shifts both ends', () => {
    const delta = deltaOf('hello world', (t) => t.insert(6, 'big '));
    expect(shiftSelection({ start: 2, end: 8 }, delta)).toEqual({ start: 2, end: 12 });
  });
});
