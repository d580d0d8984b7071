import type { VersionRecord } from '../storage/map-store.js';

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
/** Automatic versions younger than this are all kept. */
const KEEP_ALL_FOR = DAY;
/** Then one a day up to this age; older, one a week. */
const DAILY_FOR = 30 * DAY;

/**
 * The automatic versions to drop as they age: every one from the last day is kept, then the
 * newest of each day for a month, then the newest of each week. Named versions are never
 * thinned (they go only when deleted). Days and weeks are counted in UTC from the epoch, so a
 * version kept today is kept tomorrow too.
 */
export function versionsToThin(versions: readonly VersionRecord[], now: number): string[] {
  const keptBuckets = new Set<string>();
  const thin: string[] = [];
  const newestFirst = [...versions].sort((a, b) => b.createdAt - a.createdAt);
  for (const version of newestFirst) {
    if (version.kind === 'named') continue;
    const age = now - version.createdAt;
    if (age < KEEP_ALL_FOR) continue;
    const bucket = age < DAILY_FOR ? `d${Math.floor(version.createdAt / DAY)}` : `w${Math.floor(version.createdAt / WEEK)}`;
    if (keptBuckets.has(bucket)) thin.push(version.id);
    else keptBuckets.add(bucket);
  }
  return thin;
}
