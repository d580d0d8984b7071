import { describe, expect, it } from 'vitest';
import { isValidId, newId } from './ids.js';

describe('newId', () => {
  it('makes 21-character URL-safe ids without ":"', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/);
      expect(isValidId(id)).toBe(true);
      expect(encodeURIComponent(id)).toBe(id);
    }
  });

  it('does not repeat over many calls', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId()));
    expect(ids.size).toBe(20_000);
  });

  it('uses the whole alphabet (the random bytes are actually used)', () => {
    const seen = new Set([...Array.from({ length: 500 }, () => newId()).join('')]);
    expect(seen.size).toBe(64);
  });
});

describe('isValidId', () => {
  it('rejects ids that would break keys or URLs', () => {
    for (const bad of ['', 'a:b', 'a b', 'a/b', 'x'.repeat(65), 7, null, undefined]) {
      expect(isValidId(bad)).toBe(false);
    }
    expect(isValidId('stage_1-A')).toBe(true);
  });
});
