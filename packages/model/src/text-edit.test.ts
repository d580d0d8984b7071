import { describe, expect, it } from 'vitest';
import { applySplice, spliceAtCaret } from './text-edit.js';

describe('spliceAtCaret', () => {
  it('anchors a typed letter at the caret even among repeated letters', () => {
    expect(spliceAtCaret('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(spliceAtCaret('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(spliceAtCaret('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
  });

  it('describes deletions, replacements and pastes', () => {
    expect(spliceAtCaret('hello', 'helo', 3)).toEqual({ index: 3, remove: 1, insert: '' });
    expect(spliceAtCaret('hello world', 'hello there', 11)).toEqual({
      index: 6,
      remove: 5,
      insert: 'there',
    });
    expect(spliceAtCaret('', 'pasted text', 11)).toEqual({ index: 0, remove: 0, insert: 'pasted text' });
    expect(spliceAtCaret('same', 'same', 2)).toBeNull();
  });

  it('never cuts a surrogate pair', () => {
    const splice = spliceAtCaret('a😀b', 'a😁b', 3);
    expect(splice).not.toBeNull();
    expect(splice!.insert).toBe('😁');
    expect(applySplice('a😀b', splice!)).toBe('a😁b');
  });

  it('always reproduces the new text', () => {
    const cases: [string, string, number][] = [
      ['abcabc', 'abcXabc', 4],
      ['abcabc', 'abXcabc', 3],
      ['xxxx', 'xx', 1],
      ['note', '', 0],
      ['one two', 'one  two', 4],
      ['one two', 'one  two', 5],
    ];
    for (const [previous, next, caret] of cases) {
      expect(applySplice(previous, spliceAtCaret(previous, next, caret)!)).toBe(next);
    }
  });
});
