import { describe, expect, it } from 'vitest';
import type { VersionKind, VersionRecord } from '../storage/map-store.js';
import { versionsToThin } from './version-thinning.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 10, 27, 12);

const version = (id: string, ageMs: number, kind: VersionKind = 'auto'): VersionRecord => ({
  id,
  mapId: 'm',
  kind,
  name: kind === 'named' ? id : null,
  createdAt: now - ageMs,
  createdBy: null,
  bytes: 1,
});

describe('versionsToThin', () => {
  it('keeps every automatic version of the last day, one a day for a month, then one a week, and every named one', () => {
    const hourly = Array.from({ length: 24 * 60 }, (_, hour) => version(`h${hour}`, hour * HOUR + 1));
    const named = [version('named-old', 200 * DAY, 'named'), version('named-new', 2 * HOUR, 'named')];
    const thin = new Set(versionsToThin([...hourly, ...named], now));
    const kept = hourly.filter((v) => !thin.has(v.id));
    // The last day whole.
    expect(kept.filter((v) => now - v.createdAt < DAY)).toHaveLength(24);
    // One per UTC day from a day to 30 days old.
    const daily = kept.filter((v) => now - v.createdAt >= DAY && now - v.createdAt < 30 * DAY);
    expect(new Set(daily.map((v) => Math.floor(v.createdAt / DAY))).size).toBe(daily.length);
    expect(daily.length).toBeGreaterThanOrEqual(29);
    expect(daily.length).toBeLessThanOrEqual(30);
    // One per week after that.
    const weekly = kept.filter((v) => now - v.createdAt >= 30 * DAY);
    expect(new Set(weekly.map((v) => Math.floor(v.createdAt / (7 * DAY)))).size).toBe(weekly.length);
    expect(weekly.length).toBeLessThanOrEqual(6);
    expect(thin.has('named-old')).toBe(false);
    expect(thin.has('named-new')).toBe(false);
    // Each kept one is the newest of its bucket, so thinning again drops nothing more.
    expect(versionsToThin([...kept, ...named], now)).toEqual([]);
  });

  it('thins the versions taken before a restore or an import like automatic ones', () => {
    const thin = versionsToThin([version('a', 3 * DAY + HOUR, 'before-restore'), version('b', 3 * DAY + 2 * HOUR, 'before-import')], now);
    expect(thin).toEqual(['b']);
  });
});
