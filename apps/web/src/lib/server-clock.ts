import { apiRequest, type Fetch } from './api-request';

/**
 * The server's clock as this browser can know it. Workshop timers end at a server time; a
 * laptop's clock may be minutes off, so every countdown is read on the server's clock, corrected
 * by an offset measured around one request.
 */

/**
 * How far the server's clock is ahead of this one: the server read its clock somewhere between
 * sending (`sentAt`) and receiving (`receivedAt`); the middle is the best guess without more.
 */
export function clockOffset(sentAt: number, serverNow: number, receivedAt: number): number {
  return Math.round(serverNow - (sentAt + receivedAt) / 2);
}

/** Asks `GET /api/time`; the offset to add to `now()` for server time, or null when it cannot tell. */
export async function measureClockOffset(token: string, now: () => number = Date.now, send?: Fetch): Promise<number | null> {
  const sentAt = now();
  const answer = await apiRequest('/api/time', { token }, send);
  const receivedAt = now();
  if (!answer.ok) return null;
  const value = answer.value;
  const serverNow = typeof value === 'object' && value !== null && 'now' in value ? value.now : undefined;
  return typeof serverNow === 'number' && Number.isFinite(serverNow) ? clockOffset(sentAt, serverNow, receivedAt) : null;
}
