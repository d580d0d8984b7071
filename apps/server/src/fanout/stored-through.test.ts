import { describe, expect, it } from 'vitest';
import { StoredThrough } from './stored-through.js';

describe('StoredThrough', () => {
  it('moves only through numbers with none missing before them', () => {
    const mark = new StoredThrough(4);
    mark.note(7, 8);
    expect(mark.through).toBe(4);
    mark.note(5, 5);
    expect(mark.through).toBe(5);
    mark.note(6, 6);
    expect(mark.through).toBe(8);
  });

  it('ignores what it already passed', () => {
    const mark = new StoredThrough(10);
    mark.note(3, 10);
    expect(mark.through).toBe(10);
    mark.note(9, 12);
    expect(mark.through).toBe(12);
  });
});
