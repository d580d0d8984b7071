import type { ManagedLink } from './links-api';

/** When a link was made, last used and stops working, in the few words the share panel has room for. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const shortDate = new Intl.DateTimeFormat('en', { day: 'numeric', month: 'short', year: 'numeric' });
const fullDate = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "just now", "5 minutes ago", "in 7 days", "yesterday"; past about a month, "on 3 Mar 2027". */
export function whenFrom(at: number, now: number): string {
  const diff = at - now;
  const size = Math.abs(diff);
  if (size < 45_000) return 'just now';
  if (size < 45 * MINUTE) return relative.format(Math.round(diff / MINUTE), 'minute');
  if (size < 22 * HOUR) return relative.format(Math.round(diff / HOUR), 'hour');
  if (size < 26 * DAY) return relative.format(Math.round(diff / DAY), 'day');
  return `on ${shortDate.format(at)}`;
}

/** The exact time, for a tooltip. */
export function exactTime(at: number): string {
  return fullDate.format(at);
}

export interface LinkFact {
  readonly text: string;
  /** The exact time behind a relative one. */
  readonly title?: string;
}

/** "Created 3 days ago · Expires in 7 days · Last used just now", one fact each. */
export function linkFacts(link: ManagedLink, now: number): LinkFact[] {
  const at = (text: string, time: number): LinkFact => ({ text: `${text} ${whenFrom(time, now)}`, title: exactTime(time) });
  const facts: LinkFact[] = [];
  if (link.revokedAt !== null) facts.push(at('Revoked', link.revokedAt));
  facts.push(link.original || link.createdAt <= 0 ? { text: 'Original link' } : at('Created', link.createdAt));
  if (link.revokedAt === null) {
    if (link.expiresAt === null) facts.push({ text: 'No expiry' });
    else facts.push(at(link.expiresAt <= now ? 'Expired' : 'Expires', link.expiresAt));
  }
  facts.push(link.lastUsedAt === null ? { text: 'Never used' } : at('Last used', link.lastUsedAt));
  return facts;
}

export function isExpired(link: ManagedLink, now: number): boolean {
  return link.expiresAt !== null && link.expiresAt <= now;
}

/** What a new link's expiry can be set to in the form. */
export type ExpiryChoice = 'never' | '1d' | '7d' | '30d' | 'date';

export const EXPIRY_CHOICES: readonly { readonly value: ExpiryChoice; readonly label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: '1d', label: 'In 1 day' },
  { value: '7d', label: 'In 7 days' },
  { value: '30d', label: 'In 30 days' },
  { value: 'date', label: 'On a date…' },
];

const DAYS: Readonly<Record<Exclude<ExpiryChoice, 'never' | 'date'>, number>> = { '1d': 1, '7d': 7, '30d': 30 };

/**
 * The expiry to ask the server for (ms since the epoch, or null for none). A date means the end
 * of that day where the owner is: a link "until 12 March" still works all of 12 March.
 */
export function expiryFrom(
  choice: ExpiryChoice,
  date: string,
  now: number,
): { ok: true; expiresAt: number | null } | { ok: false; error: string } {
  if (choice === 'never') return { ok: true, expiresAt: null };
  if (choice !== 'date') return { ok: true, expiresAt: now + DAYS[choice] * DAY };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return { ok: false, error: 'Pick the day the link stops working.' };
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 999).getTime();
  if (!Number.isFinite(end) || end <= now) return { ok: false, error: 'Pick today or a later day.' };
  return { ok: true, expiresAt: end };
}

/** A date input's value (`YYYY-MM-DD`) for the day `at` falls on, where the owner is. */
export function dateInputValue(at: number): string {
  const day = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}`;
}
