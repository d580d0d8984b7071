import { exactTime, whenFrom } from './link-times';
import type { MapVersion, VersionKind } from './versions-api';

/** How a version reads in the history panel and the preview's header. */

export const KIND_LABELS: Readonly<Record<VersionKind, string>> = {
  auto: 'Automatic',
  named: 'Named',
  'before-restore': 'Before a restore',
  'before-import': 'Before an import',
};

/** The version's name, or what kind of version it is. */
export function versionTitle(version: MapVersion): string {
  return version.name ?? `${KIND_LABELS[version.kind]} version`;
}

/** "3 hours ago by Alice (editor link)", and the exact time for a tooltip. */
export function versionWhen(version: MapVersion, now: number): { text: string; title: string } {
  const when = whenFrom(version.createdAt, now);
  return { text: version.createdBy ? `${when} by ${version.createdBy}` : when, title: exactTime(version.createdAt) };
}
