/**
 * The workspace link this browser holds, if any. Opening `/#workspace=<token>` keeps the token
 * in localStorage and takes it out of the address bar, so it is not bookmarked, shared in a
 * screenshot or left in the history; leaving the workspace forgets it.
 */

const STORAGE_KEY = 'waymark.workspace';
const HASH_KEY = 'workspace';
// What the server accepts as a token; anything else cannot be a link it made.
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,512}$/;

function readStored(storage: Storage | null): string | null {
  try {
    const stored = storage?.getItem(STORAGE_KEY) ?? null;
    return stored !== null && TOKEN_SHAPE.test(stored) ? stored : null;
  } catch {
    return null;
  }
}

export class WorkspaceLink {
  #token = $state<string | null>(null);
  readonly #storage: Storage | null;

  constructor(storage: Storage | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    this.#token = readStored(storage);
  }

  /** The workspace token, or null without a workspace link. */
  get token(): string | null {
    return this.#token;
  }

  /**
   * Keeps a token from the address bar (`#workspace=…`) and removes it from there. Returns
   * whether the address held one.
   */
  adoptFromAddress(location: Location, history: History): boolean {
    const params = new URLSearchParams(location.hash.slice(1));
    const token = params.get(HASH_KEY);
    if (token === null) return false;
    params.delete(HASH_KEY);
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    if (!TOKEN_SHAPE.test(token)) return false;
    this.#token = token;
    try {
      this.#storage?.setItem(STORAGE_KEY, token);
    } catch {
      // Storage blocked: the library still works until the page closes.
    }
    return true;
  }

  /** Picks up a link kept or forgotten in another tab. */
  reload(): void {
    this.#token = readStored(this.#storage);
  }

  forget(): void {
    this.#token = null;
    try {
      this.#storage?.removeItem(STORAGE_KEY);
    } catch {
      // Nothing kept to remove.
    }
  }

  /** The address that opens a map with this workspace link (admin: as owner, member: as editor). */
  mapLink(mapId: string): string {
    return `/maps/${encodeURIComponent(mapId)}#token=${encodeURIComponent(this.#token ?? '')}`;
  }
}
