/**
 * Transaction origins. Every write in the model runs in one `doc.transact(fn, origin)` with
 * an origin from this union, so observers and `Y.UndoManager` can tell a user's own edits
 * from remote updates, server repairs, migrations and imports.
 *
 * Y.UndoManager matches tracked origins by identity: create ONE local origin per user
 * session (or use `defaultLocalOrigin`) and pass that same object to every write and to
 * `new Y.UndoManager(types, { trackedOrigins: new Set([origin]) })`.
 */

export type Origin =
  | { readonly kind: 'local'; readonly userId?: string }
  | { readonly kind: 'remote'; readonly connectionId?: string }
  | { readonly kind: 'server' }
  | { readonly kind: 'migration'; readonly id: string }
  | { readonly kind: 'import' };

export type OriginKind = Origin['kind'];

export function localOrigin(userId?: string): Origin {
  return Object.freeze(userId === undefined ? { kind: 'local' } : { kind: 'local', userId });
}

export function remoteOrigin(connectionId?: string): Origin {
  return Object.freeze(connectionId === undefined ? { kind: 'remote' } : { kind: 'remote', connectionId });
}

export function serverOrigin(): Origin {
  return Object.freeze({ kind: 'server' });
}

export function migrationOrigin(id: string): Origin {
  return Object.freeze({ kind: 'migration', id });
}

export function importOrigin(): Origin {
  return Object.freeze({ kind: 'import' });
}

/** Used by write functions called without an origin. */
export const defaultLocalOrigin: Origin = localOrigin();

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/**
 * Yjs hands observers whatever origin the writer passed (a provider, a string, null), so
 * this narrows an `unknown` instead of trusting it.
 */
export function isOrigin(x: unknown): x is Origin {
  if (typeof x !== 'object' || x === null) return false;
  const candidate = x as Record<string, unknown>;
  switch (candidate['kind']) {
    case 'local':
      return isOptionalString(candidate['userId']);
    case 'remote':
      return isOptionalString(candidate['connectionId']);
    case 'server':
    case 'import':
      return true;
    case 'migration':
      return typeof candidate['id'] === 'string';
    default:
      return false;
  }
}

/** The user id carried by a local origin, used as a card's author when none is given. */
export function originUserId(origin: Origin): string | undefined {
  return origin.kind === 'local' ? origin.userId : undefined;
}
