import { describe, expect, it } from 'vitest';
import { orderForPlacement } from './placement.js';

const siblings = [
  { id: 'first', order: 'a0' },
  { id: 'tiedA', order: 'a1' },
  { id: 'tiedB', order: 'a1' },
  { id: 'last', order: 'a2' },
];

describe('orderForPlacement', () => {
  it('places at the end by default and with before: null', () => {
    for (const placement of [{}, { before: null }]) {
      const order = orderForPlacement(siblings, placement, 'test');
      expect(order > 'a2').toBe(true);
    }
  });

  it('places at the start with after: null', () => {
    expect(orderForPlacement(siblings, { after: null }, 'test') < 'a0').toBe(true);
  });

  it('places directly after or before an anchor', () => {
    const afterFirst = orderForPlacement(siblings, { after: 'first' }, 'test');
    expect(afterFirst > 'a0' && afterFirst < 'a1').toBe(true);
    const beforeLast = orderForPlacement(siblings, { before: 'last' }, 'test');
    expect(beforeLast > 'a1' && beforeLast < 'a2').toBe(true);
  });

  it('skips neighbours tied with the anchor instead of failing', () => {
    const afterTied = orderForPlacement(siblings, { after: 'tiedA' }, 'test');
    expect(afterTied > 'a1' && afterTied < 'a2').toBe(true);
    const beforeTied = orderForPlacement(siblings, { before: 'tiedB' }, 'test');
    expect(beforeTied > 'a0' && beforeTied < 'a1').toBe(true);
  });

  it('works in an empty list', () => {
    expect(orderForPlacement([], {}, 'test')).toBe('a0');
    expect(orderForPlacement([], { after: null }, 'test')).toBe('a0');
  });

  it('rejects an unknown anchor and two anchors', () => {
    expect(() => orderForPlacement(siblings, { after: 'nope' }, 'moveCard')).toThrow('moveCard: unknown anchor "nope"');
    expect(() => orderForPlacement(siblings, { after: 'first', before: 'last' }, 'x')).toThrow(/either "after" or "before"/);
  });
});
