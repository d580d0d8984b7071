import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { LinkRecord, MapStore } from '../storage/map-store.js';
import type { CapabilitySigner } from './capability.js';
import { mapRoleOf, permissionFor, ROLES, type Permission, type Role, type WorkspaceRole } from './roles.js';

/** Who a request or a socket is, once its token is checked against its link. */
export type Access =
  | {
      readonly ok: true;
      readonly permission: Permission;
      /** The link behind it, to cut its sessions off when it is revoked. */
      readonly linkId: string;
      /** When the link stops working (ms since the epoch), or null. */
      readonly expiresAt: number | null;
      /** The named person a personal link was made for; null for a shared link. */
      readonly person: string | null;
    }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

export type WorkspaceAccess =
  | { readonly ok: true; readonly role: WorkspaceRole; readonly linkId: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** A link as its map's owner sees it in the list. */
export interface ListedLink extends LinkRecord {
  /** Whether it is one of the map's original links (issued before links had records). */
  original: boolean;
  token: string;
}

export const WORKSPACE_TOKEN_LINK = 'workspace-token';

const REVOKED = 'this link was revoked';
const EXPIRED = 'this link has expired';

/**
 * Decides what a token may do now: its signature (CapabilitySigner), then its link record (not
 * revoked, not expired). Issues and revokes links, and tells whoever listens when one is revoked
 * so its live sessions end. A map's original links, signed before links had records, have a
 * record made for them when they are revoked; until then they stand.
 */
export class LinkAuthority {
  readonly #revokedListeners = new Set<(linkId: string, reason: string) => void>();

  constructor(
    readonly signer: CapabilitySigner,
    readonly store: MapStore,
    /** The first admin's token (WORKSPACE_TOKEN): it has no record and cannot be revoked. */
    readonly workspaceToken: string,
    readonly now: () => number = Date.now,
  ) {}

  /** Makes a link and its token. */
  async issue(input: {
    mapId: string | null;
    role: Role | WorkspaceRole;
    label?: string;
    personal?: boolean;
    expiresAt?: number | null;
  }): Promise<ListedLink> {
    const record: LinkRecord = {
      id: randomBytes(9).toString('base64url'),
      mapId: input.mapId,
      role: input.role,
      label: input.label ?? '',
      personal: input.personal ?? false,
      createdAt: this.now(),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.store.createLink(record);
    return { ...record, original: false, token: this.signer.signLink(record.id, input.mapId, input.role) };
  }

  /**
   * The links a new map starts with, one per role, each with its record (so each can be revoked
   * on its own), and a mark that the map has no original links.
   */
  async createMapLinks(mapId: string): Promise<Record<Role, ListedLink>> {
    await this.store.createLink({ id: noOriginalsMark(mapId), mapId, role: 'none', label: '', createdAt: this.now(), expiresAt: null });
    const links = await Promise.all(ROLES.map((role) => this.issue({ mapId, role })));
    return Object.fromEntries(ROLES.map((role, i) => [role, links[i]!])) as Record<Role, ListedLink>;
  }

  /** What a token may do on `mapId`: a link of that map, or a workspace link (admin = owner, member = editor). */
  async forMap(token: string | null | undefined, mapId: string): Promise<Access> {
    const workspace = this.#workspaceTokenAccess(token);
    if (workspace)
      return { ok: true, permission: permissionFor(mapId, 'owner'), linkId: WORKSPACE_TOKEN_LINK, expiresAt: null, person: null };
    const capability = this.signer.read(token);
    if (capability?.kind === 'workspace') {
      const standing = await this.#standing(capability.linkId, null);
      if (!standing.ok) return standing;
      return {
        ok: true,
        permission: permissionFor(mapId, mapRoleOf(capability.role)),
        linkId: capability.linkId,
        expiresAt: standing.expiresAt,
        person: standing.person,
      };
    }
    if (capability?.kind !== 'map' || capability.mapId !== mapId) {
      return { ok: false, status: 401, reason: 'a valid token for this map is required' };
    }
    if (capability.linkId === null && (await this.store.getLink(noOriginalsMark(mapId)))) {
      return { ok: false, status: 401, reason: 'this link does not exist' };
    }
    const linkId = capability.linkId ?? originalLinkId(mapId, capability.role);
    const standing = await this.#standing(linkId, mapId, capability.linkId === null);
    if (!standing.ok) return standing;
    return {
      ok: true,
      permission: permissionFor(capability.mapId, capability.role),
      linkId,
      expiresAt: standing.expiresAt,
      person: standing.person,
    };
  }

  /** What a token may do in the workspace. */
  async forWorkspace(token: string | null | undefined): Promise<WorkspaceAccess> {
    if (this.#workspaceTokenAccess(token)) return { ok: true, role: 'admin', linkId: WORKSPACE_TOKEN_LINK };
    const capability = this.signer.read(token);
    if (capability?.kind !== 'workspace') return { ok: false, status: 401, reason: 'a valid workspace link is required' };
    const standing = await this.#standing(capability.linkId, null);
    if (!standing.ok) return standing;
    return { ok: true, role: capability.role, linkId: capability.linkId };
  }

  /** Every link of a map, its original ones first, revoked ones included. */
  async mapLinks(mapId: string): Promise<ListedLink[]> {
    const stored = await this.store.listLinks(mapId);
    const byId = new Map(stored.map((link) => [link.id, link]));
    const originals = byId.has(noOriginalsMark(mapId))
      ? []
      : ROLES.map((role): ListedLink => {
          const id = originalLinkId(mapId, role);
          const record = byId.get(id) ?? {
            id,
            mapId,
            role,
            label: '',
            personal: false,
            createdAt: 0,
            expiresAt: null,
            revokedAt: null,
            lastUsedAt: null,
          };
          return { ...record, label: record.label || `original ${role} link`, original: true, token: this.signer.sign(mapId, role) };
        });
    const rank = (role: string) => ROLES.indexOf(role as Role);
    const issued = stored
      .filter((link) => !isOriginalLinkId(link.id))
      // Oldest first; the links a map was made with (made together) by role.
      .sort((a, b) => a.createdAt - b.createdAt || rank(a.role) - rank(b.role))
      .map((link): ListedLink => ({ ...link, original: false, token: this.signer.signLink(link.id, mapId, link.role as Role) }));
    return [...originals, ...issued];
  }

  /** Every workspace link, oldest first, revoked ones included (the first admin's token is not among them). */
  async workspaceLinks(): Promise<ListedLink[]> {
    const stored = await this.store.listLinks(null);
    return stored.map((link) => ({ ...link, original: false, token: this.signer.signLink(link.id, null, link.role as WorkspaceRole) }));
  }

  /** Revokes a link of `mapId` (null: of the workspace); false when there is no such standing link. */
  async revoke(linkId: string, mapId: string | null): Promise<boolean> {
    const at = this.now();
    let revoked: boolean;
    const original = mapId !== null ? originalRole(linkId, mapId) : null;
    if (original) {
      // An original link gets its record now, so the revocation has somewhere to live.
      if (!(await this.store.getLink(linkId))) {
        await this.store.createLink({
          id: linkId,
          mapId,
          role: original,
          label: `original ${original} link`,
          createdAt: 0,
          expiresAt: null,
        });
      }
      revoked = await this.store.revokeLink(linkId, at);
    } else {
      const link = await this.store.getLink(linkId);
      revoked = link !== null && link.mapId === mapId && (await this.store.revokeLink(linkId, at));
    }
    if (revoked) for (const listener of this.#revokedListeners) listener(linkId, REVOKED);
    return revoked;
  }

  /**
   * Why a link's sessions must end now (it was revoked), or null: for a node that may have missed
   * another node's word of a revocation.
   */
  async revocationOf(linkId: string): Promise<string | null> {
    if (linkId === WORKSPACE_TOKEN_LINK) return null;
    const link = await this.store.getLink(linkId);
    return link !== null && link.revokedAt !== null ? REVOKED : null;
  }

  /** Calls `listener` with every link revoked from now on (on this node). */
  onRevoked(listener: (linkId: string, reason: string) => void): () => void {
    this.#revokedListeners.add(listener);
    return () => this.#revokedListeners.delete(listener);
  }

  #workspaceTokenAccess(token: string | null | undefined): boolean {
    if (!token || token.length !== this.workspaceToken.length) return false;
    return timingSafeEqual(Buffer.from(token), Buffer.from(this.workspaceToken));
  }

  /** Whether a link stands: recorded (or original), for this map, not revoked, not expired. */
  async #standing(
    linkId: string,
    mapId: string | null,
    original = false,
  ): Promise<{ ok: true; expiresAt: number | null; person: string | null } | { ok: false; status: 401 | 403; reason: string }> {
    const link = await this.store.getLink(linkId);
    if (!link)
      return original ? { ok: true, expiresAt: null, person: null } : { ok: false, status: 401, reason: 'this link does not exist' };
    if (link.mapId !== mapId) return { ok: false, status: 401, reason: 'this link does not exist' };
    if (link.revokedAt !== null) return { ok: false, status: 403, reason: REVOKED };
    const now = this.now();
    if (link.expiresAt !== null && link.expiresAt <= now) return { ok: false, status: 403, reason: EXPIRED };
    void this.store.touchLink(linkId, now).catch(() => {});
    return { ok: true, expiresAt: link.expiresAt, person: link.personal && link.label !== '' ? link.label : null };
  }
}

export const LINK_EXPIRED = EXPIRED;

/** The id a map's original link for `role` has once it has a record. */
export const originalLinkId = (mapId: string, role: Role): string => `o.${mapId}.${role}`;

/** Marks a map made with link records: the originals a signer could make for it were never given out. */
const noOriginalsMark = (mapId: string): string => `o.${mapId}`;

const isOriginalLinkId = (linkId: string): boolean => linkId.startsWith('o.');

function originalRole(linkId: string, mapId: string): Role | null {
  const role = ROLES.find((r) => originalLinkId(mapId, r) === linkId);
  return role ?? null;
}
