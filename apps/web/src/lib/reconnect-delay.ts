/**
 * Reconnect delays with "full jitter": a random wait up to a cap that doubles per failed
 * attempt, so a restarted server is not hit by every browser in the same millisecond.
 */
const RECONNECT_BASE_MS = 250;
export const RECONNECT_CAP_MS = 10_000;

export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt));
}
