import { describe, expect, it } from 'vitest';
import { ANSWER_WAIT_MS, PROBE_AFTER_SILENCE_MS, SILENCE_CHECK_MS, SocketSilence } from './socket-silence';

/** Checks every SILENCE_CHECK_MS from `from` to `to` (exclusive) and lists the verdicts that were not 'fine'. */
function run(silence: SocketSilence, lastHeardAt: number, from: number, to: number): [number, string][] {
  const seen: [number, string][] = [];
  for (let now = from; now < to; now += SILENCE_CHECK_MS) {
    const verdict = silence.check(now, lastHeardAt, true);
    if (verdict !== 'fine') seen.push([now - lastHeardAt, verdict]);
  }
  return seen;
}

describe('SocketSilence', () => {
  it('asks once after a quiet spell and gives up on a socket that does not answer', () => {
    const silence = new SocketSilence();
    const verdicts = run(silence, 0, 0, 30_000);
    expect(verdicts.slice(0, 2)).toEqual([
      [PROBE_AFTER_SILENCE_MS, 'probe'],
      [PROBE_AFTER_SILENCE_MS + ANSWER_WAIT_MS, 'dead'],
    ]);
    // The caller closes the socket at the first 'dead'; until then each look says so again.
    expect(verdicts.slice(2).every(([, verdict]) => verdict === 'dead')).toBe(true);
  });

  it('notices a dead socket well within the 30 s the stock provider takes', () => {
    const silence = new SocketSilence();
    const deadAt = run(silence, 0, 0, 60_000).find(([, verdict]) => verdict === 'dead')?.[0];
    expect(deadAt).toBeLessThanOrEqual(PROBE_AFTER_SILENCE_MS + ANSWER_WAIT_MS + SILENCE_CHECK_MS);
    expect(deadAt).toBeLessThan(15_000);
  });

  it('keeps a quiet socket that answers, however long the map stays quiet', () => {
    const silence = new SocketSilence();
    let lastHeardAt = 0;
    const verdicts: string[] = [];
    // The server's keepalive comes every 22.5 s at worst; each probe is answered 300 ms later.
    for (let now = 0; now < 120_000; now += SILENCE_CHECK_MS) {
      if (now % 22_500 < SILENCE_CHECK_MS) lastHeardAt = now;
      const verdict = silence.check(now, lastHeardAt, true);
      if (verdict === 'probe') lastHeardAt = now + 300;
      verdicts.push(verdict);
    }
    expect(verdicts).toContain('probe');
    expect(verdicts).not.toContain('dead');
  });

  it('never condemns a socket on silence alone, when the tab looks only once a minute', () => {
    const silence = new SocketSilence();
    expect(silence.check(60_000, 0, true)).toBe('probe');
    // Answered: heard at 60.2 s.
    expect(silence.check(120_000, 60_200, true)).toBe('probe');
    // Not answered this time.
    expect(silence.check(180_000, 60_200, true)).toBe('dead');
  });

  it('asks afresh on a new socket', () => {
    const silence = new SocketSilence();
    expect(silence.check(PROBE_AFTER_SILENCE_MS, 0, true)).toBe('probe');
    // A new connection opened at 20 s.
    expect(silence.check(21_000, 20_000, true)).toBe('fine');
    expect(silence.check(20_000 + PROBE_AFTER_SILENCE_MS, 20_000, true)).toBe('probe');
  });

  it('judges nothing before the socket has synced: the map may be arriving as one large message', () => {
    const silence = new SocketSilence();
    expect(silence.check(25_000, 0, false)).toBe('fine');
    expect(silence.check(25_000, 0, true)).toBe('probe');
  });
});
