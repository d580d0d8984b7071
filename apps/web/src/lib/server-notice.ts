import * as decoding from 'lib0/decoding';

/**
 * The server's own channel: auth messages (type 2), which no client can send to others. Subtype
 * 0 is y-protocols' "permission denied" (a refused write, with the server's reason); subtype 1
 * carries Waymark's notices as JSON. Nothing a peer wrote (presence included) can pose as these.
 */
export type ServerMessage =
  | { readonly kind: 'denied'; readonly reason: string }
  /** Writes are refused for everyone for now (storage trouble). */
  | { readonly kind: 'read-only'; readonly reason: string }
  | { readonly kind: 'writable' }
  /** Part of the stored map was damaged and left out (told to owners and editors, with the versions that hold it). */
  | { readonly kind: 'damaged'; readonly reason: string };

const PERMISSION_DENIED = 0;
const NOTICE = 1;

/** Reads the rest of an auth message; null for a subtype or notice this client does not know. */
export function readServerMessage(decoder: decoding.Decoder): ServerMessage | null {
  const subtype = decoding.readVarUint(decoder);
  if (subtype === PERMISSION_DENIED) return { kind: 'denied', reason: decoding.readVarString(decoder) };
  if (subtype !== NOTICE) return null;
  return decodeNotice(decoding.readVarString(decoder));
}

export function decodeNotice(json: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { kind, reason } = value as { kind?: unknown; reason?: unknown };
  if (kind === 'writable') return { kind };
  if (kind === 'damaged' && typeof reason === 'string' && reason) return { kind, reason };
  if (kind === 'read-only') {
    return { kind, reason: typeof reason === 'string' && reason ? reason : 'the server is not saving changes right now' };
  }
  return null;
}
