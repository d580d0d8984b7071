/** Capability roles a map link can carry, from most to least powerful. */
export const ROLES = ['owner', 'editor', 'participant', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a connection may do in a room; decided once at the upgrade from its token. */
export interface Permission {
  mapId: string;
  role: Role;
  /**
   * Whether this connection's document updates are read and checked at all. Those of the other
   * roles are refused before any of their bytes are decoded.
   */
  canWrite: boolean;
}

/**
 * The kinds of document change the policy tells apart, each allowed to some roles:
 * - `shape-map`: title, goal, scope; stages, lanes and personas; the agreed emotion curve;
 * - `edit-cards`: add, type, move, colour, tag and attribute cards;
 * - `delete-cards`: delete any card (a participant deletes only cards its own client created);
 * - `rate`: a participant's own emotion rating;
 * - `comment`: write comments, resolve and reopen threads (a comment's text is its writer's to
 *   change or delete, and those with `shape-map` may moderate).
 */
export type WriteAction = 'shape-map' | 'edit-cards' | 'delete-cards' | 'rate' | 'comment';

const ALLOWED: Readonly<Record<Role, ReadonlySet<WriteAction>>> = {
  owner: new Set(['shape-map', 'edit-cards', 'delete-cards', 'rate', 'comment']),
  editor: new Set(['shape-map', 'edit-cards', 'delete-cards', 'rate', 'comment']),
  participant: new Set(['edit-cards', 'rate', 'comment']),
  commenter: new Set(['comment']),
  viewer: new Set(),
};

export function roleMay(role: Role, action: WriteAction): boolean {
  return ALLOWED[role].has(action);
}

export function permissionFor(mapId: string, role: Role): Permission {
  return { mapId, role, canWrite: ALLOWED[role].size > 0 };
}

/** Roles of a workspace link: an admin manages links and maps, a member finds and edits maps. */
export const WORKSPACE_ROLES = ['admin', 'member'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const isWorkspaceRole = (value: unknown): value is WorkspaceRole =>
  typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);

/** The role a workspace link has on every map: admin = owner, member = editor. */
export const mapRoleOf = (role: WorkspaceRole): Role => (role === 'admin' ? 'owner' : 'editor');

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
