import { linkActionName, tokenInLink, type LinkKind } from './link-kinds';
import { isExpired } from './link-times';
import { createLink, listLinks, revokeLink, type LinksEndpoint, type ManagedLink, type NewLink } from './links-api';

export interface RoleGroup<R extends string> {
  readonly role: R;
  readonly links: readonly ManagedLink<R>[];
}

export type LinkChange<R extends string> =
  { readonly ok: true; readonly link: ManagedLink<R> } | { readonly ok: false; readonly error: string };

/**
 * One list of managed links (a map's, or the workspace's) as the server keeps them, for whoever
 * manages them: loaded when its panel opens, so a managing link opened on any machine shows them
 * all; made and revoked from there.
 */
export class LinkList<R extends string> {
  #links = $state.raw<readonly ManagedLink<R>[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #refused = $state(false);
  #error = $state<string | null>(null);
  #now = $state(Date.now());
  /** Only the newest load's answer counts. */
  #loadCount = 0;

  constructor(
    readonly at: LinksEndpoint<R>,
    /** The managing token: the page's own. */
    readonly token: string,
    /** What the links are, for messages: "this map’s links". */
    readonly subject: string,
    readonly send: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get kind(): LinkKind<R> {
    return this.at.kind;
  }

  get links(): readonly ManagedLink<R>[] {
    return this.#links;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** Whether the list has come from the server at least once. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Whether the server's last answer was that this token may not manage these links (401, 403). */
  get refused(): boolean {
    return this.#refused;
  }

  /** Why the last load failed, in words for whoever manages the links. */
  get error(): string | null {
    return this.#error;
  }

  /** The time the list's "3 days ago"s are counted from: its last load. */
  get now(): number {
    return this.#now;
  }

  /** Links that still stand or have expired (an expired one can still be revoked), by role, strongest first. */
  get groups(): readonly RoleGroup<R>[] {
    const standing = this.#links.filter((link) => link.revokedAt === null);
    return this.kind.roles
      .map((role) => ({ role, links: standing.filter((link) => link.role === role) }))
      .filter((group) => group.links.length > 0);
  }

  get revoked(): readonly ManagedLink<R>[] {
    return this.#links.filter((link) => link.revokedAt !== null);
  }

  /** Whether this page was opened with `link` (revoking it ends this page's access too). */
  isOwn(link: ManagedLink<R>): boolean {
    return tokenInLink(link.url, this.kind) === this.token;
  }

  /** Whether some other link of the managing role (owner, admin) would still work once `link` is revoked. */
  hasOtherManagingLink(link: ManagedLink<R>): boolean {
    const managing = this.kind.roles[0];
    return this.#links.some(
      (other) => other.id !== link.id && other.role === managing && other.revokedAt === null && !isExpired(other, Date.now()),
    );
  }

  async load(): Promise<void> {
    const count = ++this.#loadCount;
    this.#loading = true;
    const answer = await listLinks(this.at, this.token, this.send);
    if (count !== this.#loadCount) return;
    this.#loading = false;
    this.#now = Date.now();
    if (answer.ok) {
      this.#links = answer.value;
      this.#loaded = true;
      this.#refused = false;
      this.#error = null;
    } else {
      this.#refused = answer.status === 401 || answer.status === 403;
      this.#error = `Could not load ${this.subject}: ${answer.error}.`;
    }
  }

  async create(link: NewLink<R>): Promise<LinkChange<R>> {
    const answer = await createLink(this.at, this.token, link, this.send);
    if (!answer.ok) return { ok: false, error: `Could not create the link: ${answer.error}.` };
    this.#now = Date.now();
    // A load that answered meanwhile may hold it already.
    this.#links = [...this.#links.filter((other) => other.id !== answer.value.id), answer.value];
    return { ok: true, link: answer.value };
  }

  async revoke(link: ManagedLink<R>): Promise<LinkChange<R>> {
    const answer = await revokeLink(this.at, this.token, link.id, this.send);
    if (!answer.ok) {
      // Revoked elsewhere meanwhile, say: show what the server has now.
      void this.load();
      return { ok: false, error: `Could not revoke the ${linkActionName(link, this.kind)}: ${answer.error}.` };
    }
    const now = Date.now();
    this.#now = now;
    const revoked = { ...link, revokedAt: now };
    this.#links = this.#links.map((other) => (other.id === link.id ? revoked : other));
    return { ok: true, link: revoked };
  }
}
