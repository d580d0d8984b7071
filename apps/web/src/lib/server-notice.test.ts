import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './reconnect-delay';
import { serverNoticeIn } from './server-notice';

describe('serverNoticeIn', () => {
  it('finds the server’s read-only notice among people’s presence', () => {
    const states = new Map<number, unknown>([
      [1, { user: { name: 'Ana' } }],
      [2, { server: { readOnly: true, reason: 'disk full' } }],
    ]);
    expect(serverNoticeIn(states)).toBe('disk full');
  });

  it('ignores malformed or cleared entries', () => {
    const states = new Map<number, unknown>([
      [1, null],
      [2, 'x'],
      [3, { server: 'yes' }],
      [4, { server: { readOnly: 'true' } }],
    ]);
    expect(serverNoticeIn(states)).toBeNull();
    expect(serverNoticeIn(new Map([[5, { server: { readOnly: true } }]]))).toMatch(/not saving/);
  });
});

describe('reconnectDelay', () => {
  it('waits a random time up to a cap that doubles per attempt', () => {
    expect(reconnectDelay(0, () => 1)).toBe(250);
    expect(reconnectDelay(3, () => 1)).toBe(2000);
    expect(reconnectDelay(20, () => 1)).toBe(10_000);
    expect(reconnectDelay(3, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(4)));
    expect(spread.size).toBeGreaterThan(10);
  });
});
