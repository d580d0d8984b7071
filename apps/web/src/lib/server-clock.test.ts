import { describe, expect, it, vi } from 'vitest';
import { clockOffset, measureClockOffset } from './server-clock';

describe('clockOffset', () => {
  it('takes the server to have read its clock halfway through the request', () => {
    expect(clockOffset(1_000, 61_050, 1_100)).toBe(60_000);
    expect(clockOffset(1_000, 1_050, 1_100)).toBe(0);
    expect(clockOffset(10_000, 5_100, 10_200)).toBe(-5_000);
  });
});

describe('measureClockOffset', () => {
  const clock = (...times: number[]) => {
    const queue = [...times];
    return () => queue.shift() ?? Number.NaN;
  };

  it('asks /api/time with the link and corrects by the round trip', async () => {
    const send = vi.fn<typeof fetch>(async () => new Response(JSON.stringify({ now: 90_200 }), { status: 200 }));
    expect(await measureClockOffset('tok', clock(10_000, 10_400), send)).toBe(80_000);
    expect(send.mock.calls[0]![0]).toBe('/api/time');
    expect(new Headers(send.mock.calls[0]![1]?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('says it cannot tell when the server is unreachable or answers nonsense', async () => {
    expect(await measureClockOffset('tok', clock(0, 1), async () => Promise.reject(new Error('offline')))).toBeNull();
    expect(
      await measureClockOffset('tok', clock(0, 1), async () => new Response(JSON.stringify({ now: 'soon' }), { status: 200 })),
    ).toBeNull();
    expect(
      await measureClockOffset('tok', clock(0, 1), async () => new Response(JSON.stringify({ error: 'no' }), { status: 500 })),
    ).toBeNull();
  });
});
