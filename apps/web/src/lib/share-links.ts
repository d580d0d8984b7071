import { MAP_ROLES, type MapRole } from './map-role';

/**
 * The links a map's creator received, one per role. Entries stored before participant and
 * commenter links existed hold only editor and viewer (and no owner: theirs is the entry's
 * own link), so those three are optional.
 */
export interface ShareLinks {
  readonly owner?: string;
  readonly editor: string;
  readonly participant?: string;
  readonly commenter?: string;
  readonly viewer: string;
}

/** A link as the share lists show it. */
export interface ShownLink {
  /** Unique in its list; names the elements' ids. */
  readonly key: string;
  readonly label: string;
  readonly hint: string;
  readonly url: string;
}

export const ROLE_LABELS: Readonly<Record<MapRole, string>> = {
  owner: 'Owner',
  editor: 'Editor',
  participant: 'Participant',
  commenter: 'Commenter',
  viewer: 'Viewer',
};

/** One line each on what a link lets its holder do. */
export const ROLE_HINTS: Readonly<Record<MapRole, string>> = {
  owner: 'Everything. Keep it for yourself and whoever runs the map with you.',
  editor: 'Edit the whole map: title, stages, lanes, personas, emotions and cards.',
  participant: 'Add and edit cards, for a workshop; the map’s structure stays as it is.',
  commenter: 'Read the live map and comment on cards, stages and actions; nothing else.',
  viewer: 'Read-only: the live map, for stakeholders.',
};

/** A role's link as the share lists show it: "Participant link", and what it allows. */
export function shownRoleLink(role: MapRole, url: string, note = ''): ShownLink {
  return { key: role, label: `${ROLE_LABELS[role]} link`, hint: note ? `${ROLE_HINTS[role]} ${note}` : ROLE_HINTS[role], url };
}

/** Reads stored or received links, keeping whichever roles are there; null without editor and viewer. */
export function decodeShareLinks(value: unknown): ShareLinks | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { editor, viewer } = record;
  if (typeof editor !== 'string' || typeof viewer !== 'string') return null;
  const links: { -readonly [K in keyof ShareLinks]: ShareLinks[K] } = { editor, viewer };
  for (const role of ['owner', 'participant', 'commenter'] as const) {
    const link = record[role];
    if (typeof link === 'string') links[role] = link;
  }
  return links;
}

/** The links there are, strongest role first. */
export function linksByRole(links: ShareLinks): { role: MapRole; url: string }[] {
  return MAP_ROLES.flatMap((role) => {
    const url = links[role];
    return url === undefined ? [] : [{ role, url }];
  });
}
