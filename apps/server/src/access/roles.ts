/** Capability roles a map link can carry, from most to least powerful. */
export const ROLES = ['owner', 'editor', 'participant', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a connection may do in a room; decided once at the upgrade from its token. */
export interface Permission {
  mapId: string;
  role: Role;
  /** Whether document updates from this connection are applied. */
  canWrite: boolean;
}

const WRITING_ROLES: ReadonlySet<Role> = new Set(['owner', 'editor', 'participant']);

export function permissionFor(mapId: string, role: Role): Permission {
  return { mapId, role, canWrite: WRITING_ROLES.has(role) };
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
