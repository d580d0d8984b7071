import { describe, expect, it } from 'vitest';
import { formatCountdown, msUntilNextSecond, spokenCountdown } from './countdown';

describe('formatCountdown', () => {
  it('shows minutes and seconds left, rounding a started second up', () => {
    expect(formatCountdown(5 * 60_000)).toBe('5:00');
    expect(formatCountdown(5 * 60_000 - 1)).toBe('5:00');
    expect(formatCountdown(4 * 60_000 + 59_000)).toBe('4:59');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(90 * 60_000)).toBe('90:00');
  });

  it('reads 0:00 at the end, then counts the time over', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-999)).toBe('0:00');
    expect(formatCountdown(-1000)).toBe('+0:01 over');
    expect(formatCountdown(-80_000)).toBe('+1:20 over');
    expect(formatCountdown(-80_999)).toBe('+1:20 over');
  });
});

describe('msUntilNextSecond', () => {
  it('lands on the moment the figures change', () => {
    for (const remaining of [300_000, 4_500, 4_200, 1, 0, -1, -1_200, -1_500, -80_000]) {
      const wait = msUntilNextSecond(remaining);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1000);
      expect(formatCountdown(remaining - wait + 1), `just before, from ${remaining}`).toBe(formatCountdown(remaining));
      expect(formatCountdown(remaining - wait), `at the change, from ${remaining}`).not.toBe(formatCountdown(remaining));
    }
  });
});

describe('spokenCountdown', () => {
  it('says the time in words', () => {
    expect(spokenCountdown(4 * 60_000 + 59_000)).toBe('4 minutes 59 seconds left');
    expect(spokenCountdown(60_000)).toBe('1 minute left');
    expect(spokenCountdown(1_000)).toBe('1 second left');
    expect(spokenCountdown(0)).toBe('time is up');
    expect(spokenCountdown(-80_000)).toBe('1 minute 20 seconds over');
  });
});
