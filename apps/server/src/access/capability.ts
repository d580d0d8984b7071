import { createHmac, timingSafeEqual } from 'node:crypto';
import { isRole, permissionFor, type Permission, type Role } from './roles.js';

/**
 * Capability tokens: `<payload>.<signature>`, both base64url. The payload names the map and the
 * role; the signature is an HMAC-SHA256 of the payload with the server's secret. Whoever holds a
 * link holds its role, so links are shared like passwords.
 */
const VERSION = 1;

interface TokenPayload {
  v: number;
  m: string;
  r: Role;
}

export class CapabilitySigner {
  readonly #secret: Buffer;

  constructor(secret: string | Buffer) {
    this.#secret = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (this.#secret.byteLength < 16) throw new Error('AUTH_SECRET must be at least 16 bytes long');
  }

  sign(mapId: string, role: Role): string {
    const payload: TokenPayload = { v: VERSION, m: mapId, r: role };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${encoded}.${this.#mac(encoded)}`;
  }

  /** The permission a token grants for `mapId`, or null when it is missing, forged or for another map. */
  verify(token: string | null | undefined, mapId: string): Permission | null {
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
    if (!isPayload(payload) || payload.m !== mapId) return null;
    // The payload's copy of the id: the caller's may be a slice of the request URL, token and all,
    // which would then be kept for as long as the connection is open.
    return permissionFor(payload.m, payload.r);
  }

  #mac(encodedPayload: string): string {
    return createHmac('sha256', this.#secret).update(encodedPayload).digest('base64url');
  }
}

function isPayload(value: unknown): value is TokenPayload {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.v === VERSION && typeof record.m === 'string' && isRole(record.r);
}
