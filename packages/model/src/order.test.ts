import { describe, expect, it } from 'vitest';
import { compareByOrder, isValidOrderKey, orderBetween, orderKeysBetween } from './order.js';
import { seededRandom } from './seeded-random.js';

function expectStrictlyAscending(keys: readonly string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const previous = keys[i - 1] as string;
    const current = keys[i] as string;
    if (!(previous < current)) throw new Error(`keys out of order at ${i}: ${previous} >= ${current}`);
  }
}

function expectBetween(key: string, a: string | null, b: string | null): void {
  expect(isValidOrderKey(key)).toBe(true);
  if (a !== null) expect(a < key).toBe(true);
  if (b !== null) expect(key < b).toBe(true);
}

describe('orderBetween', () => {
  it('starts an empty list with a short key', () => {
    expect(orderBetween(null, null)).toBe('a0');
  });

  it('steps the integer part when appending or prepending', () => {
    expect(orderBetween('a0', null)).toBe('a1');
    expect(orderBetween(null, 'a0')).toBe('Zz');
    expect(orderBetween('az', null)).toBe('b00');
    expect(orderBetween(null, 'Z0')).toBe('Yzz');
    expect(orderBetween('Zz', null)).toBe('a0');
    // a key with a fraction: the bare integer is already before it
    expect(orderBetween(null, 'a0V')).toBe('a0');
  });

  it('uses the fraction only when integers are adjacent', () => {
    expect(orderBetween('a0', 'a2')).toBe('a1');
    expectBetween(orderBetween('a0', 'a1'), 'a0', 'a1');
    expectBetween(orderBetween('a0V', 'a1'), 'a0V', 'a1');
    expectBetween(orderBetween('a0', 'a0V'), 'a0', 'a0V');
    expectBetween(orderBetween('a01', 'a02'), 'a01', 'a02');
    expectBetween(orderBetween('a0zz', 'a1'), 'a0zz', 'a1');
    expectBetween(orderBetween('a1', 'a10V'), 'a1', 'a10V');
  });

  it('rejects malformed keys and bounds in the wrong order', () => {
    expect(() => orderBetween('a1', 'a1')).toThrow(/not before/);
    expect(() => orderBetween('a2', 'a1')).toThrow(/not before/);
    expect(() => orderBetween('a10', null)).toThrow(/invalid order key/); // trailing zero
    expect(() => orderBetween('', null)).toThrow(/invalid order key/);
    expect(() => orderBetween('b1', null)).toThrow(/invalid order key/); // too short for 'b'
    expect(() => orderBetween(null, 'a1!')).toThrow(/invalid order key/);
  });
});

describe('isValidOrderKey', () => {
  it('accepts what orderBetween produces and rejects other strings', () => {
    for (const key of ['a0', 'Zz', 'b00', 'a0V', 'Yzz1']) expect(isValidOrderKey(key)).toBe(true);
    for (const key of ['', 'a', 'a00', '0a', 'a0 ', 'b0', 42, null]) {
      expect(isValidOrderKey(key)).toBe(false);
    }
  });
});

describe('orderBetween under many inserts', () => {
  it('keeps keys short when appending 5,000 times', () => {
    const keys: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 5000; i++) {
      last = orderBetween(last, null);
      keys.push(last);
    }
    expectStrictlyAscending(keys);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(4);
  });

  it('keeps keys short when prepending 5,000 times', () => {
    const keys: string[] = [];
    let first: string | null = null;
    for (let i = 0; i < 5000; i++) {
      first = orderBetween(null, first);
      keys.unshift(first);
    }
    expectStrictlyAscending(keys);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(4);
  });

  it('keeps a list sorted through thousands of random inserts (seeded)', () => {
    for (const seed of [1, 2, 3, 42, 2024]) {
      const random = seededRandom(seed);
      const keys: string[] = [];
      for (let i = 0; i < 3000; i++) {
        const index = Math.floor(random() * (keys.length + 1));
        const key = orderBetween(keys[index - 1] ?? null, keys[index] ?? null);
        expectBetween(key, keys[index - 1] ?? null, keys[index] ?? null);
        keys.splice(index, 0, key);
      }
      expectStrictlyAscending(keys);
      expect(new Set(keys).size).toBe(keys.length);
      // random positions deepen the fraction only logarithmically (6-7 chars measured)
      expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(9);
    }
  });

  it('grows by about one character per five inserts at one fixed spot (the worst case)', () => {
    let upper = 'a1';
    for (let i = 0; i < 600; i++) {
      const key = orderBetween('a0', upper);
      expectBetween(key, 'a0', upper);
      upper = key;
    }
    // halving a base-62 gap gains ~5 bisections per character (122 chars measured)
    expect(upper.length).toBeLessThanOrEqual(130);
  });

  it('gives the same key to the same neighbours, which is why readers sort by (order, id)', () => {
    expect(orderBetween('a0', 'a1')).toBe(orderBetween('a0', 'a1'));
    const tied = [
      { id: 'b', order: 'a0V' },
      { id: 'a', order: 'a0V' },
      { id: 'c', order: 'a0' },
    ];
    expect([...tied].sort(compareByOrder).map((record) => record.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('orderKeysBetween', () => {
  it('returns n ascending keys inside the bounds', () => {
    const cases: [string | null, string | null][] = [
      [null, null],
      ['a0', null],
      [null, 'a0'],
      ['a0', 'a1'],
      ['a0', 'c000'],
    ];
    for (const [a, b] of cases) {
      for (const n of [0, 1, 2, 7, 50]) {
        const keys = orderKeysBetween(a, b, n);
        expect(keys).toHaveLength(n);
        expectStrictlyAscending(keys);
        for (const key of keys) expectBetween(key, a, b);
      }
    }
  });

  it('spreads keys so a block between close neighbours stays short', () => {
    const keys = orderKeysBetween('a0', 'a1', 100);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(5);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => orderKeysBetween(null, null, -1)).toThrow(/bad count/);
    expect(() => orderKeysBetween(null, null, 1.5)).toThrow(/bad count/);
  });
});
