import { describe, expect, it } from 'vitest';
import { dateInputValue, expiryFrom, linkFacts, whenFrom } from './link-times';
import type { ManagedLink } from './links-api';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const now = new Date(2027, 2, 10, 12, 0).getTime();

const link = (fields: Partial<ManagedLink> = {}): ManagedLink => ({
  id: 'l',
  role: 'viewer',
  label: '',
  original: false,
  personal: false,
  createdAt: now - 3 * DAY,
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  url: 'http://x/maps/m#token=t',
  ...fields,
});

describe('whenFrom', () => {
  it('says recent and near times in words', () => {
    expect(whenFrom(now - 10_000, now)).toBe('just now');
    expect(whenFrom(now - 5 * MINUTE, now)).toBe('5 minutes ago');
    expect(whenFrom(now + 7 * DAY, now)).toBe('in 7 days');
    expect(whenFrom(now - DAY, now)).toBe('yesterday');
  });

  it('gives a date for times further off', () => {
    expect(whenFrom(new Date(2027, 5, 3, 9).getTime(), now)).toBe('on Jun 3, 2027');
  });
});

describe('linkFacts', () => {
  const texts = (l: ManagedLink) => linkFacts(l, now).map((fact) => fact.text);

  it('says when a link was made, when it stops and when it was last used', () => {
    expect(texts(link())).toEqual(['Created 3 days ago', 'No expiry', 'Never used']);
    expect(texts(link({ expiresAt: now + 7 * DAY, lastUsedAt: now - 5 * MINUTE }))).toEqual([
      'Created 3 days ago',
      'Expires in 7 days',
      'Last used 5 minutes ago',
    ]);
    expect(texts(link({ expiresAt: now - 2 * DAY }))).toEqual(['Created 3 days ago', 'Expired 2 days ago', 'Never used']);
  });

  it('marks original links, whose making was never recorded, and revoked ones', () => {
    expect(texts(link({ original: true, createdAt: 0 }))).toEqual(['Original link', 'No expiry', 'Never used']);
    expect(texts(link({ revokedAt: now - 5 * MINUTE, expiresAt: now + DAY }))).toEqual([
      'Revoked 5 minutes ago',
      'Created 3 days ago',
      'Never used',
    ]);
  });
});

describe('expiryFrom', () => {
  it('counts days from now, or none', () => {
    expect(expiryFrom('never', '', now)).toEqual({ ok: true, expiresAt: null });
    expect(expiryFrom('1d', '', now)).toEqual({ ok: true, expiresAt: now + DAY });
    expect(expiryFrom('30d', '', now)).toEqual({ ok: true, expiresAt: now + 30 * DAY });
  });

  it('lets a link work to the end of the chosen day', () => {
    expect(expiryFrom('date', '2027-03-12', now)).toEqual({ ok: true, expiresAt: new Date(2027, 2, 12, 23, 59, 59, 999).getTime() });
    expect(expiryFrom('date', dateInputValue(now), now).ok).toBe(true);
  });

  it('refuses a missing or past day', () => {
    expect(expiryFrom('date', '', now)).toEqual({ ok: false, error: 'Pick the day the link stops working.' });
    expect(expiryFrom('date', '2027-03-09', now)).toEqual({ ok: false, error: 'Pick today or a later day.' });
  });
});
