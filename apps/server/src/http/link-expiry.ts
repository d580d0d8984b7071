import { HttpError } from './http-error.js';

const MAX_EXPIRY_MS = 10 * 365 * 24 * 3600 * 1000;

/** An expiry from the request: in the future, within ten years; null for none. */
export function linkExpiry(value: number | string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  const at = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(at)) throw new HttpError(400, 'expiresAt must be a time in ms since the epoch or an ISO 8601 date');
  const now = Date.now();
  if (at <= now) throw new HttpError(400, 'expiresAt must be in the future');
  if (at > now + MAX_EXPIRY_MS) throw new HttpError(400, 'expiresAt must be within ten years');
  return at;
}
