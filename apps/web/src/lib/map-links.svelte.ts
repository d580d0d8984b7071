import { isExpired } from './link-times';
import { createMapLink, listMapLinks, revokeMapLink, tokenInLink, type MapLink, type NewLink } from './map-links-api';
import { MAP_ROLES, type MapRole } from './map-role';
import { linkActionName } from './share-links';

export type { MapLink, NewLink } from './map-links-api';

export interface RoleGroup {
  readonly role: MapRole;
  readonly links: readonly MapLink[];
}

export type LinkChange = { readonly ok: true; readonly link: MapLink } | { readonly ok: false; readonly error: string };

/**
 * Every link of one map, as the server keeps them, for its owner: loaded when the share panel
 * opens, so an owner link opened on any machine shows them all; made and revoked from there.
 */
export class MapLinks {
  #links = $state.raw<readonly MapLink[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #now = $state(Date.now());
  /** Only the newest load's answer counts. */
  #loadCount = 0;

  constructor(
    readonly mapId: string,
    /** The owner's token: the page's own. */
    readonly token: string,
    readonly send: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get links(): readonly MapLink[] {
    return this.#links;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** Whether the list has come from the server at least once. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Why the last load failed, in words for the owner. */
  get error(): string | null {
    return this.#error;
  }

  /** The time the list's "3 days ago"s are counted from: its last load. */
  get now(): number {
    return this.#now;
  }

  /** Links that still stand or have expired (an expired one can still be revoked), by role, strongest first. */
  get groups(): readonly RoleGroup[] {
    const standing = this.#links.filter((link) => link.revokedAt === null);
    return MAP_ROLES.map((role) => ({ role, links: standing.filter((link) => link.role === role) })).filter((group) => group.links.length > 0);
  }

  get revoked(): readonly MapLink[] {
    return this.#links.filter((link) => link.revokedAt !== null);
  }

  /** Whether this page was opened with `link` (revoking it ends this page's access too). */
  isOwn(link: MapLink): boolean {
    return tokenInLink(link.url) === this.token;
  }

  /** Whether some other owner link would still work once `link` is revoked. */
  hasOtherOwnerLink(link: MapLink): boolean {
    return this.#links.some(
      (other) => other.id !== link.id && other.role === 'owner' && other.revokedAt === null && !isExpired(other, Date.now()),
    );
  }

  async load(): Promise<void> {
    const count = ++this.#loadCount;
    this.#loading = true;
    const answer = await listMapLinks(this.mapId, this.token, this.send);
    if (count !== this.#loadCount) return;
    this.#loading = false;
    this.#now = Date.now();
    if (answer.ok) {
      this.#links = answer.value;
      this.#loaded = true;
      this.#error = null;
    } else {
      this.#error = `Could not load this map’s links: ${answer.error}.`;
    }
  }

  async create(link: NewLink): Promise<LinkChange> {
    const answer = await createMapLink(this.mapId, this.token, link, this.send);
    if (!answer.ok) return { ok: false, error: `Could not create the link: ${answer.error}.` };
    this.#now = Date.now();
    // A load that answered meanwhile may hold it already.
    this.#links = [...this.#links.filter((other) => other.id !== answer.value.id), answer.value];
    return { ok: true, link: answer.value };
  }

  async revoke(link: MapLink): Promise<LinkChange> {
    const answer = await revokeMapLink(this.mapId, this.token, link.id, this.send);
    if (!answer.ok) {
      // Revoked elsewhere meanwhile, say: show what the server has now.
      void this.load();
      return { ok: false, error: `Could not revoke the ${linkActionName(link)}: ${answer.error}.` };
    }
    const now = Date.now();
    this.#now = now;
    const revoked = { ...link, revokedAt: now };
    this.#links = this.#links.map((other) => (other.id === link.id ? revoked : other));
    return { ok: true, link: revoked };
  }
}
