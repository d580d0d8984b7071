import { isMapRole, MAP_ROLES, type MapRole } from './map-role';
import { ROLE_HINTS, ROLE_LABELS } from './share-links';

/**
 * The two kinds of managed link: a map's (owner … viewer, `…/maps/:id#token=…`) and the
 * workspace's (admin or member, `/#workspace=…`). One list, form and row serve both; what
 * differs between them is said here.
 */
export interface LinkKind<R extends string> {
  /** Strongest first: the first is the role that manages the links. */
  readonly roles: readonly R[];
  readonly labels: Readonly<Record<R, string>>;
  /** One line each on what a link lets its holder do. */
  readonly hints: Readonly<Record<R, string>>;
  /** What the form offers first: the weakest, since handing out more than meant is the mistake that matters. */
  readonly defaultRole: R;
  /** A label such a link might have, for the form's placeholder. */
  readonly labelExample: string;
  /** The fragment key a link's address carries its token under. */
  readonly tokenKey: string;
  /** Whether a link can be made for one named person (a map's: they take part in rounds as that person). */
  readonly personalLinks: boolean;
  readonly isRole: (value: unknown) => value is R;
}

export type WorkspaceRole = 'admin' | 'member';
/** The server's list, strongest first. */
export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['admin', 'member'];

export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);
}

export const MAP_LINKS: LinkKind<MapRole> = {
  roles: MAP_ROLES,
  labels: ROLE_LABELS,
  hints: ROLE_HINTS,
  defaultRole: 'viewer',
  labelExample: 'Workshop room',
  tokenKey: 'token',
  personalLinks: true,
  isRole: isMapRole,
};

export const WORKSPACE_LINKS: LinkKind<WorkspaceRole> = {
  roles: WORKSPACE_ROLES,
  labels: { admin: 'Admin', member: 'Member' },
  hints: {
    admin: 'Every map as its owner, the trash and these links. Keep it for whoever runs Waymark with you.',
    member: 'The library, starting maps, and every map as an editor.',
  },
  defaultRole: 'member',
  labelExample: 'Design team',
  tokenKey: 'workspace',
  personalLinks: false,
  isRole: isWorkspaceRole,
};

/** A managed link's name as the panels show it: its label ("Workshop room"), else its role's ("Participant link"). */
export function linkTitle<R extends string>(link: { readonly role: R; readonly label: string }, kind: LinkKind<R>): string {
  const label = link.label.trim();
  if (label === '') return `${kind.labels[link.role]} link`;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The name buttons use: "Workshop room link", "Owner link" (never "Owner link link"). */
export function linkActionName<R extends string>(link: { readonly role: R; readonly label: string }, kind: LinkKind<R>): string {
  const title = linkTitle(link, kind);
  return /\blink$/i.test(title) ? title : `${title} link`;
}

/** The token a link carries in its fragment (`…#token=…`, `/#workspace=…`), or null. */
export function tokenInLink(url: string, kind: LinkKind<string>): string | null {
  const hash = url.indexOf('#');
  return hash < 0 ? null : new URLSearchParams(url.slice(hash + 1)).get(kind.tokenKey);
}
