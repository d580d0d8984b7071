/**
 * Telling a dead socket from a quiet one, for a browser that does not know its network is gone
 * (a half-open socket: Wi-Fi that still shows full bars, a laptop waking up elsewhere).
 *
 * Silence alone says little: the server sends an idle connection a keepalive only once it has
 * sent it nothing for KEEPALIVE_MS (15 s by default), on a sweep every KEEPALIVE_MS / 2, so a
 * healthy socket on a quiet map can be silent for up to 1.5 × KEEPALIVE_MS (22.5 s), and the
 * server's setting is not the page's to know. Waiting that out (the stock provider waits 30 s)
 * leaves people believing they are shared when they are not. So the page asks instead: after
 * PROBE_AFTER_SILENCE_MS of silence it sends one query-awareness message, which the server
 * answers at once with the map's presence (this page's own entry at least); a socket that has
 * not answered ANSWER_WAIT_MS later is dead.
 */

/** Quieter than this is worth a question; a map nobody touches is this quiet between keepalives. */
export const PROBE_AFTER_SILENCE_MS = 5_000;
/** A round trip on poor venue Wi-Fi takes a second or two; five is more than any live link needs. */
export const ANSWER_WAIT_MS = 5_000;
/** How often the page looks. A hidden tab's timers run far less often; the verdicts allow for that. */
export const SILENCE_CHECK_MS = 1_000;

export type SilenceVerdict = 'fine' | 'probe' | 'dead';

/** One socket's silence, judged at each check. A new socket starts afresh (it was heard on opening). */
export class SocketSilence {
  #probedAt: number | null = null;

  /**
   * What to do now about a socket last heard from at `lastHeardAt`. Before the socket's first
   * sync nothing is judged: the map itself may be arriving as one large message, and the stock
   * provider's own watchdog covers that stretch.
   */
  check(now: number, lastHeardAt: number, synced: boolean): SilenceVerdict {
    if (!synced) return 'fine';
    const askedSinceHeard = this.#probedAt !== null && this.#probedAt >= lastHeardAt;
    if (askedSinceHeard) return now - this.#probedAt! >= ANSWER_WAIT_MS ? 'dead' : 'fine';
    if (now - lastHeardAt < PROBE_AFTER_SILENCE_MS) return 'fine';
    // Asked, never condemned on silence alone: a throttled tab may look only once a minute.
    this.#probedAt = now;
    return 'probe';
  }
}
