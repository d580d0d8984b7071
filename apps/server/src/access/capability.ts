import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, isWorkspaceRole, permissionFor, type Permission, type Role, type WorkspaceRole } from './roles.js';

/**
 * Capability tokens: `<payload>.<signature>`, both base64url. The payload names the map and the
 * role (version 1, a map's original links), or the link record, the map (none for a workspace
 * link) and the role (version 2); the signature is an HMAC-SHA256 of the payload with the server's
 * secret. Whoever holds a link holds its role, so links are shared like passwords. A signature
 * proves only that the server issued the token: whether its link still stands (not revoked, not
 * expired) is the link authority's to say.
 */
type TokenPayload = { v: 1; m: string; r: Role } | { v: 2; l: string; m: string | null; r: Role | WorkspaceRole };

/** What a token says, once its signature is checked. */
export type Capability =
  | { readonly kind: 'map'; readonly mapId: string; readonly role: Role; readonly linkId: string | null }
  | { readonly kind: 'workspace'; readonly role: WorkspaceRole; readonly linkId: string };

export class CapabilitySigner {
  readonly #secret: Buffer;

  constructor(secret: string | Buffer) {
    this.#secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.#secret.byteLength < 16) throw new Error('AUTH_SECRET must be at least 16 bytes long');
  }

  /** A map's original link for `role` (version 1): the same token every time, with no record behind it. */
  sign(mapId: string, role: Role): string {
    return this.#token({ v: 1, m: mapId, r: role });
  }

  /** The token of a link record: of a map, or of the workspace when `mapId` is null. */
  signLink(linkId: string, mapId: string | null, role: Role | WorkspaceRole): string {
    return this.#token({ v: 2, l: linkId, m: mapId, r: role });
  }

  /**
   * The permission a token's signature grants for `mapId`, or null when it is missing, forged or
   * for another map. Says nothing of revocation or expiry: LinkAuthority checks those.
   */
  verify(token: string | null | undefined, mapId: string): Permission | null {
    const capability = this.read(token);
    if (capability?.kind !== 'map' || capability.mapId !== mapId) return null;
    // The payload's copy of the id: the caller's may be a slice of the request URL, token and all,
    // which would then be kept for as long as the connection is open.
    return permissionFor(capability.mapId, capability.role);
  }

  /** What a token says, or null when it is missing, malformed or not signed by this server. */
  read(token: string | null | undefined): Capability | null {
    if (!token || token.length > 1024) return null;
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.#mac(encoded));
    const given = Buffer.from(signature);
    if (expected.byteLength !== given.byteLength || !timingSafeEqual(expected, given)) return null;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isPayload(payload)) return null;
    if (payload.v === 1) return { kind: 'map', mapId: payload.m, role: payload.r, linkId: null };
    if (payload.m === null) return isWorkspaceRole(payload.r) ? { kind: 'workspace', role: payload.r, linkId: payload.l } : null;
    return isRole(payload.r) ? { kind: 'map', mapId: payload.m, role: payload.r, linkId: payload.l } : null;
  }

  #token(payload: TokenPayload): string {
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${encoded}.${this.#mac(encoded)}`;
  }

  #mac(encodedPayload: string): string {
    return createHmac('sha256', this.#secret).update(encodedPayload).digest('base64url');
  }
}

function isPayload(value: unknown): value is TokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.v === 1) return typeof record.m === 'string' && isRole(record.r);
  return (
    record.v === 2 &&
    typeof record.l === 'string' &&
    (record.m === null || typeof record.m === 'string') &&
    (isRole(record.r) || isWorkspaceRole(record.r))
  );
}
