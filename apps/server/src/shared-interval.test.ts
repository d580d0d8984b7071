import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedInterval, type Ticking } from './shared-interval.js';

const member = (): Ticking & { ticks: number[] } => {
  const ticks: number[] = [];
  return { ticks, tick: (now) => ticks.push(now) };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('SharedInterval', () => {
  it('runs one timer only while it has members', () => {
    vi.useFakeTimers();
    const interval = new SharedInterval(100);
    const a = member();
    interval.add(a);
    vi.advanceTimersByTime(250);
    expect(a.ticks).toHaveLength(2);
    interval.delete(a);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('spreads its members over slices, visiting each once per period', () => {
    vi.useFakeTimers();
    const interval = new SharedInterval(100, 25);
    const members = Array.from({ length: 8 }, member);
    for (const m of members) interval.add(m);
    vi.advanceTimersByTime(25);
    // One slot of four: two of the eight members.
    expect(members.filter((m) => m.ticks.length > 0)).toHaveLength(2);
    vi.advanceTimersByTime(75);
    expect(members.map((m) => m.ticks.length)).toEqual(members.map(() => 1));
    vi.advanceTimersByTime(300);
    expect(members.map((m) => m.ticks.length)).toEqual(members.map(() => 4));
    interval.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
